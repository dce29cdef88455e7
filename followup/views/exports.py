"""Downloads of a tertial's follow-up: the council's PDF, and the figures and the records as XLSX or CSV."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from followup import exports
from followup.access import promise_for_follow_up
from followup.models import TertialReport
from followup.selectors import period_of

FIGURE_FORMATS = ("pdf", "xlsx", "csv")
RECORD_FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {"pdf": exports.PDF_CONTENT_TYPE, "xlsx": exports.XLSX_CONTENT_TYPE, "csv": exports.CSV_CONTENT_TYPE}


def _get_promise_for_export(user, promise_id, tertial):
    """The promise if the user may follow it up and the tertial lies in its period; otherwise 404."""
    promise = promise_for_follow_up(user, promise_id)
    if tertial not in period_of(promise).tertials():
        raise Http404
    return promise


def _attachment(content, *, fmt, name):
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


@login_required
@require_safe
def figures_export(request, promise_id, tertial, fmt):
    """Every activity's figures for the tertial: the approved snapshot once the council has approved it."""
    if fmt not in FIGURE_FORMATS:
        raise Http404
    promise = _get_promise_for_export(request.user, promise_id, tertial)
    report = (
        TertialReport.objects.select_related("approved_by", "council")
        .filter(promise=promise, year=tertial.year, number=tertial.number)
        .first()
    )
    rows = exports.figure_rows(promise=promise, tertial=tertial, report=report)
    if fmt == "pdf":
        indicators = exports.indicator_values(promise=promise, tertial=tertial)
        content = exports.report_pdf(
            exports.report_context(promise=promise, tertial=tertial, report=report, rows=rows, indicators=indicators)
        )
    elif fmt == "xlsx":
        content = exports.sheet_xlsx(exports.figures_sheet(rows, promise=promise))
    else:
        content = exports.sheet_csv(exports.figures_sheet(rows, promise=promise))
    return _attachment(content, fmt=fmt, name=f"uppfoljning-{promise.slug}-{tertial.code}")


@login_required
@require_safe
def records_export(request, promise_id, tertial, fmt):
    """The records that count behind the tertial's figures, with organisations and never people."""
    if fmt not in RECORD_FORMATS:
        raise Http404
    promise = _get_promise_for_export(request.user, promise_id, tertial)
    sheet = exports.records_sheet(exports.record_rows(promise=promise, tertial=tertial))
    content = exports.sheet_xlsx(sheet) if fmt == "xlsx" else exports.sheet_csv(sheet)
    return _attachment(content, fmt=fmt, name=f"registreringar-{promise.slug}-{tertial.code}")
