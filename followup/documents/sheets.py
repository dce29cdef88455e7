"""Sheets: the same table as CSV and XLSX, and the one CSV dialect every download of the portal speaks.

:func:`csv_bytes` is the dialect, shared with the open data API (:mod:`api.renderers`): UTF-8 with a byte order
mark, semicolons between fields and CRLF line ends, so that Swedish Excel opens the file with a double click,
letters and columns intact; :func:`as_text_cell` keeps text a spreadsheet would run as a formula as text.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..snapshot import NO_PLACE, Snapshot
from ..wording import target_text
from .readers import RecordRow, one_decimal

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    """A table to export: a title (the XLSX sheet's name), column headings and rows of plain values.

    Values are str, int, Decimal, date or None; each format writes them in its own way.
    """

    title: str
    headers: list[str]
    rows: list[list]
    # (label, value) pairs written above the table in the XLSX: what the figures are of (see :func:`title_rows`).
    preamble: tuple = ()


def title_rows(*, promise_title: str, period_label: str, report) -> tuple:
    """What a printed sheet must say above its table: the promise, the period, the report's state and approval."""
    if report is None:
        state, approval = _("No report started"), "–"
    else:
        state = str(report.get_status_display())
        approver = report.approved_by
        who = (approver.get_full_name() or approver.get_username()) if approver else ""
        when = report.approved_at.date().isoformat() if report.approved_at else ""
        approval = ", ".join(part for part in (who, when) if part) or "–"
    return (
        (_("Promise"), promise_title),
        (_("Tertial"), period_label),
        (_("Report status"), state),
        (_("Approval"), approval),
    )


def figures_sheet(snapshot: Snapshot) -> Sheet:
    """Every activity's line of the report, with its quantity per period up to the reported one and, for a promise
    of several municipalities, per municipality (records without a place in a column of their own)."""
    shared = snapshot.is_shared
    places_column = any(name == NO_PLACE for item in snapshot.activities for name, _quantity in item.per_municipality)
    municipalities = [*snapshot.municipalities, *([NO_PLACE] if places_column else [])] if shared else []
    headers = [
        _("Focus area"),
        _("Activity"),
        _("Target"),
        _("Target count"),
        _("Unit"),
        _("Target places"),
        _("Achieved"),
        _("Expected"),
        _("Places covered"),
        _("Places missing"),
        _("Status"),
        _("Computed status"),
        _("Comment"),
        _("Public comment"),
        _("Verdict"),
        _("Reason"),
        _("Explanation"),
        *(period.label for period in snapshot.periods),
        *(name or _("no place given") for name in municipalities),
    ]
    rows = []
    for item in snapshot.activities:
        per_municipality = dict(item.per_municipality)
        rows.append(
            [
                item.focus_area,
                # An activity of the internal action plan is marked, as on the staff pages.
                "{} ({})".format(item.title, _("Internal")) if item.internal else item.title,
                # In words as on every page and in the PDF (followup.wording); the count beside it for sums.
                target_text(item),
                item.target_count,
                item.unit,
                ", ".join(item.target_places),
                item.achieved,
                one_decimal(item.expected) if item.has_count else None,
                ", ".join(item.covered_places),
                ", ".join(item.missing_places),
                str(item.status.label),
                str(item.computed_status.label),
                item.comment,
                (_("Yes") if item.comment_public else _("No")) if item.comment else "",
                str(item.verdict_label),
                str(item.verdict_reason_label),
                item.verdict_explanation,
                *(item.per_tertial.get(period.code, 0) for period in snapshot.periods),
                *(per_municipality.get(name, 0) for name in municipalities),
            ]
        )
    return Sheet(title=_("Follow-up"), headers=headers, rows=rows)


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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text: with an apostrophe in front when it would run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(headers: list[str], rows) -> bytes:
    """The portal's CSV: ``headers`` and ``rows`` of ready-made cell texts, as Swedish Excel opens them.

    UTF-8 with a byte order mark, without which Excel guesses Windows-1252 and garbles å, ä and ö. Fields are
    separated by semicolons because Swedish Windows uses the comma as its decimal sign and ";" as its list
    separator: Excel splits a CSV file on the list separator, so commas would leave every row in one column.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


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
    return as_text_cell(str(value))


def sheet_csv(sheet: Sheet) -> bytes:
    """The sheet as the portal's CSV (:func:`csv_bytes`), numbers with a decimal comma and dates as ISO dates."""
    return csv_bytes(sheet.headers, ([_csv_value(value) for value in row] for row in sheet.rows))


def _xlsx_safe_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", "-", title)[:31]


def sheet_xlsx(sheet: Sheet) -> bytes:
    """The sheet as an XLSX workbook: title rows, then a bold, frozen and filterable header row, sensible widths,
    numbers and dates as such, and printed on A4 landscape, one page wide."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _xlsx_safe_title(sheet.title)
    bold = Font(bold=True)
    for row_number, (label, value) in enumerate(sheet.preamble, start=1):
        worksheet.cell(row=row_number, column=1, value=label).font = bold
        worksheet.cell(row=row_number, column=2, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    header_row = len(sheet.preamble) + 2 if sheet.preamble else 1  # a blank row between the titles and the table
    widths = [len(header) for header in sheet.headers]
    for column, header in enumerate(sheet.headers, start=1):
        worksheet.cell(row=header_row, column=column, value=header).font = bold
    for row_number, row in enumerate(sheet.rows, start=header_row + 1):
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
    worksheet.freeze_panes = f"A{header_row + 1}"
    last_column = get_column_letter(max(len(sheet.headers), 1))
    worksheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(sheet.rows)}"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"{header_row}:{header_row}"  # the headings on every printed page
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
