"""The privacy guard on every free-text field: no Swedish personal identity or coordination numbers.

Records describe work done, never people (DESIGN.md §5). Summaries, void reasons, report texts and comments
are checked with :func:`validate_no_identity_number`, which refuses text holding a personnummer or a
samordningsnummer. :func:`find_identity_numbers` is the detector behind it.

What counts as a number, and the choices made where the rules leave room:

- Shapes: 10 digits ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` or ``YYMMDDNNNC``, and 12 digits ``YYYYMMDD-NNNC`` or
  ``YYYYMMDDNNNC``. A single space is accepted in place of the separator (``850709 9805`` is a common way
  to write it). ``+`` officially exists only in the 10-digit form (a person of 100 or more); a 12-digit
  number with ``+`` (or a space) is still treated as a candidate and checked the same way, because the
  guard errs on the side of refusing.
- The digits must stand alone: no digit immediately before or after (``(?<!\\d)`` and ``(?!\\d)``), so a
  number embedded in a longer digit run is not found. Letters and punctuation next to it do not matter.
  Only ASCII digits 0–9 are considered.
- Date: ``YYMMDD`` must be a real calendar date. For a coordination number the day is the day of birth plus
  60 (61–91), and the day minus 60 must be a real day of that month. A 10-digit number has no century, so
  it is accepted when the date exists in either the 1900s or the 2000s (``000229`` is valid: 2000 was a
  leap year). A 12-digit number is checked in its own year, whatever the century.
- Check digit: the last digit is the Luhn check digit over ``YYMMDDNNN`` (a 12-digit number drops its
  century first). Numbers failing it — phone numbers, case numbers, ordinary numbers — are not found.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["find_identity_numbers", "validate_no_identity_number"]

# 6 or 8 date digits, an optional separator, 4 digits; never part of a longer digit run. At any starting
# position at most one of the two widths can match, so candidates never overlap and finditer sees them all.
_CANDIDATE = re.compile(r"(?<!\d)(?P<date>\d{8}|\d{6})[-+ ]?(?P<serial>\d{4})(?!\d)", re.ASCII)

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


def _is_identity_number(date_part: str, serial: str) -> bool:
    """Whether 6 or 8 date digits and 4 serial digits form a valid personnummer or samordningsnummer."""
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


def find_identity_numbers(text: str) -> list[str]:
    """Every personnummer or samordningsnummer in ``text``, as written there, in order of appearance."""
    if not text:
        return []
    return [
        match.group(0)
        for match in _CANDIDATE.finditer(text)
        if _is_identity_number(match.group("date"), match.group("serial"))
    ]


def validate_no_identity_number(value) -> None:
    """Refuse free text holding a personal identity or coordination number.

    A plain function, so it serves model fields (migrations reference it by its import path) and form
    fields alike. Empty values pass. The message never repeats the number.
    """
    if value is None:
        return
    if find_identity_numbers(str(value)):
        raise ValidationError(
            _(
                "Remove the personal identity or coordination number. Records describe work done, never "
                "people: write for example “one home visit” instead of who was visited."
            ),
            code="identity_number",
        )
