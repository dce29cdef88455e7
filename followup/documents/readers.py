"""What the documents of a tertial's follow-up show, read with a fixed number of queries whatever the data size.

The documents are the council's PDF (:mod:`followup.documents.pdf`) and the figures and records as XLSX and CSV
(:mod:`followup.documents.sheets`); this module reads what they show. :func:`report_document` gives the whole
report as one :class:`~followup.snapshot.Snapshot` and :func:`record_rows` the records, each with a fixed number of
queries, whatever the number of activities, records and tertials; the builders in the other two modules never touch
the database.

A report that has been sent to the council is a frozen document: everything in it comes from the snapshot taken
then (and confirmed at approval), never from the live records, targets, periods or indicator values, so an export
made a year later says what the council approved. A draft (or a tertial without a report) shows the report as it
stands now.

No export holds personal data. Records describe work done; who logged one is shown as the organisation the
person logged it for, never by name or user name. Only the approver of a report is named in the council's PDF:
the council's decision is a public act of office, like the signature on the minutes. The public PDF of a published
report (``report_context(public=True)``) names no one and shows only the comments chosen to be public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from activities.models import ActivityRecord
from promises.models import Membership

from ..progress import Status
from ..selectors import period_of, report_snapshot
from ..snapshot import Snapshot
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


# The report ---------------------------------------------------------------------------------------------------


def report_document(*, promise, tertial: Tertial, report) -> Snapshot:
    """The report a document of ``tertial`` shows: its snapshot once it was sent to the council, else as it stands.

    The live report takes the queries of :func:`~followup.selectors.report_snapshot`; a snapshot none beyond the
    report itself.
    """
    if report is not None and report.is_frozen:
        return report.frozen
    return report_snapshot(promise, tertial, report=report)


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
