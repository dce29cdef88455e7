"""Follow-up periods of a promise: the units its progress is judged and reported in (docs/RULES.md §17).

A promise chooses a follow-up plan when it is drafted:

* ``tertials`` (the default): T1 January–April, T2 May–August, T3 September–December (:mod:`followup.tertials`);
* ``half_years``: H1 January–June, H2 July–December;
* ``quarters``: Q1 January–March, Q2 April–June, Q3 July–September, Q4 October–December;
* ``yearly``: one period per calendar year, coded by the year alone ("2020");
* ``custom``: a list of end dates inside the promise's period. P1 runs from the period's first day to the first end
  date, P2 from the next day to the second, and so on; a last period always ends with the promise's period. A
  combined report such as Gnosjö's "tertial 1–2" is such a period with a later end (1 January–31 August).

The calendar plans give the periods that intersect the promise's period, exactly like tertials, so a promise
signed on 15 March with a yearly plan has the one period 2020 (its part inside the promise starts on 15 March).
Custom periods are coded by the year the promise starts in and their number: 2020P1, 2020P2.

A tertial promise gets :class:`~followup.tertials.Tertial` values, so it behaves exactly as before and its URLs stay
(…/2020T1/). Every other plan gets :class:`FollowUpPeriod` values, which have the same interface: ``year``,
``number``, ``start``, ``end``, ``code``, ``label``, ``contains``. Plain values only: no ORM, no settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from .tertials import Period, Tertial, tertials_between

__all__ = [
    "CUSTOM",
    "HALF_YEARS",
    "KIND_OF_PLAN",
    "PLANS",
    "QUARTERS",
    "TERTIALS",
    "YEARLY",
    "FollowUpPeriod",
    "PlannedPeriod",
    "Schedule",
    "parse_code",
    "period_from",
    "schedule_of",
]

TERTIALS = "tertials"
HALF_YEARS = "half_years"
QUARTERS = "quarters"
YEARLY = "yearly"
CUSTOM = "custom"
PLANS = (TERTIALS, HALF_YEARS, QUARTERS, YEARLY, CUSTOM)

# The letter of each plan's codes; a yearly period has none in its code ("2020") but "Y" is stored.
KIND_OF_PLAN = {TERTIALS: "T", HALF_YEARS: "H", QUARTERS: "Q", YEARLY: "Y", CUSTOM: "P"}
PLAN_OF_KIND = {kind: plan for plan, kind in KIND_OF_PLAN.items()}

# How many calendar periods a year has, and how many months each lasts, per kind.
_PER_YEAR = {"T": 3, "H": 2, "Q": 4, "Y": 1}

# [0-9] rather than \d, which would also accept digits from other scripts.
_CODE = re.compile(r"([0-9]{4})(?:([THQ])([1-4])|(P)([1-9][0-9]?))?")
# The same, for a URL converter (Django anchors it).
URL_REGEX = r"[0-9]{4}(?:T[1-3]|H[12]|Q[1-4]|P[1-9][0-9]?)?"


def _calendar_bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    months = 12 // _PER_YEAR[kind]
    first_month = (number - 1) * months + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if number == _PER_YEAR[kind] else date(year, first_month + months, 1)
    return start, end - timedelta(days=1)


@dataclass(frozen=True, order=True)
class FollowUpPeriod:
    """One follow-up period of a plan other than tertials: ``FollowUpPeriod("H", 2020, 1)`` is H1 2020.

    Equality, hashing and order go by (kind, year, number), so a period read from a URL code equals the promise's
    own period even before its custom dates are known (see :meth:`Schedule.resolve`).
    """

    kind: str
    year: int
    number: int
    start: date | None = field(default=None, compare=False)
    end: date | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in ("H", "Q", "Y", "P"):
            raise ValueError(f"Not a follow-up period kind: {self.kind!r}.")
        if isinstance(self.year, bool) or not isinstance(self.year, int) or not 1 <= self.year < 9999:
            raise ValueError(f"A period year is between 1 and 9998, not {self.year!r}.")
        limit = _PER_YEAR.get(self.kind, 99)
        if isinstance(self.number, bool) or not isinstance(self.number, int) or not 1 <= self.number <= limit:
            raise ValueError(f"Period number {self.number!r} does not exist for kind {self.kind}.")
        if self.kind != "P" and self.start is None:
            start, end = _calendar_bounds(self.kind, self.year, self.number)
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)

    @property
    def code(self) -> str:
        """The form used in URLs and files: 2020H1, 2020Q3, 2020 (yearly), 2020P2 (custom)."""
        if self.kind == "Y":
            return f"{self.year:04d}"
        return f"{self.year:04d}{self.kind}{self.number}"

    @property
    def label(self) -> str:
        """How people write it: "H1 2020", "Q3 2020", "2020", "P2 2020"."""
        if self.kind == "Y":
            return str(self.year)
        return f"{self.kind}{self.number} {self.year}"

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start is not None and self.start <= day <= self.end


def parse_code(code: str):
    """Read a period code (2020T1, 2020H1, 2020Q1, 2020, 2020P1); raise ValueError on anything else.

    A custom period read this way has no dates yet: :meth:`Schedule.resolve` gives the promise's own.
    """
    match = _CODE.fullmatch(code) if isinstance(code, str) else None
    if match is None:
        raise ValueError(f"Not a follow-up period code (e.g. 2020T1, 2020H1, 2020): {code!r}.")
    year = int(match[1])
    if match[2] == "T":
        return Tertial(year, int(match[3]))
    if match[2]:
        return FollowUpPeriod(match[2], year, int(match[3]))
    if match[4]:
        return FollowUpPeriod("P", year, int(match[5]))
    return FollowUpPeriod("Y", year, 1)


def period_from(kind: str, year: int, number: int, start: date | None = None, end: date | None = None):
    """The period a stored row names: a Tertial for kind "T", else a FollowUpPeriod (custom ones with their dates)."""
    if kind in ("", "T", None):
        return Tertial(year, number)
    if kind == "P":
        return FollowUpPeriod("P", year, number, start, end)
    return FollowUpPeriod(kind, year, number)


@dataclass(frozen=True)
class Schedule:
    """A follow-up plan with, for a custom plan, its end dates."""

    plan: str = TERTIALS
    ends: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        if self.plan not in PLANS:
            raise ValueError(f"Not a follow-up plan: {self.plan!r}.")

    @property
    def kind(self) -> str:
        return KIND_OF_PLAN[self.plan]

    @property
    def is_tertials(self) -> bool:
        return self.plan == TERTIALS

    def periods_between(self, start: date, end: date) -> list:
        """The plan's periods for a promise running ``start``..``end``, in order."""
        if end < start:
            raise ValueError(f"The end {end} is before the start {start}.")
        if self.plan == TERTIALS:
            return tertials_between(start, end)
        if self.plan == CUSTOM:
            ends = sorted({day for day in self.ends if start <= day < end})
            periods, first = [], start
            for number, last in enumerate([*ends, end], start=1):
                periods.append(FollowUpPeriod("P", start.year, number, first, last))
                first = last + timedelta(days=1)
            return periods
        kind = self.kind
        periods = []
        for year in range(start.year, end.year + 1):
            for number in range(1, _PER_YEAR[kind] + 1):
                period = FollowUpPeriod(kind, year, number)
                if period.end >= start and period.start <= end:
                    periods.append(period)
        return periods

    def resolve(self, period, start: date, end: date):
        """The promise's own period equal to ``period`` (e.g. read from a URL), or None when it has none."""
        for candidate in self.periods_between(start, end):
            if candidate == period and type(candidate) is type(period):
                return candidate
        return None


