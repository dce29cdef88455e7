"""Tertial and period arithmetic: the one place that knows how the year is cut up.

A tertial is a third of a calendar year, the unit in which crime-prevention councils follow up a
citizen promise (DESIGN.md section 5, "Tertials"):

* T1 = 1 January to 30 April
* T2 = 1 May to 31 August
* T3 = 1 September to 31 December

A promise's tertials are those that intersect its period, so a period of 2021-01-01..2022-12-31 has six
and a promise signed on 2020-03-15 and running to the end of that year has T1, T2 and T3 of 2020.

Everything here is a plain value: no ORM, no settings, so it can be used from models, selectors,
templates and tests alike. All ranges are inclusive of both ends, like the dates people write in a
promise ("1 januari - 31 december").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Period", "Tertial", "tertials_between"]

# The first month of each tertial, by tertial number. Tertials are four months long, so the number of
# the tertial holding month m (1-12) is (m - 1) // 4 + 1.
_FIRST_MONTH = {1: 1, 2: 5, 3: 9}

# [0-9] rather than \d, which would also accept digits from other scripts, such as Arabic-Indic ones.
_CODE = re.compile(r"([0-9]{4})T([1-3])")


@dataclass(frozen=True, order=True)
class Tertial:
    """One tertial: ``Tertial(2020, 1)`` is T1 2020, 1 January to 30 April 2020.

    Instances order chronologically (by year, then number), hash by value and can be used as dict keys,
    e.g. for figures per tertial.
    """

    year: int
    number: int

    def __post_init__(self) -> None:
        # Reject bad values here rather than letting them surface later as a confusing date error.
        # bool is an int subclass; Tertial(2020, True) is a programming error, not T1.
        if isinstance(self.number, bool) or not isinstance(self.number, int) or not 1 <= self.number <= 3:
            raise ValueError(f"A tertial number is 1, 2 or 3, not {self.number!r}.")
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1 <= self.year <= 9999:
            raise ValueError(f"A tertial year is between 1 and 9999, not {self.year!r}.")

    @classmethod
    def containing(cls, day: date) -> Tertial:
        """The tertial that ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 4 + 1)

    @classmethod
    def parse(cls, code: str) -> Tertial:
        """Read a code such as ``"2020T1"`` (the form used in URLs); raise ValueError on anything else."""
        match = _CODE.fullmatch(code) if isinstance(code, str) else None
        if match is None:
            raise ValueError(f"Not a tertial code (expected e.g. 2020T1): {code!r}.")
        return cls(int(match[1]), int(match[2]))

    @property
    def start(self) -> date:
        """The first day: 1 January, 1 May or 1 September."""
        return date(self.year, _FIRST_MONTH[self.number], 1)

    @property
    def end(self) -> date:
        """The last day: 30 April, 31 August or 31 December."""
        if self.number == 3:
            return date(self.year, 12, 31)
        # The day before the next tertial starts, so month lengths never need to be spelled out.
        return date(self.year, _FIRST_MONTH[self.number + 1], 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        """How people write it: ``"T1 2020"``."""
        return f"T{self.number} {self.year}"

    @property
    def code(self) -> str:
        """The compact, sortable form used in URLs and files: ``"2020T1"``; :meth:`parse` reads it back."""
        return f"{self.year:04d}T{self.number}"

    def __str__(self) -> str:
        return self.label

    def next(self) -> Tertial:
        """The tertial after this one; T3 is followed by T1 of the next year."""
        if self.number == 3:
            return Tertial(self.year + 1, 1)
        return Tertial(self.year, self.number + 1)

    def previous(self) -> Tertial:
        """The tertial before this one; T1 is preceded by T3 of the previous year."""
        if self.number == 1:
            return Tertial(self.year - 1, 3)
        return Tertial(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within this tertial (both ends included)."""
        return self.start <= day <= self.end


def tertials_between(start: date, end: date) -> list[Tertial]:
    """The tertials that intersect ``start``..``end`` (both included), in chronological order.

    A tertial counts as soon as one day of it lies in the range, so 2020-03-15..2020-12-31 gives T1, T2
    and T3 of 2020. Raises ValueError when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"The end {end} is before the start {start}.")
    tertial, last = Tertial.containing(start), Tertial.containing(end)
    tertials = [tertial]
    while tertial < last:
        tertial = tertial.next()
        tertials.append(tertial)
    return tertials


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included, e.g. the period a promise applies for.

    A promise usually runs 1 January to 31 December, but it "applies from signing" and may be extended
    past its year, so a period may start and end on any day and span several years.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included (366 for the leap year 2020)."""
        return (self.end - self.start).days + 1

    def days_elapsed(self, at: date) -> int:
        """How many days of the period have passed by the end of ``at``, between 0 and :attr:`days`.

        The day ``at`` itself counts as elapsed, because progress is judged at the close of a day: on the
        first day of the period one day has passed, on the last day all of them. Before the period
        starts nothing has passed; after it ends, everything has.
        """
        if at < self.start:
            return 0
        if at >= self.end:
            return self.days
        return (at - self.start).days + 1

    def tertials(self) -> list[Tertial]:
        """The tertials that intersect the period, in order (see :func:`tertials_between`)."""
        return tertials_between(self.start, self.end)

    def last_tertial(self) -> Tertial:
        """The tertial holding the period's last day."""
        return Tertial.containing(self.end)

    def period_of(self, day: date) -> Tertial:
        """The follow-up period holding ``day``: here its tertial (followup.periods.PlannedPeriod knows other plans)."""
        return Tertial.containing(day)

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls within the period (both ends included)."""
        return self.start <= day <= self.end

    def ended(self, at: date) -> bool:
        """Whether the period is over when judged at ``at``.

        A period is judged at the close of its last day, so on ``end`` itself it has ended: a target
        that is not met by then can no longer be met in time.
        """
        return at >= self.end
