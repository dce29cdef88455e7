"""Public pages from the cache (promises.page_cache): one query on a hit, and never a stale or someone else's page.

A copy is kept under the municipality's data version; these tests change something of each kind a public page
shows and check that the very next request shows it, that the copy's CSRF token is the visitor's own, that a
logged-in user or a visitor with a message never gets the anonymous copy, and that a page listing planned
events is not served after the first of them is over.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import PlannedEvent
from tests.conftest import NOW
from tests.public.test_pages import event, promise_url, publish, report_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def municipality_url(world):
    return reverse("municipality", args=[world.strangnas.slug])


def feed_url(world):
    return reverse("municipality_feed", args=[world.strangnas.slug])


def calendar_url(world):
    return reverse("municipality_calendar", args=[world.strangnas.slug])


def api_url(world):
    return f"/api/v1/activities/?municipality={world.strangnas.slug}&year=2020"


@pytest.fixture
def published(world):
    return publish(world)


@pytest.fixture
def pages(world, published):
    return {
        "municipality": municipality_url(world),
        "promise": promise_url(world.promise),
        "report": report_url(world.promise),
        "pdf": report_url(world.promise, pdf=True),
        "atom": feed_url(world),
        "ics": calendar_url(world),
        "api": api_url(world),
    }


@pytest.mark.parametrize("page", ["municipality", "promise", "report", "pdf", "atom", "ics", "api"])
def test_the_second_anonymous_visit_is_one_query_and_the_same_page(client, pages, page):
    first, queries_first = get(Client(), pages[page])
    second, queries_second = get(Client(), pages[page])
    assert first.status_code == second.status_code == 200
    assert queries_first > 1
    assert queries_second == 1 if page != "api" else queries_second <= 3  # the API's own transaction
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("Content-Disposition") == first.get("Content-Disposition")
    # HTML pages differ only in the visitor's own CSRF token; feeds, PDFs and the API are the same bytes.
    assert without_csrf_tokens(second.content) == without_csrf_tokens(first.content)


def without_csrf_tokens(content):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def test_the_copy_carries_the_visitors_own_csrf_token(world):
    url = municipality_url(world)
    Client().get(url)  # fills the cache with someone else's token
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url)
    token = response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token})
    assert switched.status_code == 302, "the language switch works with the token of the cached page"


def test_a_published_report_shows_at_once_on_the_municipality_page_and_in_the_feed(world):
    Client().get(municipality_url(world))
    Client().get(feed_url(world))
    publish(world, number=2, summary="Andra tertialen är klar.")
    assert report_url(world.promise, tertial="2020T2") in Client().get(municipality_url(world)).content.decode()
    assert "Andra tertialen är klar." in Client().get(feed_url(world)).content.decode()


def test_an_edited_promise_text_shows_at_once(world, published):
    url = promise_url(world.promise)
    Client().get(url)
    world.promise.pledge = "Vi lovar fler trygghetsvandringar."
    world.promise.save()
    assert "Vi lovar fler trygghetsvandringar." in Client().get(url).content.decode()


def test_a_renamed_activity_shows_at_once_in_the_api(world):
    Client().get(api_url(world))
    world.count_activity.title = "Planlagda insatser mot narkotika"
    world.count_activity.save()
    titles = [row["title"] for row in Client().get(api_url(world)).json()["results"]]
    assert "Planlagda insatser mot narkotika" in titles


def test_a_renamed_place_shows_at_once_where_the_promise_page_shows_it_live(world, published):
    event(world.places_activity, title="Trygghetsvandring", by=world.coordinator, place=world.district)
    url = promise_url(world.promise)
    Client().get(url)
    world.district.name = "Mariefreds tätort"
    world.district.save()
    content = Client().get(url).content.decode()
    assert "Mariefreds tätort" in content  # the upcoming event, shown as it is now
    # The published results keep the name the council approved them with: the target "in each of" its places.
    assert "Mariefred, Stallarholmen" in content


def test_a_new_event_shows_at_once_in_the_calendar_and_on_the_page(world, clock):
    Client().get(calendar_url(world))
    Client().get(municipality_url(world))
    event(world.count_activity, title="Trygghetsvandring i Åkers styckebruk", by=world.coordinator)
    assert "Trygghetsvandring i Åkers styckebruk" in Client().get(calendar_url(world)).content.decode()
    assert "Trygghetsvandring i Åkers styckebruk" in Client().get(municipality_url(world)).content.decode()


def test_a_page_is_not_served_from_the_cache_after_a_listed_event_is_over(world, monkeypatch):
    now = NOW.astimezone(datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    walk = PlannedEvent.objects.create(
        activity=world.count_activity,
        title="Kvällsvandring i Mariefred",
        starts_at=now + datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=70),
        created_by=world.coordinator,
    )
    url = municipality_url(world)
    assert walk.title in Client().get(url).content.decode()
    _response, queries = get(Client(), url)
    assert queries == 1
    monkeypatch.setattr(timezone, "now", lambda: now + datetime.timedelta(minutes=71))
    response, queries = get(Client(), url)
    assert walk.title not in response.content.decode()
    assert queries > 1


def test_a_logged_in_user_never_gets_the_anonymous_copy_nor_leaves_theirs(client, world, published):
    url = promise_url(world.promise)
    Client().get(url)
    client.force_login(world.coordinator)
    mine = client.get(url).content.decode()
    assert reverse("logout") in mine
    anonymous = Client().get(url).content.decode()
    assert reverse("logout") not in anonymous
    assert reverse("login") in anonymous


def test_a_visitor_with_a_message_gets_the_page_built_for_them(world, published):
    url = promise_url(world.promise)
    Client().get(url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    _response, queries = get(visitor, url)
    assert queries > 1


def test_each_language_has_its_own_copy(world, published):
    url = promise_url(world.promise)
    swedish = Client().get(url)
    english_visitor = Client()
    english_visitor.cookies["django_language"] = "en"
    english = english_visitor.get(url)
    assert swedish["Content-Language"] == "sv"
    assert english["Content-Language"] == "en"
    assert '<html lang="en">' in english.content.decode()


def test_an_unknown_municipality_is_still_404(db):
    assert Client().get("/ingenstans/").status_code == 404
    assert Client().get("/ingenstans/").status_code == 404
    assert Client().get("/api/v1/activities/?municipality=ingenstans").json()["results"] == []


# One render per document, however the address is dressed up; and a limit on what anonymous visitors have rendered


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs actually rendered; they are real PDFs."""
    from public import views

    counted = []
    real = views.pdf.report_pdf

    def report_pdf(context):
        counted.append(context)
        return real(context)

    monkeypatch.setattr(views.pdf, "report_pdf", report_pdf)
    return counted