def schedule_of(promise) -> Schedule:
    """The schedule of a promise (anything with ``followup_plan`` and ``followup_period_ends``; default tertials)."""
    plan = getattr(promise, "followup_plan", None) or TERTIALS
    ends = getattr(promise, "followup_period_ends", None) or ()
    return Schedule(plan, tuple(date.fromisoformat(day) if isinstance(day, str) else day for day in ends))


@dataclass(frozen=True)
class PlannedPeriod(Period):
    """A promise's period with its follow-up plan: :meth:`tertials` gives the plan's periods, whatever they are.

    The method names stay those of :class:`~followup.tertials.Period` so that every rule written for tertials
    (followup.progress) works unchanged on any plan; :meth:`periods` and :meth:`last_period` say the same thing.
    """

    schedule: Schedule = field(default_factory=Schedule)

    @cached_property
    def _periods(self) -> tuple:
        return tuple(self.schedule.periods_between(self.start, self.end))

    def tertials(self) -> list:
        return list(self._periods)

    periods = tertials

    def last_tertial(self):
        return self.tertials()[-1]

    last_period = last_tertial

    def period_of(self, day: date):
        """The plan's period holding ``day`` (the first or last one for a day outside the promise's period)."""
        if self.schedule.is_tertials:
            return Tertial.containing(day)
        periods = self._periods
        for period in periods:
            if period.start <= day <= period.end:
                return period
        return periods[0] if day < periods[0].start else periods[-1]
