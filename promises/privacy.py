"""The privacy guard on every free-text field: no Swedish personal identity or coordination numbers.

Records describe work done, never people (DESIGN.md §5). Every text field a person types into is checked with
:func:`validate_no_identity_number` (through the field types of :mod:`promises.fields`), which refuses text
holding a personnummer or a samordningsnummer; :func:`find_identity_numbers` is the detector behind it, and
:func:`redact_identity_numbers` the same detector for logs.

**Normalising first.** People, copy-paste and word processors write the same number in many ways, so the text
is read through :func:`normalise` before anything is matched: every decimal digit of any script (full-width
``８``, Arabic-Indic ``٨`` …) becomes its ASCII digit, every dash or minus sign (``‐ – — ― −`` …) becomes ``-``,
every run of whitespace (no-break space, tab, line break, CRLF …) a space, a dot-like character ``.``; zero-width,
other format and control characters and combining marks are dropped; anything else goes through Unicode NFKC.

**The shapes found**, after normalising, with ``s`` an optional separator (a run of spaces, or one ``-`` or ``.``
with spaces around it if any):

- 10 digits ``YY s MM s DD b NN NN`` and 12 digits ``YYYY s MM s DD b NN NN``: the separator ``b`` between the
  date and the serial may also be ``+`` (the 10-digit form of a person of 100 or more; accepted in the 12-digit
  form too, because the guard errs on the side of refusing), and the serial may be split in two by spaces. So
  ``811218-9876``, ``811218–9876``, ``811218  9876``, ``81.12.18-9876``, ``1990-01-01-0017``, ``9001 0100 17``
  and ``19811218 9876`` are all found.
- Separators stand only between pairs of digits, where these spellings put them: a phone number grouped as
  ``070-123 45 67`` or ``08-123 456 78``, or an amount grouped in thousands, is not a candidate at all.
- The digits must stand alone: no digit immediately before or after, so a number inside a longer run of digits
  is not found. Nor is one followed by a dash or a dot and another digit: that is how a date range
  (``2020-01-01 - 2020-04-30``) or a case number goes on, not how an identity number ends.

**The rules**, unchanged by normalising:

- Date: ``YYMMDD`` must be a real calendar date. For a coordination number the day is the day of birth plus
  60 (61–91), and the day minus 60 must be a real day of that month. A 10-digit number has no century, so
  it is accepted when the date exists in either the 1900s or the 2000s (``000229`` is valid: 2000 was a
  leap year). A 12-digit number is checked in its own year, whatever the century (``19000229`` is not).
- Check digit: the last digit is the Luhn check digit over ``YYMMDDNNN`` (a 12-digit number drops its
  century first). Numbers failing it — phone numbers, case numbers, ordinary numbers — are not found.
"""

import re
import unicodedata
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["find_identity_numbers", "normalise", "redact_identity_numbers", "validate_no_identity_number"]

REDACTED = "[removed: identity number]"

# Dashes and minus signs that NFKC leaves as they are and Unicode does not class as dash punctuation (Pd).
_DASHES = frozenset("\u2212\u2043\u02d7\u2796\u207b\u208b\ufe63\uff0d")
_DOTS = frozenset(".\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff65")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Mn", "Me"})


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """One character as the detector reads it: see the module's docstring."""
    if char.isdecimal():
        return str(unicodedata.decimal(char))
    if char.isspace():
        return " "
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return ""
    if char in _DASHES or unicodedata.category(char) == "Pd":
        return "-"
    if char in _DOTS:
        return "."
    folded = unicodedata.normalize("NFKC", char)
    if folded == char:
        return char
    return "".join(_fold(each) for each in folded)


def normalise(text: str) -> str:
    """The text as the guard reads it: ASCII digits, ``-`` for every dash, one space for every space, no
    invisible characters (see the module's docstring)."""
    return re.sub(" +", " ", "".join(map(_fold, text)))


_SEP = r"(?: ?[-.] ?| )?"  # spaces are already one space: at most one dash or dot, with a space either side
_BOUNDARY = r"(?: ?[-+.] ?| )?"
_SERIAL = r"\d{2} ?\d{2}"
_END = r"(?!\d)(?![-.]\d)"
# Wrapped in a lookahead, so that every starting position is tried: a candidate refused by the date or the check
# digit must not hide a real number that overlaps it. Digits are ASCII here: the text is normalised first.
_CANDIDATES = (
    re.compile(rf"(?<!\d)(?=(\d{{4}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_BOUNDARY}{_SERIAL}){_END})", re.ASCII),
    re.compile(rf"(?<!\d)(?=(\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_BOUNDARY}{_SERIAL}){_END})", re.ASCII),
)
_NOT_DIGIT = re.compile(r"\D", re.ASCII)

_COORDINATION_OFFSET = 60


def _is_real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _luhn_check_digit(digits: str) -> int:
    """The check digit for the nine digits YYMMDDNNN: weights 2, 1, 2, …, digit sums of products."""
    total = 0
    for index, char in enumerate(digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _is_identity_number(digits: str) -> bool:
    """Whether 10 or 12 digits form a valid personnummer or samordningsnummer."""
    date_part, serial = digits[:-4], digits[-4:]
    short = date_part[-6:]  # YYMMDD
    month, day = int(short[2:4]), int(short[4:6])
    if day > _COORDINATION_OFFSET:
        day -= _COORDINATION_OFFSET
    # 12 digits: the year as written. 10 digits: either century (2000 settles 29 February of year 00).
    yy = int(short[:2])
    years = [int(date_part[:4])] if len(date_part) == 8 else [1900 + yy, 2000 + yy]
    if not any(_is_real_date(year, month, day) for year in years):
        return False
    return _luhn_check_digit(short + serial[:3]) == int(serial[3])


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of every identity number, in order of appearance, none overlapping."""
    if not text:
        return []
    pieces = [_fold(char) for char in text]
    origin = [index for index, piece in enumerate(pieces) for _char in piece]
    folded = "".join(pieces)
    # Runs of spaces become one, keeping where each kept character came from.
    keep = [index for index, char in enumerate(folded) if char != " " or index == 0 or folded[index - 1] != " "]
    normalised = "".join(folded[index] for index in keep)
    origin = [origin[index] for index in keep]
    # The longest candidate first where two start at one place (12 digits over the 10 digits they begin with).
    candidates = sorted(
        (match.start(1), -match.end(1))
        for pattern in _CANDIDATES
        for match in pattern.finditer(normalised)
        if _is_identity_number(_NOT_DIGIT.sub("", match.group(1)))
    )
    spans, reached = [], 0
    for start, negative_end in candidates:
        end = -negative_end
        if start >= reached:
            spans.append((origin[start], origin[end - 1] + 1))
            reached = end
    return spans


def find_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in ``text``, as written there, in order of appearance."""
    return [text[start:end] for start, end in _spans(text)]


def redact_identity_numbers(text: str, replacement: str = REDACTED) -> str:
    """``text`` with every identity number in it replaced: for logs, which must never hold one."""
    if not text:
        return text
    result, position = [], 0
    for start, end in _spans(text):
        result += [text[position:start], replacement]
        position = end
    return "".join(result) + text[position:]


def validate_no_identity_number(value) -> None:
    """Refuse free text holding a personal identity or coordination number.

    A plain function, so it serves model fields (migrations reference it by its import path) and form
    fields alike. Empty values pass. The message never repeats the number.
    """
    if value is None:
        return
    if _spans(str(value)):
        raise ValidationError(
            _(
                "Remove the personal identity or coordination number. Records describe work done, never "
                "people: write for example “one home visit” instead of who was visited."
            ),
            code="identity_number",
        )
