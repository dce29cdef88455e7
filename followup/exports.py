"""Exports of a tertial's follow-up: the council's PDF, and the figures and the records behind them as XLSX and CSV.

Two kinds of function live here. The readers (:func:`figure_rows`, :func:`record_rows`,
:func:`indicator_values`) fetch what an export shows with a fixed number of queries, whatever the number of
activities, records and tertials. The builders (:func:`sheet_csv`, :func:`sheet_xlsx`, :func:`report_pdf`)
turn plain rows into bytes and never touch the database.

An approved or published report is a frozen document: its figures come from the snapshot taken at approval,
never from the live records, so an export made a year later says what the council approved. A draft or
submitted report (or a tertial without a report) shows the figures as the dashboard computes them now.

No export holds personal data. Records describe work done; who logged one is shown as the organisation the
person logged it for, never by name or user name. Only the approver of a report is named in the PDF: the
council's decision is a public act of office, like the signature on the minutes. The public PDF of a published
report (``report_context(public=True)``) names no one and leaves out the council's comments.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from activities.models import ActivityRecord
from promises.models import Membership

from .charts import format_number, line_chart_svg, progress_bar_svg
from .models import Assessment, Indicator, IndicatorValue
from .progress import Status, status_counts
from .selectors import activity_rows, judged_at, period_of, promise_figures
from .tertials import Tertial

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

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
        return [_row_from_snapshot(item, tertials, tertial) for item in report.snapshot.get("activities", [])]
    assessments = {a.activity_id: a for a in report.assessments.all()} if report is not None else {}
    live = activity_rows(promise_figures(promise, tertial), assessments, up_to=tertial)
    return [_row_from_snapshot(item, tertials, tertial) for item in live]


def _row_from_snapshot(item: dict, tertials: list[Tertial], reported: Tertial) -> FigureRow:
    return FigureRow(
        focus_area=item.get("focus_area", ""),
        activity=item["title"],
        target_count=item.get("target_count"),
        unit=item.get("unit", ""),
        target_places=list(item.get("target_places", [])),
        achieved=item.get("achieved", 0),
        expected=one_decimal(item["expected"]) if item.get("target_count") is not None else None,
        covered_places=list(item.get("covered_places", [])),
        status=Status(item.get("status") or item["computed_status"]),
        comment=item.get("comment", ""),
        verdict=item.get("verdict", ""),
        verdict_reason=item.get("verdict_reason", ""),
        per_tertial=_per_tertial(item.get("per_tertial", {}), tertials, reported),
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


# Sheets: the same table as CSV and XLSX --------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A table to export: a title (the XLSX sheet's name), column headings and rows of plain values.

    Values are str, int, Decimal, date or None; each format writes them in its own way.
    """

    title: str
    headers: list[str]
    rows: list[list]


def figures_sheet(rows: list[FigureRow], *, promise) -> Sheet:
    tertials = period_of(promise).tertials()
    headers = [
        _("Focus area"),
        _("Activity"),
        _("Target"),
        _("Unit"),
        _("Target places"),
        _("Achieved"),
        _("Expected"),
        _("Places covered"),
        _("Places missing"),
        _("Status"),
        _("Comment"),
        _("Verdict"),
        _("Reason"),
        *(t.label for t in tertials),
    ]
    return Sheet(
        title=_("Follow-up"),
        headers=headers,
        rows=[
            [
                row.focus_area,
                row.activity,
                row.target_count,
                row.unit,
                ", ".join(row.target_places),
                row.achieved,
                row.expected,
                ", ".join(row.covered_places),
                ", ".join(row.missing_places),
                row.status_label,
                row.comment,
                row.verdict_label,
                row.verdict_reason_label,
                *(row.per_tertial.get(t.code) for t in tertials),
            ]
            for row in rows
        ],
    )


def records_sheet(rows: list[RecordRow]) -> Sheet:
    headers = [
        _("Date"),
        _("Activity"),
        _("Quantity"),
        _("Unit"),
        _("Place"),
        _("Place description"),
        _("Summary"),
        _("Participating organisations"),
        _("Recorded by (organisation)"),
    ]
    return Sheet(
        # Voided records are left out; the sheet's name says so, since a sheet has no room for a footnote.
        title=_("Records that count"),
        headers=headers,
        rows=[
            [
                row.occurred_on,
                row.activity,
                row.quantity,
                row.unit,
                row.place,
                row.place_text,
                row.summary,
                ", ".join(row.participating_organisations),
                ", ".join(row.recorded_for),
            ]
            for row in rows
        ],
    )


