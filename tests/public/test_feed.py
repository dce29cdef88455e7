"""The Atom feed of a municipality's published tertial reports."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from promises.models import Municipality
from tests.conftest import make_report
from tests.public.test_pages import (
    COMMENT,
    RECORD_SUMMARY,
    RETURN_COMMENT,
    SUMMARY,
    Grower,
    assert_nothing_private,
    count_queries,
    log_work,
    publish,
    report_url,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_URL = "/strangnas/flode.atom"


def parse(content):
    return ET.fromstring(content)  # noqa: S314 - the portal's own response, not untrusted input


def entries(client, url=FEED_URL):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content).findall(f"{ATOM}entry")


def test_it_is_an_atom_feed_named_after_the_municipality(client, world):
    response = client.get(reverse("municipality_feed", args=["strangnas"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert "Strängnäs" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/strangnas/"


def test_an_item_is_a_published_report_linking_to_its_public_page(client, world):
    log_work(world)
    publish(world)
    (entry,) = entries(client)
    assert entry.find(f"{ATOM}title").text == "Medborgarlöfte 2020 – januari–april 2020"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver" + report_url(world.promise)
    assert entry.find(f"{ATOM}published").text.startswith("2020-05-21T14:00:00+02:00")
    assert SUMMARY in entry.find(f"{ATOM}summary").text


def test_it_lists_the_newest_published_report_first(client, world):
    publish(world, number=1)
    later = publish(world, number=2)
    later.published_at = datetime.datetime(2020, 9, 15, 8, tzinfo=datetime.UTC)
    later.save()
    titles = [entry.find(f"{ATOM}title").text for entry in entries(client)]
    assert titles == ["Medborgarlöfte 2020 – maj–augusti 2020", "Medborgarlöfte 2020 – januari–april 2020"]


@pytest.mark.parametrize("status", ["draft", "submitted", "approved"])
def test_it_never_carries_an_unpublished_report(client, world, status):
    publish(world, number=1, status=status)
    assert entries(client) == []


def test_it_never_carries_a_report_of_a_draft_promise_or_of_another_municipality(client, world):
    make_report(world.draft_promise, year=2021, status="published")
    make_report(world.foreign_promise, status="published")
    assert entries(client) == []
    assert len(entries(client, "/eskilstuna/flode.atom")) == 1


def test_a_promise_of_two_municipalities_is_in_both_feeds_with_each_ones_address(client, world):
    gnesta = Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    world.promise.municipalities.add(gnesta)
    publish(world)
    (entry,) = entries(client, "/gnesta/flode.atom")
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver" + report_url(
        world.promise, municipality="gnesta"
    )


def test_the_summary_is_escaped_text_and_nothing_private_is_carried(client, world):
    log_work(world)
    publish(world, summary='Bra arbete <script>alert("x")</script> & mer.')
    response = client.get(FEED_URL)
    content = response.content.decode()
    assert "<script>" not in content
    (entry,) = parse(response.content).findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The feed reader reads HTML: the summary's markup characters stay text in it.
    assert "&lt;script&gt;" in summary.text and "<script>" not in summary.text
    for secret in (COMMENT, RECORD_SUMMARY, RETURN_COMMENT):
        assert secret not in content
    assert_nothing_private(content, world)


def test_an_unknown_municipality_has_no_feed(client, world):
    assert client.get("/okand/flode.atom").status_code == 404


def test_it_reads_a_fixed_number_of_queries(client, world):
    publish(world)
    grower = Grower(world)  # every round adds an older Strängnäs promise with a published report
    grower.grow(1)
    small = count_queries(client, FEED_URL)
    grower.grow(9)
    assert count_queries(client, FEED_URL) == small
    assert len(entries(client)) == 11


def test_a_browser_shows_the_feed_through_the_portal_s_own_style_sheet(client, world):
    content = client.get(FEED_URL).content.decode()
    instruction = re.search(r"<\?xml-stylesheet ([^?]*)\?>", content)
    assert instruction, content[:300]
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', instruction.group(1)))
    assert attributes["type"] == "text/css"
    assert content.index("<?xml-stylesheet") < content.index("<feed")  # before the root element, as XML requires
    href = attributes["href"]
    assert href.startswith("/static/")  # the same host, nothing fetched from elsewhere
    sheet = client.get(href)
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("text/css")
    assert b"entry" in b"".join(sheet.streaming_content if sheet.streaming else [sheet.content])


def test_the_feed_follows_the_language_cookie_and_says_it_varies_by_it(client, world, settings):
    # A shared cache between the portal and the visitor keys its copies by the headers Vary names: with the
    # language cookie named, the Swedish copy is never handed to a visitor who chose English, or back.
    swedish = client.get(FEED_URL)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(FEED_URL)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    swedish_again = client.get(FEED_URL)  # the portal's own copy, kept per language

    assert "Publicerade resultat" in parse(swedish.content).findtext(f"{ATOM}title")
    assert "Published results" in parse(english.content).findtext(f"{ATOM}title")
    assert swedish_again.content == swedish.content
    for response in (swedish, english, swedish_again):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"cookie", "accept-language"} <= vary