def test_the_pdf_with_an_extra_parameter_is_answered_from_the_cache_in_one_query(pages, renders):
    warm, _queries = get(Client(), pages["pdf"])
    assert warm.status_code == 200 and len(renders) == 1

    for junk in ("a=1", "a=2", "utm_source=nyhetsbrev&b=%C3%A5"):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(f"{pages['pdf']}?{junk}", follow=True)
        assert response.redirect_chain == [(pages["pdf"], 301)]
        assert response.status_code == 200
        assert response.content == warm.content
        assert len(queries) <= 1
    assert len(renders) == 1


@pytest.mark.parametrize("page", ["municipality", "promise", "report", "pdf", "atom", "ics"])
def test_a_public_page_with_a_query_string_redirects_to_its_own_address(client, pages, page):
    response = client.get(pages[page] + "?a=1&next=https://evil.example/")
    assert response.status_code == 301
    assert response["Location"] == pages[page]


@pytest.fixture
def uncached_pdfs(monkeypatch, settings):
    """Every PDF request renders (no copy is kept), at a limit of two renders a minute, with a stand-in PDF."""
    from public import page_cache, views

    monkeypatch.setattr(page_cache, "_copy_of", lambda response: None)
    monkeypatch.setattr(views.pdf, "report_pdf", lambda context: b"%PDF-1.7 stand-in")
    settings.PUBLIC_PDF_RENDERS_PER_MINUTE = 2


def test_an_anonymous_visitor_who_has_many_pdfs_rendered_gets_the_429_page(world, pages, uncached_pdfs):
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    assert [visitor.get(pages["pdf"]).status_code for _ in range(2)] == [200, 200]

    refused = visitor.get(pages["pdf"])
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert refused["Content-Type"].startswith("text/html")
    content = refused.content.decode()
    assert '<html lang="sv">' in content
    assert "Du har begärt många dokument på kort tid. Vänta en minut och försök igen." in content

    # Another address is not refused, nor a logged-in member of staff.
    assert Client(REMOTE_ADDR="198.51.100.7").get(pages["pdf"]).status_code == 200
    staff = Client(REMOTE_ADDR="192.0.2.1")
    staff.force_login(world.coordinator)
    assert staff.get(pages["pdf"]).status_code == 200


def test_the_limit_counts_renders_not_copies_served_from_the_cache(world, pages, settings):
    settings.PUBLIC_PDF_RENDERS_PER_MINUTE = 1
    visitor = Client(REMOTE_ADDR="192.0.2.1")
    assert [visitor.get(pages["pdf"]).status_code for _ in range(5)] == [200] * 5


def test_the_limit_starts_over_the_next_minute(world, pages, uncached_pdfs, monkeypatch):
    from public import page_cache

    visitor = Client(REMOTE_ADDR="192.0.2.1")
    now = 1_800_000_000.0
    monkeypatch.setattr(page_cache.time, "time", lambda: now)
    assert [visitor.get(pages["pdf"]).status_code for _ in range(3)] == [200, 200, 429]
    now += 60
    assert visitor.get(pages["pdf"]).status_code == 200
