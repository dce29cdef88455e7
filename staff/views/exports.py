"""Downloads of a tertial's follow-up: the council's PDF, and the figures and the records as XLSX or CSV; and the
records of the promise's whole period."""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from followup.documents import pdf, readers, sheets
from followup.documents.names import file_name
from followup.models import TertialReport
from followup.selectors import period_of
from followup.wording import months_label

from ..access import period_for_follow_up, promise_for_follow_up

FIGURE_FORMATS = ("pdf", "xlsx", "csv")
RECORD_FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {"pdf": pdf.PDF_CONTENT_TYPE, "xlsx": sheets.XLSX_CONTENT_TYPE, "csv": sheets.CSV_CONTENT_TYPE}


def _attachment(content, *, fmt, name):
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@login_required
@require_safe
def figures_export(request, promise_id, tertial, fmt):
    """The whole report of the tertial: its snapshot once it was sent to the council, else as it stands now."""
    if fmt not in FIGURE_FORMATS:
        raise Http404
    promise, tertial = period_for_follow_up(request.user, promise_id, tertial)
    report = (
        TertialReport.objects.select_related("approved_by", "council", "promise")
        .filter(promise=promise, **TertialReport.key_of(tertial))
        .first()
    )
    snapshot = readers.report_document(promise=promise, tertial=tertial, report=report)
    if fmt == "pdf":
        content = pdf.report_pdf(pdf.report_context(snapshot, report=report))
    elif fmt == "xlsx":
        sheet = sheets.figures_sheet(snapshot)
        titles = sheets.title_rows(promise_title=promise.title, period_label=tertial.label, report=report)
        content = sheets.sheet_xlsx(replace(sheet, preamble=titles))
    else:
        content = sheets.sheet_csv(sheets.figures_sheet(snapshot))
    return _attachment(content, fmt=fmt, name=file_name("uppfoljning", promise.slug, tertial.code))


@login_required
@require_safe
def records_export(request, promise_id, tertial, fmt):
    """The records that count behind the tertial's figures, with organisations and never people."""
    if fmt not in RECORD_FORMATS:
        raise Http404
    promise, tertial = period_for_follow_up(request.user, promise_id, tertial)
    sheet = sheets.records_sheet(readers.record_rows(promise=promise, tertial=tertial))
    if fmt == "xlsx":
        report = (
            TertialReport.objects.select_related("approved_by")
            .filter(promise=promise, **TertialReport.key_of(tertial))
            .first()
        )
        titles = sheets.title_rows(promise_title=promise.title, period_label=tertial.label, report=report)
        sheet = replace(sheet, preamble=titles)
    content = sheets.sheet_xlsx(sheet) if fmt == "xlsx" else sheets.sheet_csv(sheet)
    return _attachment(content, fmt=fmt, name=file_name("registreringar", promise.slug, tertial.code))


@login_required
@require_safe
def records_export_all(request, promise_id, fmt):
    """Every record that counts of the promise's whole period, in the same columns as a tertial's, for the same
    people (its coordinators and council; 404 for everyone else)."""
    if fmt not in RECORD_FORMATS:
        raise Http404
    promise = promise_for_follow_up(request.user, promise_id)
    period = period_of(promise)
    sheet = sheets.records_sheet(readers.record_rows(promise=promise, tertial=period))
    if fmt == "xlsx":
        # No report covers the whole period: the title rows say which promise and which days, nothing more.
        titles = ((_("Promise"), promise.title), (_("Period"), months_label(period.start, period.end)))
        sheet = replace(sheet, preamble=titles)
    content = sheets.sheet_xlsx(sheet) if fmt == "xlsx" else sheets.sheet_csv(sheet)
    return _attachment(content, fmt=fmt, name=file_name("registreringar", promise.slug))
