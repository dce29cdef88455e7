"""The council's report as an A4 PDF, drawn by WeasyPrint from rows that :mod:`followup.documents.readers` read.

Nothing here touches the database: :func:`report_context` turns rows into plain values, and :func:`report_pdf`
renders them without reaching any other host.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..charts import format_number, line_chart_svg, progress_bar_svg
from ..progress import status_counts
from ..selectors import judged_at, period_of
from ..tertials import Tertial
from .readers import STATUS_SYMBOLS, FigureRow, IndicatorFigures, value_label

PDF_CONTENT_TYPE = "application/pdf"


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
    frozen_on = report.frozen.judged_at if locked else None
    reported = [t for t in period_of(promise).tertials() if t <= tertial]
    approver = report.approved_by if locked and not public else None
    # A snapshot records the day its figures were judged at; live figures are judged at the tertial's end.
    judged = frozen_on or judged_at(promise, tertial)
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

    html = render_to_string("documents/report.html", context)
    return HTML(string=html, base_url=None, url_fetcher=offline_url_fetcher()).write_pdf()


def offline_url_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL but inline ``data:`` ones.

    Everything the PDF needs is inline. Refusing the rest means no text that slips into the HTML can make the
    server reach another host, or read a local file, while it renders.
    """
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})
