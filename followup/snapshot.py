"""The snapshot: a whole report as the council saw and approved it, in one type that every reader and writer shares.

Submission freezes the report into ``TertialReport.snapshot`` (a JSON column) and approval confirms it; every
page, feed, API answer and PDF of a submitted, approved or published report is drawn from it, never from the
live records, targets, periods or indicator values. Publishing copies it into a :class:`~followup.models.Publication`,
which is never changed afterwards. The live figures of a draft take the same shape
(:func:`followup.selectors.report_snapshot`), so a page shows a draft and an approved report in one way.

What it holds: the period reported on and the promise's period it was judged against (each a start, an end and a
label, so that follow-up plans other than tertials fit), the follow-up periods up to the reported one, the day the
figures were judged at, the promise's title and municipalities, the summary, the council, every activity's target,
figures, statuses, comment, verdict and reason, and every indicator's baseline and values.

This module is the only one that knows the stored shape. The shape is versioned (``version``):
:meth:`Snapshot.from_dict` reads every shape written so far, and a key added later has a default, so an older
snapshot reads as what it held.

* Version 1 (before ``version`` was written) held the tertial code, the day judged, when it was taken and each
  activity's figures. It has no promise period, summary, council, indicators or public comments: those read as
  ``None`` (unknown) or empty, and :meth:`Snapshot.filled_from` fills what the report row itself still knows.
* Version 2 holds everything listed above.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from activities.models import Activity

from .forum import DEFAULT_DECISION, DEFAULT_KIND, Forum
from .indicators import Trend, in_desired_direction, target_reached, trend_of
from .progress import Status
from .tertials import Tertial
from .verdicts import Reason, Verdict

SCHEMA_VERSION = 2

# The key a record without a place is counted under in a breakdown per municipality.
NO_PLACE = ""


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


@dataclass(frozen=True)
class PeriodSnapshot:
    """A span of days, both ends included, with the name the portal gives it.

    A follow-up period has a ``code`` (e.g. "2020T1", the form in addresses) and a ``label`` ("T1 2020"); a
    promise's period has neither. Citizens read it as months (:func:`followup.wording.months_label`).
    """

    start: date
    end: date
    code: str = ""
    label: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> PeriodSnapshot:
        return cls(
            start=_date(data["start"]), end=_date(data["end"]), code=data.get("code", ""), label=data.get("label", "")
        )

    def to_dict(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "code": self.code, "label": self.label}

    @classmethod
    def of_tertial(cls, tertial: Tertial, *, within: PeriodSnapshot | None = None) -> PeriodSnapshot:
        """The tertial, cut to ``within`` (a promise's period) where that starts later or ends earlier."""
        start, end = tertial.start, tertial.end
        if within is not None:
            start, end = max(start, within.start), min(end, within.end)
        return cls(start=start, end=end, code=tertial.code, label=tertial.label)


@dataclass(frozen=True)
class ActivitySnapshot:
    """One activity's line in a report: its target, what was achieved by the day judged, and the assessment."""

    id: int
    title: str
    focus_area: str = ""
    kind: str = ""
    description: str = ""
    unit: str = ""
    target_count: int | None = None
    recurrence: str = ""
    lead_organisation: str = ""
    partner_organisations: tuple[str, ...] = ()
    # The sum of the quantities of every record counted, also for a target without a count (303 controls).
    achieved: int = 0
    # Expected by the day judged (target × share of the period elapsed); 0 for a target without a count.
    expected: float = 0.0
    target_places: tuple[str, ...] = ()
    # "district" when every target place is a district, "site" when every one is a site, else "".
    target_place_kind: str = ""
    covered_places: tuple[str, ...] = ()
    computed_status: Status = Status.ON_TRACK
    # The status the report gives: the computed one unless someone chose another, with a comment, in the assessment.
    status: Status = Status.ON_TRACK
    comment: str = ""
    # Comments are internal unless the coordinator chose to publish this one.
    comment_public: bool = False
    verdict: str = ""
    verdict_reason: str = ""
    # The public explanation of a verdict other than kept.
    verdict_explanation: str = ""
    # Quantity per follow-up period code (e.g. "2020T1") up to the reported one.
    per_tertial: dict[str, int] = field(default_factory=dict)
    # For a promise of several municipalities: (municipality name, quantity), NO_PLACE for records without a place.
    per_municipality: tuple[tuple[str, int], ...] = ()
    # Part of the internal action plan: on staff pages and the council's PDF (marked), never in a published edition.
    internal: bool = False
    # The part of the period the target applies to (ISO dates; empty: the whole period), and the quantity of the
    # records outside it, which do not count towards the target.
    target_window_start: str = ""
    target_window_end: str = ""
    outside_window: int = 0
    # A target per municipality of a shared promise: (municipality, achieved, status) of each municipality's part.
    target_per_municipality: bool = False
    parts: tuple[tuple[str, int, str], ...] = ()

    @property
    def missing_places(self) -> list[str]:
        return [name for name in self.target_places if name not in self.covered_places]

    @property
    def has_count(self) -> bool:
        return self.target_count is not None

    @property
    def whole_target(self) -> int | None:
        """The count all of it needs: for a target per municipality, each municipality's count together."""
        if self.target_count is None or not self.parts:
            return self.target_count
        return self.target_count * len(self.parts)

    @property
    def target_window(self) -> PeriodSnapshot | None:
        if not (self.target_window_start and self.target_window_end):
            return None
        return PeriodSnapshot(start=_date(self.target_window_start), end=_date(self.target_window_end))

    @property
    def part_statuses(self) -> list[tuple[str, int, Status]]:
        return [(name, achieved, Status(status)) for name, achieved, status in self.parts]

    @property
    def recurrence_label(self) -> str:
        return Activity.Recurrence(self.recurrence).label if self.recurrence else ""

    @property
    def public_comment(self) -> str:
        """The comment if it may be published, else nothing: what every public reader shows."""
        return self.comment if self.comment_public else ""

    @property
    def status_overridden(self) -> bool:
        return self.status != self.computed_status

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label if self.verdict else ""

    @property
    def verdict_reason_label(self) -> str:
        return Reason(self.verdict_reason).label if self.verdict_reason else ""

    @classmethod
    def from_dict(cls, data: dict) -> ActivitySnapshot:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        computed = data.get("computed_status") or data.get("status") or Status.ON_TRACK
        values["computed_status"] = Status(computed)
        values["status"] = Status(data.get("status") or computed)
        for name in ("partner_organisations", "target_places", "covered_places"):
            values[name] = tuple(data.get(name) or ())
        values["per_tertial"] = dict(data.get("per_tertial") or {})
        values["per_municipality"] = tuple(
            (item["municipality"], item["quantity"]) for item in data.get("per_municipality") or ()
        )
        values["comment_public"] = bool(data.get("comment_public", False))
        values["internal"] = bool(data.get("internal", False))
        values["target_per_municipality"] = bool(data.get("target_per_municipality", False))
        values["parts"] = tuple(
            (item["municipality"], item["achieved"], item["status"]) for item in data.get("parts") or ()
        )
        return cls(**values)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["computed_status"] = str(self.computed_status)
        data["status"] = str(self.status)
        for name in ("partner_organisations", "target_places", "covered_places"):
            data[name] = list(data[name])
        data["per_municipality"] = [
            {"municipality": name, "quantity": quantity} for name, quantity in self.per_municipality
        ]
        data["parts"] = [
            {"municipality": name, "achieved": achieved, "status": str(status)} for name, achieved, status in self.parts
        ]
        return data


@dataclass(frozen=True)
class ValueSnapshot:
    """One measured value of an indicator: for a tertial (``code``) or for one day (``start`` = ``end``)."""

    start: date
    end: date
    value: Decimal
    code: str = ""
    note: str = ""

    @property
    def is_day(self) -> bool:
        return not self.code

    @classmethod
    def from_dict(cls, data: dict) -> ValueSnapshot:
        return cls(
            start=_date(data["start"]),
            end=_date(data["end"]),
            value=_decimal(data["value"]),
            code=data.get("code", ""),
            note=data.get("note", ""),
        )

    def to_dict(self) -> dict:
        # The value as text, so that 12.50 stays exactly 12.50 in JSON.
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "value": str(self.value),
            "code": self.code,
            "note": self.note,
        }