# A spreadsheet runs text that starts with one of these as a formula ("CSV injection"); free text typed by
# staff must stay text, so such text is prefixed with an apostrophe, which Excel hides and keeps as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # A decimal comma, as Swedish Excel reads numbers (it goes with the semicolon below).
        return str(value).replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def sheet_csv(sheet: Sheet) -> bytes:
    """The sheet as CSV that Swedish Excel opens with a double click, letters and columns intact.

    UTF-8 with a byte order mark, without which Excel guesses Windows-1252 and garbles å, ä and ö. Fields are
    separated by semicolons because Swedish Windows uses the comma as its decimal sign and ";" as its list
    separator: Excel splits a CSV file on the list separator, so commas would leave every row in one column.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _xlsx_safe_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", "-", title)[:31]


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an XLSX workbook: bold, frozen header row, sensible widths, numbers and dates as such."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _xlsx_safe_title(sheet.title)
    bold = Font(bold=True)
    widths = [len(header) for header in sheet.headers]
    for column, header in enumerate(sheet.headers, start=1):
        worksheet.cell(row=1, column=column, value=header).font = bold
    for row_number, row in enumerate(sheet.rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                # openpyxl refuses control characters that a pasted text may carry; they mean nothing here.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = worksheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                # openpyxl would store text starting with "=" as a formula: keep what staff typed as text.
                cell.data_type = "s"
            elif isinstance(value, Decimal):
                cell.number_format = "0.0"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            length = 10 if isinstance(value, date) else len(str(value)) if value is not None else 0
            widths[column - 1] = max(widths[column - 1], length)
    worksheet.freeze_panes = "A2"
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


# PDF ------------------------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal that is safe inside a <style> element.

    Everything but letters, digits and spaces is written as a hexadecimal escape, so neither a quote nor
    "</style>" in a translation can end the string or the element.
    """
    return '"' + "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text) + '"'


def _page_counter_css() -> str:
    """CSS content for "Page 2 of 5" in the active language, with the numbers as CSS page counters."""
    parts = re.split(r"(%\(number\)s|%\(total\)s)", _("Page %(number)s of %(total)s"))
    counters = {"%(number)s": "counter(page)", "%(total)s": "counter(pages)"}
    return " ".join(counters.get(part) or _css_string(part) for part in parts if part)


def _activity_items(rows: list[FigureRow]) -> list[dict]:
    """The rows of the activity table, each with a progress bar when its target has a count."""
    items = []
    for index, row in enumerate(rows):
        bar = ""
        if row.target_count is not None:
            bar = progress_bar_svg(
                achieved=row.achieved,
                target=row.target_count,
                expected=row.expected,
                label=_("%(achieved)s of %(target)s %(unit)s")
                % {"achieved": row.achieved, "target": row.target_count, "unit": row.unit},
                element_id=f"activity-{index}",
            )
        items.append({"row": row, "bar": bar})
    return items


def _indicator_items(indicators: list[IndicatorFigures]) -> list[dict]:
    """The indicators with their values as a table and, from two values on, as a line chart."""
    items = []
    for item in indicators:
        points = item.points
        chart = ""
        if len(points) >= 2:
            chart = line_chart_svg(
                title=item.indicator.name,
                description="; ".join(f"{label}: {format_number(value, -2)}" for label, value in points),
                points=points,
                unit=item.indicator.unit,
                element_id=f"indicator-{item.indicator.pk}",
            )
        values = [{"label": value_label(value), "value": value.value, "note": value.note} for value in item.values]
        items.append({"indicator": item.indicator, "values": values, "chart": chart})
    return items


def report_context(*, promise, tertial: Tertial, report, rows: list[FigureRow], indicators, public=False) -> dict:
    """Everything the PDF template shows, as plain values: no query is made while rendering.

    ``promise`` needs its municipalities prefetched and ``report`` (or None) its approver and council.
    ``public`` is for the citizens' copy: the approver is not named and assessment comments are left out.
    """
    if public:
        rows = [replace(row, comment="") for row in rows]
    locked = report is not None and report.is_locked
    snapshot = report.snapshot if locked else {}
    reported = [t for t in period_of(promise).tertials() if t <= tertial]
    approver = report.approved_by if locked and not public else None
    # A snapshot records the day its figures were judged at; live figures are judged at the tertial's end.
    judged = date.fromisoformat(snapshot["judged_at"]) if "judged_at" in snapshot else judged_at(promise, tertial)
    return {
        "promise": promise,
        "tertial": tertial,
        "report": report,
        "municipalities": ", ".join(m.name for m in promise.municipalities.all()),
        "activity_items": _activity_items(rows),
        # Up to the reported tertial: later ones are empty in a report (see _per_tertial) and only take room.
        "tertials": reported,
        "per_tertial_rows": [
            {"activity": row.activity, "unit": row.unit, "quantities": [row.per_tertial.get(t.code) for t in reported]}
            for row in rows
        ],
        "status_counts": [
            {"label": status.label, "symbol": STATUS_SYMBOLS[status], "value": status.value, "count": count}
            for status, count in status_counts(row.status for row in rows).items()
        ],
        "is_draft": not locked,
        "public": public,
        "judged_at": judged,
        "approver": (approver.get_full_name() or approver.get_username()) if approver else "",
        "indicators": _indicator_items(indicators),
        "draft_marker_css": mark_safe(_css_string(_("Draft"))),  # noqa: S308 - escaped by _css_string
        "page_counter_css": mark_safe(_page_counter_css()),  # noqa: S308 - built from escaped strings
    }


def report_pdf(context: dict) -> bytes:
    """The council's report as an A4 PDF, rendered by WeasyPrint without reaching any other host."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only a PDF download needs to pay for.
    from weasyprint import HTML

    html = render_to_string("followup/report_pdf.html", context)
    return HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher()).write_pdf()


def offline_url_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL but inline ``data:`` ones.

    Everything the PDF needs is inline. Refusing the rest means no text that slips into the HTML can make the
    server reach another host, or read a local file, while it renders.
    """
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})
