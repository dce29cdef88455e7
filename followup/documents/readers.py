"""What the documents of a tertial's follow-up show, read with a fixed number of queries whatever the data size.

The documents are the council's PDF (:mod:`followup.documents.pdf`) and the figures and records as XLSX and CSV
(:mod:`followup.documents.sheets`); this module reads what they show. :func:`figure_rows`, :func:`record_rows`
and :func:`indicator_values` fetch their rows with a fixed number of queries, whatever the number of
activities, records and tertials; the builders in the other two modules never touch the database.

An approved or published report is a frozen document: its figures come from the snapshot taken at approval,
never from the live records, so an export made a year later says what the council approved. A draft or
submitted report (or a tertial without a report) shows the figures as the dashboard computes them now.

No export holds personal data. Records describe work done; who logged one is shown as the organisation the
person logged it for, never by name or user name. Only the approver of a report is named in the PDF: the
council's decision is a public act of office, like the signature on the minutes. The public PDF of a published
report (``report_context(public=True)``) names no one and leaves out the council's comments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from activities.models import ActivityRecord
from promises.models import Membership

from ..models import Assessment, Indicator, IndicatorValue
from ..progress import Status
from ..selectors import activity_rows, period_of, promise_figures
from ..snapshot import ActivitySnapshot
from ..tertials import Tertial

# The same symbols as the status badges on the web pages (static/css/portal.css), as text, so that a status
# reads the same on paper in black and white.
STATUS_SYMBOLS = {
    Status.DONE: "✓",
    Status.ON_TRACK: "→",
    Status.AT_RISK: "!",
    Status.BEHIND: "↓",
    Status.MISSED: "✕",
}

ONE_DECIMAL = Decimal("0.1")


def one_decimal(value) -> Decimal:
    """A figure rounded half up to one decimal, as people read an expected count ("1,3 of 4")."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(str(value))
    return exact.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# Figures --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One activity's figures for a tertial, from the live records or from an approved snapshot alike."""

    focus_area: str
    activity: str
    target_count: int | None
    unit: str
    target_places: list[str]
    achieved: int
    expected: Decimal | None  # None when the target has no count: nothing is expected in numbers
    covered_places: list[str]
    status: Status
    comment: str = ""
    verdict: str = ""
    verdict_reason: str = ""
    # Tertial code -> quantity; None for a tertial after the report's, which the report does not cover yet.
    per_tertial: dict[str, int | None] = field(default_factory=dict)

    @property
    def missing_places(self) -> list[str]:
        return [name for name in self.target_places if name not in self.covered_places]

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def status_symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]

    @property
    def verdict_label(self) -> str:
        return str(Assessment.Verdict(self.verdict).label) if self.verdict else ""

    @property
    def verdict_reason_label(self) -> str:
        return str(Assessment.Reason(self.verdict_reason).label) if self.verdict_reason else ""

    @property
    def target_text(self) -> str:
        """The target in words for the PDF: "at least 8 nya grannsamverkansområden", then its places."""
        parts = []
        if self.target_count is not None:
            parts.append(_("at least %(count)s %(unit)s") % {"count": self.target_count, "unit": self.unit})
        if self.target_places:
            parts.append(", ".join(self.target_places))
        return "; ".join(parts)


def _per_tertial(quantities: dict[str, int], tertials: list[Tertial], reported: Tertial) -> dict[str, int | None]:
    """Quantities for every tertial of the period; those after the reported tertial are left empty.

    A report on T1 is about T1: records already logged for T2 would be half a tertial's work shown as if it
    were the whole, and in an approved snapshot they are frozen mid-way, so later tertials stay blank.
    """
    return {t.code: (quantities.get(t.code, 0) if t <= reported else None) for t in tertials}


def figure_rows(*, promise, tertial: Tertial, report) -> list[FigureRow]:
    """The rows an export of ``tertial`` shows: the snapshot of an approved report, else the live figures.

    The live figures take five queries (four for :func:`~followup.selectors.promise_figures`, one for the
    report's assessments); a snapshot takes none beyond the report itself.
    """
    tertials = period_of(promise).tertials()
    if report is not None and report.is_locked:
        return [_row_of(item, tertials, tertial) for item in report.frozen.activities]
    assessments = {a.activity_id: a for a in report.assessments.all()} if report is not None else {}
    live = activity_rows(promise_figures(promise, tertial), assessments, up_to=tertial)
    return [_row_of(item, tertials, tertial) for item in live]