@dataclass(frozen=True)
class IndicatorSnapshot:
    """An indicator of expected effect with its baseline and its values up to the reported period's end."""

    id: int
    name: str
    unit: str = ""
    source: str = ""
    better: str = "lower"
    target_value: Decimal | None = None
    # The latest value dated before the promise's period, if any: what the trend starts from.
    baseline: ValueSnapshot | None = None
    values: tuple[ValueSnapshot, ...] = ()

    @property
    def series(self) -> tuple[ValueSnapshot, ...]:
        """The baseline (if any) and the values, in time order: what the chart and the table show."""
        return ((self.baseline,) if self.baseline else ()) + self.values

    @property
    def latest(self) -> ValueSnapshot | None:
        return self.series[-1] if self.series else None

    @property
    def trend(self) -> Trend:
        return trend_of([item.value for item in self.series])

    @property
    def in_desired_direction(self) -> bool | None:
        return in_desired_direction(self.trend, self.better)

    @property
    def target_reached(self) -> bool | None:
        return target_reached(self.latest.value if self.latest else None, self.target_value, self.better)

    @classmethod
    def from_dict(cls, data: dict) -> IndicatorSnapshot:
        baseline = data.get("baseline")
        return cls(
            id=data["id"],
            name=data["name"],
            unit=data.get("unit", ""),
            source=data.get("source", ""),
            better=data.get("better", "lower"),
            target_value=_decimal(data.get("target_value")),
            baseline=ValueSnapshot.from_dict(baseline) if baseline else None,
            values=tuple(ValueSnapshot.from_dict(item) for item in data.get("values", [])),
        )

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "source": self.source,
            "better": self.better,
            "target_value": str(self.target_value) if self.target_value is not None else None,
            "baseline": self.baseline.to_dict() if self.baseline else None,
            "values": [item.to_dict() for item in self.values],
        }


