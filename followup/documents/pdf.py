"""The council's report as an A4 PDF, drawn by WeasyPrint from the report's snapshot (followup.documents.readers).

Nothing here touches the database: :func:`report_context` turns a snapshot into plain values, and
:func:`report_pdf` renders them without reaching any other host.
"""

from __future__ import annotations

import re
from dataclasses import replace

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..charts import progress_bar_svg
from ..snapshot import ActivitySnapshot, Snapshot
from ..templatetags.followup_words import indicator_chart
from .readers import STATUS_SYMBOLS, one_decimal

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


def _activity_items(items: list[ActivitySnapshot]) -> list[dict]:
    """The rows of the activity table, each with a progress bar when its target has a count."""
    rows = []
    for index, item in enumerate(items):
        bar = ""
        if item.target_count is not None:
            bar = progress_bar_svg(
                achieved=item.achieved,
                target=item.whole_target,
                expected=item.expected,
                label=_("%(achieved)s of %(target)s %(unit)s")
                % {"achieved": item.achieved, "target": item.whole_target, "unit": item.unit},
                element_id=f"activity-{index}",
            )
        rows.append(
            {
                "item": item,
                "bar": bar,
                "symbol": STATUS_SYMBOLS[item.status],
                "expected": one_decimal(item.expected) if item.has_count else None,
            }
        )
    return rows


def report_context(snapshot: Snapshot, *, report, public=False, publication=None, replaced_by=None) -> dict:
    """Everything the PDF template shows, as plain values drawn from ``snapshot``: no query is made while rendering.

    ``report`` (or None) needs its approver and council loaded. ``public`` is for the citizens' copy of a
    ``publication``: the approver is not named and only the comments chosen to be public are shown;
    ``replaced_by`` is the later edition that replaced it, if any.
    """
    items = list(snapshot.activities)
    if public:
        items = [replace(item, comment=item.public_comment) for item in items]
    frozen = publication is not None or (report is not None and report.is_locked)
    approver = report.approved_by if report is not None and report.is_locked and not public else None
    periods = list(snapshot.periods)
    return {
        "snapshot": snapshot,
        "report": report,
        "publication": publication,
        "replaced_by": replaced_by,
        "municipalities": ", ".join(snapshot.municipalities),
        "activity_items": _activity_items(items),
        "periods": periods,
        "per_tertial_rows": [
            {"item": item, "quantities": [item.per_tertial.get(period.code, 0) for period in periods]} for item in items
        ],
        "status_counts": [
            {"label": status.label, "symbol": STATUS_SYMBOLS[status], "value": status.value, "count": count}
            for status, count in snapshot.status_counts.items()
        ],
        "is_draft": not frozen,
        "public": public,
        "approver": (approver.get_full_name() or approver.get_username()) if approver else "",
        # A report approved before snapshots held indicators has none to show: it says so rather than read live ones.
        "indicators_frozen": snapshot.indicators is not None,
        "indicators": [
            {"indicator": indicator, "chart": indicator_chart(indicator, "pdf-indicator")}
            for indicator in snapshot.indicators or ()
        ],
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