def _row_of(item: ActivitySnapshot, tertials: list[Tertial], reported: Tertial) -> FigureRow:
    return FigureRow(
        focus_area=item.focus_area,
        activity=item.title,
        target_count=item.target_count,
        unit=item.unit,
        target_places=list(item.target_places),
        achieved=item.achieved,
        expected=one_decimal(item.expected) if item.has_count else None,
        covered_places=list(item.covered_places),
        status=item.status,
        comment=item.comment,
        verdict=item.verdict,
        verdict_reason=item.verdict_reason,
        per_tertial=_per_tertial(item.per_tertial, tertials, reported),
    )


# Records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordRow:
    occurred_on: date
    activity: str
    quantity: int
    unit: str
    place: str
    place_text: str
    summary: str
    participating_organisations: list[str]
    recorded_for: list[str]  # the recorder's organisations, never the person


def record_rows(*, promise, tertial: Tertial) -> list[RecordRow]:
    """The records that count (not voided) of the promise dated in the tertial, oldest first: four queries.

    Who logged a record is given as the recorder's organisations among those that lead or take part in the
    activity: the organisation did the work. A recorder who logged for an activity none of their
    organisations takes part in (a coordinator, say) is shown with all their organisations. User rows are
    never read, so no name can slip into an export.
    """
    period = period_of(promise)
    start, end = max(tertial.start, period.start), min(tertial.end, period.end)
    records = list(
        ActivityRecord.objects.active()
        .filter(activity__promise=promise)
        .in_period(start, end)
        .select_related("activity__lead_organisation", "place")
        .prefetch_related("participating_organisations", "activity__partner_organisations")
        .order_by("occurred_on", "activity__order", "activity_id", "pk")
    )
    memberships = Membership.objects.filter(user_id__in={record.recorded_by_id for record in records})
    organisations_of = defaultdict(list)
    for membership in memberships.select_related("organisation").order_by("organisation__name"):
        organisations_of[membership.user_id].append(membership.organisation)
    rows = []
    for record in records:
        activity = record.activity
        taking_part = {activity.lead_organisation_id, *(o.pk for o in activity.partner_organisations.all())}
        own = organisations_of[record.recorded_by_id]
        recorded_for = [o for o in own if o.pk in taking_part] or own
        rows.append(
            RecordRow(
                occurred_on=record.occurred_on,
                activity=activity.title,
                quantity=record.quantity,
                unit=activity.unit,
                place=record.place.name if record.place else "",
                place_text=record.place_text,
                summary=record.summary,
                participating_organisations=[o.name for o in record.participating_organisations.all()],
                recorded_for=[o.name for o in recorded_for],
            )
        )
    return rows


# Indicators -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    values: list[IndicatorValue]

    @property
    def points(self) -> list[tuple[str, float]]:
        """(label, value) in time order, e.g. for a line chart."""
        return [(value_label(value), float(value.value)) for value in self.values]


def value_label(value: IndicatorValue) -> str:
    return Tertial(value.year, value.number).label if value.year else value.measured_on.isoformat()


def _value_day(value: IndicatorValue) -> date:
    return Tertial(value.year, value.number).end if value.year else value.measured_on


def indicator_values(*, promise, tertial: Tertial) -> list[IndicatorFigures]:
    """The promise's indicators with their values up to the end of ``tertial``, oldest first: two queries.

    Values measured later belong to a later report and are left out.
    """
    in_tertials = Q(year__lt=tertial.year) | Q(year=tertial.year, number__lte=tertial.number)
    up_to = in_tertials | Q(measured_on__lte=tertial.end)
    indicators = Indicator.objects.filter(promise=promise).prefetch_related(
        Prefetch("values", queryset=IndicatorValue.objects.filter(up_to))
    )
    # Sorted here rather than in SQL: tertial and dated values interleave, and databases sort NULLs differently.
    return [
        IndicatorFigures(indicator=indicator, values=sorted(indicator.values.all(), key=_value_day))
        for indicator in indicators.order_by("name")
    ]
