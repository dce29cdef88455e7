"""The public pages: no login, only signed promises and published reports (DESIGN §6).

The reads live in :mod:`public.selectors`; each page takes a fixed number of queries whatever the data size.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from followup.documents import pdf
from followup.documents.names import file_name
from followup.forum import Forum
from followup.services import default_forum

from . import selectors
from .page_cache import cached_public_page, rate_limited_for_anonymous

SEARCH_MAX_LENGTH = 100


def _get_edition(municipality, year, tertial, slug, edition):
    """The promise link, the edition an address names (the current one without ``edition``) and every edition of
    the report; 404 for anything not public.

    A year with several public promises needs the slug: without it the address names no single report.
    """
    choice = selectors.public_promise_choice(municipality_slug=municipality, year=year, slug=slug)
    link = choice.link if choice is not None else None
    editions = selectors.report_editions(link, tertial) if link is not None else []
    if not editions:
        raise Http404
    if edition is None:
        return link, editions[-1], editions
    shown = next((item for item in editions if item.publication.edition == edition), None)
    if shown is None:
        raise Http404
    return link, shown, editions


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
    """The installation's statement, with how to reach each municipality: DIGG's model requires a channel."""
    statement = selectors.accessibility_statement()
    context = {"statement": statement, "contacts": selectors.public_contacts()}
    return render(request, "public/accessibility.html", context)


@require_safe
def municipality_accessibility(request, municipality):
    """The statement as it applies to one municipality's pages: its contact, and what it adds to the national one.

    Not kept in the page cache: the national statement it includes is no part of the municipality's data version.
    """
    municipality = selectors.public_municipality(municipality)
    if municipality is None:
        raise Http404
    context = {
        "statement": selectors.accessibility_statement(),
        "municipality": municipality,
        "contact": selectors.municipality_contact(municipality),
    }
    return render(request, "public/accessibility.html", context)


@require_safe
@cached_public_page
def municipality_page(request, municipality):
    municipality = selectors.public_municipality(municipality)
    if municipality is None:
        raise Http404
    events = selectors.upcoming_events(municipality=municipality)
    context = {
        "municipality": municipality,
        "contact": selectors.municipality_contact(municipality),
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
    promise = link.promise
    context = {
        "municipality": link.municipality,
        "promise": promise,
        "detail": detail,
        "contact": selectors.municipality_contact(link.municipality),
        # Who decides on its follow-ups, in their words, for the page before any result is published.
        "forum": Forum.of(default_forum(promise)),
        # Copies are kept per day (promises.versions.copy_key), so the day a period ends shows on that day.
        "period_over": promise.status == promise.Status.CLOSED or promise.period_end < timezone.localdate(),
        **_upcoming(detail.events),
    }
    return _until_an_event_ends(render(request, "public/promise.html", context), detail.events)


@require_safe
@cached_public_page
def report_page(request, municipality, year, tertial, slug=None, edition=None):
    """A published report as citizens read it, from its edition's snapshot alone; an edition that a correction
    replaced stays readable at its own address, marked as replaced."""
    link, shown, editions = _get_edition(municipality, year, tertial, slug, edition)
    publication = shown.publication
    context = {
        "municipality": link.municipality,
        "promise": link.promise,
        "promise_url": link.url,
        "publication": publication,
        "snapshot": publication.frozen,
        "shown": shown,
        "editions": editions,
        "current": editions[-1],
        "contact": selectors.municipality_contact(link.municipality),
    }
    return render(request, "public/report.html", context)


@require_safe
@cached_public_page
@rate_limited_for_anonymous
def report_pdf(request, municipality, year, tertial, slug=None, edition=None):
    """A published edition as the council's PDF, without the names of staff and with only the public comments."""
    link, shown, _editions = _get_edition(municipality, year, tertial, slug, edition)
    publication = shown.publication
    context = pdf.report_context(
        publication.frozen,
        report=publication.report,
        public=True,
        publication=publication,
        replaced_by=shown.replaced_by,
    )
    response = HttpResponse(pdf.report_pdf(context), content_type=pdf.PDF_CONTENT_TYPE)
    edition_part = f"utgava-{publication.edition}" if edition is not None else ""
    name = file_name("medborgarlofte", link.municipality.slug, link.promise.slug, publication.report.tertial.code)
    if edition_part:
        name += f"-{edition_part}"
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    return response
