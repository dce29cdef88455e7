"""The public pages: no login, only signed promises and published reports (DESIGN §6).

The reads live in :mod:`public.selectors`; each page takes a fixed number of queries whatever the data size.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from followup.documents import pdf, readers
from followup.progress import status_counts

from . import selectors
from .page_cache import cached_public_page

SEARCH_MAX_LENGTH = 100


def _get_published_report(municipality, year, tertial, slug):
    """The promise link and its published report an address names; 404 for anything not public.

    A year with several public promises needs the slug: without it the address names no single report.
    """
    choice = selectors.public_promise_choice(municipality_slug=municipality, year=year, slug=slug)
    link = choice.link if choice is not None else None
    report = selectors.published_report(link.promise, tertial) if link is not None else None
    if report is None:
        raise Http404
    return link, report


def _upcoming(events):
    return {"events": events[: selectors.UPCOMING_LIMIT], "more_events": len(events) > selectors.UPCOMING_LIMIT}


def _until_an_event_ends(response, events):
    """A cached copy of a page listing upcoming events is good until the first of them is over and leaves it.

    ``events`` are the ones the page read (one more than it shows), so an event that would move into view
    only does so when one of these ends.
    """
    if events:
        response.cache_valid_until = min(event.ends_at for event in events)
    return response


@require_safe
def home(request):
    """The start page: every municipality with a signed promise, newest year first, searchable by name."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    municipalities = selectors.municipality_listing(query=query)
    return render(request, "public/home.html", {"municipalities": municipalities, "query": query})


@require_safe
def accessibility_statement(request):
    statement = selectors.accessibility_statement()
    return render(request, "public/accessibility.html", {"statement": statement})


@require_safe
@cached_public_page
def municipality_page(request, municipality):
    municipality = selectors.public_municipality(municipality)
    if municipality is None:
        raise Http404
    events = selectors.upcoming_events(municipality=municipality)
    context = {
        "municipality": municipality,
        "entries": selectors.promise_entries(municipality),
        **_upcoming(events),
    }
    return _until_an_event_ends(render(request, "public/municipality.html", context), events)


@require_safe
@cached_public_page
def promise_page(request, municipality, year, slug=None):
    choice = selectors.public_promise_choice(municipality_slug=municipality, year=year, slug=slug)
    if choice is None:
        raise Http404
    link = choice.link
    if link is None:
        return render(request, "public/promise_choice.html", {"choice": choice, "year": year})
    detail = selectors.promise_detail(link)
    context = {
        "municipality": link.municipality,
        "promise": link.promise,
        "detail": detail,
        **_upcoming(detail.events),
    }
    return _until_an_event_ends(render(request, "public/promise.html", context), detail.events)


@require_safe
@cached_public_page
def report_page(request, municipality, year, tertial, slug=None):
    link, report = _get_published_report(municipality, year, tertial, slug)
    rows = selectors.report_rows(report)
    context = {
        "municipality": link.municipality,
        "promise": link.promise,
        "promise_url": link.url,
        "report": report,
        "rows": rows,
        "status_counts": status_counts(row.result.status for row in rows),
        "pdf_url": link.report_url(report, pdf=True),
    }
    return render(request, "public/report.html", context)


@require_safe
@cached_public_page
def report_pdf(request, municipality, year, tertial, slug=None):
    """The published report as the council's PDF, without the names of staff or the council's comments."""
    link, report = _get_published_report(municipality, year, tertial, slug)
    promise, tertial = link.promise, report.tertial
    context = pdf.report_context(
        promise=promise,
        tertial=tertial,
        report=report,
        rows=readers.figure_rows(promise=promise, tertial=tertial, report=report),
        indicators=readers.indicator_values(promise=promise, tertial=tertial),
        public=True,
    )
    # In public the council approved the report: its decision is the public act, not the member who recorded it.
    context["approver"] = report.council.name if report.council else ""
    response = HttpResponse(pdf.report_pdf(context), content_type=pdf.PDF_CONTENT_TYPE)
    filename = f"medborgarlofte-{link.municipality.slug}-{promise.slug}-{tertial.code}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
