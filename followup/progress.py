"""Progress of committed activities against their targets, computed from already-fetched plain data.

Progress is never typed by hand: it is derived from the non-voided activity records, at any date, by the
rules in DESIGN.md section 5 ("Progress"). This module holds those rules and nothing else. It takes plain
values (:class:`Target`, :class:`RecordFact`, :class:`~followup.tertials.Period`) and does no database
access, so that a selector can fetch a whole promise's records with one query, hand them to
:func:`promise_progress`, and the rules can be tested exhaustively without a database.

The rules, for an activity at date *at* (all dates inclusive; a day counts once it has begun, a tertial
and the period are judged at their last day):

* achieved = the sum of the quantities of the records dated from the period's start up to *at* (never past
  the period's end); covered = the target places with at least one such record.
* expected by *at* = target * days of the period elapsed by *at* / days in the period, as an exact
  fraction.
* A target with a count and/or places is **done** when every part of it is met; otherwise **missed** once
  the period has ended; before that **on track** when achieved ≥ ⌊expected⌋, **at risk** when achieved ≥
  ⌊expected / 2⌋, else **behind**. Coverage is judged in the same way on the number of places covered.
  With both a count and places the status is the worse of the two parts.
* A continuous activity without a count or places: every completed tertial without a record is a gap.
* A one-off activity without a count or places: done after its first record, at risk in the period's
  last tertial, missed after the period.

:func:`activity_progress` states the details.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from followup.tertials import Period, Tertial

__all__ = [
    "Progress",
    "RecordFact",
    "Recurrence",
    "Status",
    "Target",
    "activity_progress",
    "promise_progress",
    "quantities_by_group",
    "quantities_by_tertial",
    "status_counts",
    "target_progress",
    "worst_of",
]


class Recurrence(StrEnum):
    """How often an activity without a number is meant to happen."""

    ONCE = "once"
    CONTINUOUS = "continuous"


class Status(StrEnum):
    """The judgement of one activity at a date, from best to worst.

    The values are stable identifiers, fit to store (e.g. in a report's snapshot); :attr:`label` is what
    people read. Colour is never the only signal, so wherever a status is shown its label is too.
    """

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    MISSED = "missed"

    @property
    def label(self) -> str:
        """The label to show, translatable: in Swedish Uppfyllt, Enligt plan, Risk, Efter plan, Ej uppfyllt.

        The value is a lazy translation, evaluated in the language active when it is rendered.
        """
        return _LABELS[self]

    @property
    def rank(self) -> int:
        """0 for done up to 4 for missed: the higher, the worse, for picking "the worst of" statuses."""
        return _RANKS[self]


# Source strings are English, as everywhere in the code; the Swedish wording lives in the translation files.
_LABELS = {
    Status.DONE: _("Done"),
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.BEHIND: _("Behind"),
    Status.MISSED: _("Missed"),
}

# The members are declared from best to worst. Missed comes after behind because it is final: the period is
# over and the target can no longer be met in time.
_RANKS = {status: rank for rank, status in enumerate(Status)}


def worst_of(statuses: Iterable[Status]) -> Status:
    """The worst of ``statuses`` by :attr:`Status.rank`; raises ValueError when there are none."""
    return max(statuses, key=lambda status: status.rank)


@dataclass(frozen=True)
class Target:
    """What an activity commits to, as plain data.

    ``count`` is "at least N" in total over the period (None when the activity has no number);
    ``places`` are the ids of the places that must each see at least one record (empty when none);
    ``recurrence`` is "once" or "continuous" and only matters when there is neither a count nor places.
    ``window`` is the part of the period the target applies to (None: the whole period); ``per_municipality``
    makes the target each municipality's of a shared promise (see :func:`target_progress`).
    """

    count: int | None
    places: frozenset[int]
    recurrence: str
    window: Period | None = None
    per_municipality: bool = False

    def __post_init__(self) -> None:
        if self.count is not None and self.count < 0:
            raise ValueError(f"A target count cannot be negative: {self.count}.")
        # Accept any iterable of ids (a selector may hand over a list or a set) but keep the value hashable.
        object.__setattr__(self, "places", frozenset(self.places))
        # Recurrence(...) raises ValueError on anything but "once" or "continuous".
        object.__setattr__(self, "recurrence", Recurrence(self.recurrence))


@dataclass(frozen=True, slots=True)
class RecordFact:
    """The part of one activity record that progress depends on.

    Callers pass only records that are not voided; the database guarantees a quantity of at least 1.
    """

    occurred_on: date
    quantity: int
    place_id: int | None = None


@dataclass(frozen=True)
class Progress:
    """Where one activity stands at a date.

    ``expected`` and ``expected_places`` are exact fractions (0 when the target has no count or places);
    ``gaps`` is only counted for continuous activities without a count or places, and is 0 otherwise.
    """

    status: Status
    achieved: int
    expected: Fraction
    target_count: int | None
    covered: frozenset[int]
    target_places: frozenset[int]
    expected_places: Fraction
    gaps: int
    # The quantity of the records in the period but outside the target's window: shown, never counted towards it.
    outside_window: int = 0
    # For a target per municipality: (municipality, that municipality's progress) for each, in order.
    parts: tuple = ()

    @property
    def label(self) -> str:
        """The translatable label of :attr:`status`."""
        return self.status.label

    @property
    def expected_floor(self) -> int:
        """⌊expected⌋: the count reached at least "on track"."""
        return math.floor(self.expected)

    @property
    def expected_places_floor(self) -> int:
        """⌊expected places⌋: the number of places to have covered to be "on track"."""
        return math.floor(self.expected_places)

    @property
    def remaining(self) -> int | None:
        """How many more are needed to meet the count (0 once met), or None when there is no count."""
        if self.target_count is None:
            return None
        if self.parts:
            return sum(part.remaining or 0 for _name, part in self.parts)
        return max(0, self.target_count - self.achieved)

    @property
    def missing_places(self) -> frozenset[int]:
        """The target places without any record yet."""
        return self.target_places - self.covered

    @property
    def percent(self) -> int | None:
        """The share of the count achieved, in whole percent rounded down and capped at 100, for a bar.

        None when there is no count. Going beyond the target shows as 100; :attr:`achieved` has the
        real figure.
        """
        if self.target_count is None:
            return None
        if self.target_count == 0:
            return 100
        if self.parts:
            # Going beyond the target in one municipality makes up for nothing in another.
            credited = sum(min(part.achieved, part.target_count or 0) for _name, part in self.parts)
            return min(100, credited * 100 // self.target_count)
        return min(100, self.achieved * 100 // self.target_count)


def _judge(*, have: int, need: int, expected: Fraction, ended: bool) -> Status:
    """The status of one part of a target (the count, or the number of places covered)."""
    if have >= need:
        return Status.DONE
    if ended:
        return Status.MISSED
    if have >= math.floor(expected):
        return Status.ON_TRACK
    if have >= math.floor(expected / 2):
        return Status.AT_RISK
    return Status.BEHIND


def _tertial_part(tertial: Tertial, period: Period) -> Period:
    """The part of ``tertial`` inside ``period``; raises ValueError for a tertial outside the period."""
    return Period(max(tertial.start, period.start), min(tertial.end, period.end))


def _count_gaps(*, period: Period, at: date, tertials_with_records: set[Tertial]) -> int:
    """The completed tertials of ``period`` without a record, judged at ``at``.

    A tertial is completed once the last day of its part inside the period has been reached, so the
    gap shows on that very day, and a short first tertial of a promise signed mid-year counts like a
    whole one.
    """
    return sum(
        1
        for tertial in period.tertials()
        if _tertial_part(tertial, period).end <= at and tertial not in tertials_with_records
    )


def activity_progress(*, target: Target, records: Iterable[RecordFact], period: Period, at: date) -> Progress:
    """The progress of one activity with ``target`` over ``period``, judged at the close of day ``at``.

    ``records`` are the activity's non-voided records; those dated before the period, after its end or
    after ``at`` are ignored here, so a caller may pass more than it needs.

    **Count and places.** achieved = the sum of the quantities of the records in the period up to ``at``;
    covered = the target places with at least one such record. Expected by ``at`` = count * days elapsed
    / days in the period (:meth:`Period.days_elapsed`: the day ``at`` counts, so on the first day one day
    has elapsed), likewise expected places = number of places * days elapsed / days. Each part is

    * **done** when met (achieved ≥ count; every target place covered), whenever that happens;
    * otherwise **missed** once the period has ended (on its last day and after);
    * otherwise **on track** when achieved ≥ ⌊expected⌋, **at risk** when achieved ≥ ⌊expected / 2⌋,
      else **behind**.

    With both a count and places, the status is the worse of the two parts, a part that is met counting
    as done: 10 of 8 done but 1 of 3 places covered is the places' status.

    **Continuous, with neither a count nor places.** Every completed tertial of the period without a
    record is a gap. A tertial is completed on the last day of its part inside the period; for a promise
    signed mid-year the first tertial is only the part from the start of the period, and records must
    fall inside the period. 0 gaps is **on track**, and **done** once the period has ended; more than
    one gap is **behind**, and **missed** once the period has ended. Exactly one gap is **at risk**, also
    after the period has ended: DESIGN.md gives "missed" only for "more" gaps at the end, so an activity
    that was kept up in all tertials but one is judged at risk rather than missed.

    **Once, with neither a count nor places.** **Done** after its first record; otherwise **missed** once
    the period has ended, **at risk** from the first day of the period's last tertial (of the part of it
    inside the period), and **on track** before that.

    Before the period starts nothing has been achieved, nothing is expected and no tertial is
    completed, so every kind of target is **on track** (a count of 0 is done).
    """
    # Records after `at` are ignored so that progress can be recomputed as it stood on any past day.
    last_counted_day = min(at, period.end)
    # Which tertials have records is only needed for the gap rule; skip the work for other targets.
    judge_by_gaps = target.count is None and not target.places and target.recurrence == Recurrence.CONTINUOUS

    achieved = 0
    has_record = False
    places_seen: set[int] = set()
    tertials_with_records: set[Tertial] = set()
    for record in records:
        if not period.start <= record.occurred_on <= last_counted_day:
            continue
        has_record = True
        achieved += record.quantity
        if record.place_id is not None:
            places_seen.add(record.place_id)
        if judge_by_gaps:
            tertials_with_records.add(period.period_of(record.occurred_on))

    covered = target.places & places_seen
    elapsed = period.days_elapsed(at)
    expected = Fraction(target.count * elapsed, period.days) if target.count is not None else Fraction(0)
    expected_places = Fraction(len(target.places) * elapsed, period.days)
    ended = period.ended(at)
    gaps = 0

    if target.count is not None or target.places:
        parts = []
        if target.count is not None:
            parts.append(_judge(have=achieved, need=target.count, expected=expected, ended=ended))
        if target.places:
            parts.append(_judge(have=len(covered), need=len(target.places), expected=expected_places, ended=ended))
        status = worst_of(parts)
    elif judge_by_gaps:
        gaps = _count_gaps(period=period, at=at, tertials_with_records=tertials_with_records)
        if gaps == 0:
            status = Status.DONE if ended else Status.ON_TRACK
        elif gaps == 1:
            status = Status.AT_RISK
        else:
            status = Status.MISSED if ended else Status.BEHIND
    elif has_record:
        status = Status.DONE
    elif ended:
        status = Status.MISSED
    elif at >= _tertial_part(period.last_tertial(), period).start:
        status = Status.AT_RISK
    else:
        status = Status.ON_TRACK

    return Progress(
        status=status,
        achieved=achieved,
        expected=expected,
        target_count=target.count,
        covered=covered,
        target_places=target.places,
        expected_places=expected_places,
        gaps=gaps,
    )


def target_window(target: Target, period: Period) -> Period:
    """The days the target is judged over: its window, cut to the period, or the whole period."""
    if target.window is None:
        return period
    start, end = max(target.window.start, period.start), min(target.window.end, period.end)
    return Period(start, end) if start <= end else period


def _outside_window(records: Sequence[RecordFact], *, period: Period, window: Period, at: date) -> int:
    """The quantity of the records of ``period`` up to ``at`` that fall outside ``window``."""
    last_counted_day = min(at, period.end)
    return sum(
        record.quantity
        for record in records
        if period.start <= record.occurred_on <= last_counted_day and not window.contains(record.occurred_on)
    )


def _municipal_progress(
    *, target: Target, records: Sequence[RecordFact], window: Period, at: date, groups: tuple
) -> Progress:
    """A target per municipality: each municipality judged on its own records and target places, kept only when
    each part is (the worst part's status). ``groups`` is (the municipalities in order, {place id: municipality})."""
    names, group_of = groups
    parts = []
    for name in names:
        places = frozenset(place for place in target.places if group_of.get(place) == name)
        if target.places and not places and target.count is None:
            continue  # none of the target places is here: this municipality has no part of the target
        mine = [record for record in records if record.place_id is not None and group_of.get(record.place_id) == name]
        part_target = replace(target, places=places, window=None, per_municipality=False)
        parts.append((name, activity_progress(target=part_target, records=mine, period=window, at=at)))
    if not parts:
        return activity_progress(target=replace(target, window=None), records=records, period=window, at=at)
    progresses = [part for _name, part in parts]
    return Progress(
        status=worst_of(part.status for part in progresses),
        # Records without a place, or at a place of no municipality of the promise, are no municipality's part.
        achieved=sum(part.achieved for part in progresses),
        expected=sum((part.expected for part in progresses), Fraction(0)),
        target_count=target.count * len(parts) if target.count is not None else None,
        covered=frozenset().union(*(part.covered for part in progresses)),
        target_places=target.places,
        expected_places=sum((part.expected_places for part in progresses), Fraction(0)),
        gaps=sum(part.gaps for part in progresses),
        parts=tuple(parts),
    )


def target_progress(
    *, target: Target, records: Iterable[RecordFact], period: Period, at: date, groups: tuple | None = None
) -> Progress:
    """The progress of one activity, with its target's window and its share per municipality taken into account.

    **Window.** A target with a window (e.g. 1 January–30 April) is judged as if the window were the period
    (:func:`activity_progress` over it): expected by ``at`` is prorated over the window's days only (0 before it
    starts, the whole target from its last day), only records inside it count, and the status is final from the
    window's last day on. Records of the period outside the window are given as ``outside_window``.

    **Per municipality.** With ``target.per_municipality`` and ``groups`` (the promise's municipalities in order and
    {place id: municipality}), each municipality is judged on the records at its places (the count applies to each,
    the target places to those in it; the gap rule per municipality); the status is the worst part's, so the
    activity is kept only when each municipality's part is. Without ``groups`` (one municipality) the target is
    judged as a whole.
    """
    records = list(records)
    window = target_window(target, period)
    if target.per_municipality and groups is not None:
        progress = _municipal_progress(target=target, records=records, window=window, at=at, groups=groups)
    else:
        progress = activity_progress(target=target, records=records, period=window, at=at)
    if window != period:
        progress = replace(progress, outside_window=_outside_window(records, period=period, window=window, at=at))
    return progress


def promise_progress(
    *,
    targets: Mapping[int, Target],
    records: Iterable[tuple[int, RecordFact]],
    period: Period,
    at: date,
    groups: tuple | None = None,
) -> dict[int, Progress]:
    """The progress of every activity of a promise, keyed like ``targets`` (by activity id).

    ``records`` are ``(activity id, record)`` pairs for the promise's non-voided records, as one query
    yields them; they are grouped in a single pass. Every activity in ``targets`` gets a result, also
    without records; records of activities not in ``targets`` are ignored. ``groups`` is what
    :func:`target_progress` needs for targets per municipality.
    """
    grouped: dict[int, list[RecordFact]] = {activity_id: [] for activity_id in targets}
    for activity_id, record in records:
        bucket = grouped.get(activity_id)
        if bucket is not None:
            bucket.append(record)
    return {
        activity_id: target_progress(target=target, records=grouped[activity_id], period=period, at=at, groups=groups)
        for activity_id, target in targets.items()
    }


def quantities_by_tertial(records: Iterable[RecordFact], period: Period) -> dict[Tertial, int]:
    """The sum of the quantities per tertial of ``period``, in order; 0 for a tertial without records.

    Records outside the period are left out, so a tertial cut by the period only counts its part inside.
    """
    totals = dict.fromkeys(period.tertials(), 0)
    for record in records:
        if period.contains(record.occurred_on):
            totals[period.period_of(record.occurred_on)] += record.quantity
    return totals


def quantities_by_group(
    records: Iterable[RecordFact], *, period: Period, at: date, group_of: Mapping[int, object], default=None
) -> dict:
    """The sum of the quantities counted at ``at`` per group of the records' places (e.g. per municipality).

    Counts the records :func:`activity_progress` counts (in the period, up to ``at``), so the groups add up to
    the achieved figure. ``group_of`` maps a place id to its group; a record without a place, or at a place not in
    ``group_of``, is counted under ``default``. Only groups with records appear.
    """
    totals: dict = {}
    last_counted_day = min(at, period.end)
    for record in records:
        if not period.start <= record.occurred_on <= last_counted_day:
            continue
        group = group_of.get(record.place_id, default) if record.place_id is not None else default
        totals[group] = totals.get(group, 0) + record.quantity
    return totals


def status_counts(progresses: Iterable[Progress | Status]) -> dict[Status, int]:
    """How many activities have each status, with every status present (0 when none), best first.

    Accepts :class:`Progress` values or bare statuses (e.g. the council's assessments in a report).
    """
    counts = dict.fromkeys(Status, 0)
    for item in progresses:
        counts[item.status if isinstance(item, Progress) else Status(item)] += 1
    return counts