@dataclass(frozen=True)
class Snapshot:
    """A whole report: the period, the promise it was judged against, every activity and indicator, the summary.

    ``None`` in ``promise_period``, ``summary``, ``council`` or ``indicators`` means "not frozen": an older
    snapshot that did not hold it (see the module's docstring).
    """

    version: int = SCHEMA_VERSION
    period: PeriodSnapshot | None = None
    promise_period: PeriodSnapshot | None = None
    # The follow-up periods of the promise's period up to and including ``period``: the columns of "per tertial".
    periods: tuple[PeriodSnapshot, ...] = ()
    # Whether ``period`` is the promise's last: the report where verdicts are given.
    is_final: bool = False
    judged_at: date | None = None
    taken_at: datetime | None = None
    # The day of the council meeting that approved the report; None until it is approved.
    meeting_date: date | None = None
    promise_title: str = ""
    municipalities: tuple[str, ...] = ()
    summary: str | None = None
    council: str | None = None
    # What kind of forum the council is and how it decides (followup.forum), frozen with its name; "" before.
    forum_kind: str = ""
    decision: str = ""
    activities: tuple[ActivitySnapshot, ...] = ()
    indicators: tuple[IndicatorSnapshot, ...] | None = None

    @property
    def forum(self):
        """The forum that decided on the report, as frozen: its name and the words of its decision."""
        return Forum.of_snapshot(self)

    @property
    def is_empty(self) -> bool:
        return self.period is None and not self.activities

    @property
    def tertial(self) -> str:
        """The reported period's code, e.g. "2020T1" (empty for an empty snapshot)."""
        return self.period.code if self.period else ""

    @property
    def is_shared(self) -> bool:
        """Whether the promise belongs to several municipalities, so that figures are broken down per municipality."""
        return len(self.municipalities) > 1 or any(item.per_municipality for item in self.activities)

    def public(self) -> Snapshot:
        """The report as citizens may read it: without the internal activities (what a published edition holds)."""
        if not any(item.internal for item in self.activities):
            return self
        return replace(self, activities=tuple(item for item in self.activities if not item.internal))

    def activity(self, activity_id) -> ActivitySnapshot | None:
        return next((item for item in self.activities if item.id == activity_id), None)

    @property
    def status_counts(self) -> dict[Status, int]:
        """How many activities have each status in the report, every status present, best first."""
        counts = dict.fromkeys(Status, 0)
        for item in self.activities:
            counts[item.status] += 1
        return counts

    @property
    def on_course_count(self) -> int:
        """How many activities are done or on track: the headline of a report before the period's end."""
        return sum(1 for item in self.activities if item.status in (Status.DONE, Status.ON_TRACK))

    @property
    def without_verdict_count(self) -> int:
        return self.verdict_counts[""]

    @property
    def verdict_counts(self) -> dict[str, int]:
        """How many activities were kept, partly kept and not kept, and ("") have no verdict: for a final report."""
        counts = dict.fromkeys([*Verdict.values, ""], 0)
        for item in self.activities:
            counts[item.verdict if item.verdict in counts else ""] += 1
        return counts

    def filled_from(self, report) -> Snapshot:
        """An older snapshot completed with what the report row still knows; a complete one as it is.

        The promise's period and municipalities are read as they are now: the best an older snapshot can do.
        """
        if self.is_empty or self.version >= SCHEMA_VERSION:
            return self
        promise = report.promise
        promise_period = self.promise_period or PeriodSnapshot(promise.period_start, promise.period_end)
        return replace(
            self,
            promise_period=promise_period,
            is_final=self.is_final or self.tertial == Tertial.containing(promise_period.end).code,
            summary=report.summary if self.summary is None else self.summary,
            meeting_date=self.meeting_date or report.meeting_date,
            council=(report.council.name if report.council_id else "") if self.council is None else self.council,
            forum_kind=self.forum_kind or (report.council.kind if report.council_id else ""),
            decision=self.decision or (report.council.decision if report.council_id else ""),
            promise_title=self.promise_title or promise.title,
            municipalities=self.municipalities or tuple(m.name for m in promise.municipalities.all()),
        )

    # The stored shape ------------------------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict | None) -> Snapshot:
        data = data or {}
        version = data.get("version", 1)
        judged, taken = data.get("judged_at"), data.get("taken_at")
        activities = tuple(ActivitySnapshot.from_dict(item) for item in data.get("activities", []))
        if "period" in data:
            period = PeriodSnapshot.from_dict(data["period"]) if data["period"] else None
        elif data.get("tertial"):
            # Version 1 named the tertial only; its columns are the tertials its figures were given for.
            period = PeriodSnapshot.of_tertial(Tertial.parse(data["tertial"]))
        else:
            period = None
        if "periods" in data:
            periods = tuple(PeriodSnapshot.from_dict(item) for item in data["periods"])
        else:
            periods = _periods_of_version_1(period, activities)
        indicators = data.get("indicators")
        return cls(
            version=version,
            period=period,
            promise_period=PeriodSnapshot.from_dict(data["promise_period"]) if data.get("promise_period") else None,
            periods=periods,
            is_final=bool(data.get("is_final", False)),
            judged_at=_date(judged),
            taken_at=datetime.fromisoformat(taken) if taken else None,
            meeting_date=_date(data.get("meeting_date")),
            promise_title=data.get("promise_title", ""),
            municipalities=tuple(data.get("municipalities") or ()),
            summary=data.get("summary"),
            council=data.get("council"),
            forum_kind=data.get("forum_kind", ""),
            decision=data.get("decision", ""),
            activities=activities,
            indicators=None if indicators is None else tuple(IndicatorSnapshot.from_dict(item) for item in indicators),
        )

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "period": self.period.to_dict() if self.period else None,
            "promise_period": self.promise_period.to_dict() if self.promise_period else None,
            "periods": [item.to_dict() for item in self.periods],
            "is_final": self.is_final,
            "judged_at": self.judged_at.isoformat() if self.judged_at else None,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "meeting_date": self.meeting_date.isoformat() if self.meeting_date else None,
            "promise_title": self.promise_title,
            "municipalities": list(self.municipalities),
            "summary": self.summary,
            "council": self.council,
            "forum_kind": self.forum_kind,
            "decision": self.decision,
            "activities": [item.to_dict() for item in self.activities],
            "indicators": None if self.indicators is None else [item.to_dict() for item in self.indicators],
        }

    def content(self) -> dict:
        """What the report says, without when it was taken and approved: two equal contents are the same report."""
        data = self.to_dict()
        del data["taken_at"], data["meeting_date"]
        # A snapshot frozen before forums had kinds holds none: the default is what it meant.
        data["forum_kind"] = data["forum_kind"] or DEFAULT_KIND
        data["decision"] = data["decision"] or DEFAULT_DECISION
        return data

    def differences(self, other: Snapshot) -> list[str]:
        """What differs between this report and ``other``, in words: the activities by title, then the rest."""
        if self.content() == other.content():
            return []
        found = []
        theirs = {item.id: item for item in other.activities}
        for item in self.activities:
            if theirs.pop(item.id, None) != item:
                found.append(item.title)
        found += [item.title for item in theirs.values()]
        if self.indicators != other.indicators:
            found.append(_("the indicators"))
        if (self.period, self.promise_period, self.periods, self.judged_at) != (
            other.period,
            other.promise_period,
            other.periods,
            other.judged_at,
        ):
            found.append(_("the promise's period"))
        if (self.promise_title, self.municipalities, self.summary, self.council, self.forum) != (
            other.promise_title,
            other.municipalities,
            other.summary,
            other.council,
            other.forum,
        ):
            found.append(_("the promise's details"))
        return found


def public_dict(data: dict) -> dict:
    """A stored snapshot without its internal activities: what publishing copies into an edition."""
    if not any(item.get("internal") for item in data.get("activities") or ()):
        return data
    return {**data, "activities": [item for item in data["activities"] if not item.get("internal")]}


def _periods_of_version_1(period: PeriodSnapshot | None, activities) -> tuple[PeriodSnapshot, ...]:
    """The columns of a version 1 snapshot: every tertial from the first one its figures name up to the reported one."""
    if period is None:
        return ()
    reported = Tertial.parse(period.code)
    codes = [Tertial.parse(code) for item in activities for code in item.per_tertial]
    tertial = min([reported, *codes])
    columns = []
    while tertial <= reported:
        columns.append(PeriodSnapshot.of_tertial(tertial))
        tertial = tertial.next()
    return tuple(columns)
