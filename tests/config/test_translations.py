"""Every string is translated both ways (issue 18, klarspråk).

The catalogs in locale/sv and locale/en are read here without polib: an entry with an empty msgstr (or any
empty plural form) or marked fuzzy fails, and so does a string in the code or the templates that the catalogs
lack (makemessages is run on a copy of the project and its msgids compared).
"""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("sv", "en")


def _unquote(line):
    return ast.literal_eval(line)


def read_po(path):
    """The live entries of a .po file: dicts with ctxt, id, id_plural, strs (list) and flags."""
    entries = []
    for block in Path(path).read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        entry = {"ctxt": None, "id": "", "id_plural": None, "strs": {}, "flags": set()}
        current = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith("msgctxt "):
                entry["ctxt"], current = _unquote(line[8:]), ("ctxt",)
            elif line.startswith("msgid_plural "):
                entry["id_plural"], current = _unquote(line[13:]), ("id_plural",)
            elif line.startswith("msgid "):
                entry["id"], current = _unquote(line[6:]), ("id",)
            elif line.startswith("msgstr["):
                index, text = line[7:].split("]", 1)
                entry["strs"][int(index)] = _unquote(text.strip())
                current = ("strs", int(index))
            elif line.startswith("msgstr "):
                entry["strs"][0] = _unquote(line[7:])
                current = ("strs", 0)
            elif line.startswith('"') and current:
                if current[0] == "strs":
                    entry["strs"][current[1]] += _unquote(line)
                else:
                    entry[current[0]] += _unquote(line)
        entries.append(entry)
    return [entry for entry in entries if entry["id"]]  # the header (msgid "") is not a message


def _label(entry):
    return f"{entry['ctxt'] + ' | ' if entry['ctxt'] else ''}{entry['id']!r}"


def test_the_reader_sees_untranslated_fuzzy_and_plural_gaps(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: sv\\n"\n\n'
        'msgid "Done"\nmsgstr "Klar"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Guess"\nmsgstr "Gissning"\n\n'
        'msgctxt "verb"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "en"\nmsgstr[1] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    entries = {entry["id"]: entry for entry in read_po(po)}
    assert set(entries) == {"Done", "Empty", "Guess", "one"}
    assert entries["Guess"]["flags"] >= {"fuzzy"}
    assert entries["one"]["ctxt"] == "verb" and entries["one"]["strs"] == {0: "en", 1: ""}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_catalog_is_translated_and_none_is_fuzzy(language):
    entries = read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 100
    untranslated = [_label(entry) for entry in entries if not entry["strs"] or not all(entry["strs"].values())]
    fuzzy = [_label(entry) for entry in entries if "fuzzy" in entry["flags"]]
    assert untranslated == [], f"untranslated in {language}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"


def test_every_string_in_the_code_is_in_both_catalogs(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (GNU gettext) is needed to extract the strings; apt-get install gettext")
    copy = tmp_path / "project"
    ignored = shutil.ignore_patterns(
        ".venv", ".git", "node_modules", "staticfiles", "media", "__pycache__", "*.mo", "tests", "test-artifacts"
    )
    shutil.copytree(ROOT, copy, ignore=ignored)
    environment = {**os.environ, "DEBUG": "true"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    extracted = {(entry["ctxt"], entry["id"]) for entry in read_po(copy / "locale/sv/LC_MESSAGES/django.po")}
    for language in LANGUAGES:
        catalog = {(e["ctxt"], e["id"]) for e in read_po(ROOT / "locale" / language / "LC_MESSAGES" / "django.po")}
        missing = sorted(f"{ctxt + ' | ' if ctxt else ''}{msgid!r}" for ctxt, msgid in extracted - catalog)
        assert missing == [], f"strings in the code without a {language} translation: {missing}"
