"""Short file names for downloads: each word once, so "strangnas-strangnas-2020-2020T1" reads "strangnas-2020T1"."""

from __future__ import annotations

import re

_YEAR = re.compile(r"\d{4}")


def file_name(*parts: str) -> str:
    """``parts`` joined by hyphens, leaving out a word that an earlier one already said.

    A promise's slug often repeats its municipality and year ("strangnas-2020"), and a tertial's code its year
    ("2020T1"): a word already given is dropped, and so is a bare year that a later word starts with. The name
    stays unique as long as the parts are (the promise's slug and the tertial's code tell the files apart).
    """
    words = [word for part in parts for word in str(part).split("-") if word]
    kept: list[str] = []
    for index, word in enumerate(words):
        if word in kept:
            continue
        if _YEAR.fullmatch(word) and any(later != word and later.startswith(word) for later in words[index + 1 :]):
            continue
        kept.append(word)
    return "-".join(kept)
