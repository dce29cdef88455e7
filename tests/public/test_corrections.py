"""A correction after publication: the corrected edition becomes the report, the earlier one stays readable at its
own address, marked as replaced, and the Atom feed says so. Nothing published is overwritten."""

import datetime
from xml.etree import ElementTree

import pytest
from django.test import Client

from followup import services
from followup.models import Publication
from followup.tertials import Tertial
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

T1 = Tertial(2020, 1)
ATOM = "{http://www.w3.org/2005/Atom}"
REPORT = "/strangnas/2020/resultat/2020T1/"
FIRST = "/strangnas/2020/resultat/2020T1/utgava-1/"
MEETING = datetime.date(2020, 5, 20)


def approve_and_publish(world, report):
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(report=report, revision=report.revision, by=world.council_member, meeting_date=MEETING)
    report.refresh_from_db()
    return services.report_publish(report=report, revision=report.revision, by=world.coordinator)


def summarise(world, report, summary):
    services.report_update(
        report=report, revision=report.revision, by=world.coordinator, summary=summary, assessments={}
    )
    report.refresh_from_db()


@pytest.fixture
def corrected(world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    summarise(world, report, "Arbetet har kommit igång i Marifred.")
    report = approve_and_publish(world, report)
    services.report_correct(
        report=report, revision=report.revision, by=world.coordinator, reason="Stavfel i ortnamnet."
    )
    report.refresh_from_db()
    return report


def feed_entries():
    feed = ElementTree.fromstring(Client().get("/strangnas/flode.atom").content)  # noqa: S314 - our own response
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.find(f"{ATOM}id").text,
            "text": entry.find(f"{ATOM}summary").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_while_it_is_corrected_citizens_keep_reading_what_was_published(world, corrected):
    page = Client().get(REPORT).content.decode()
    assert "Arbetet har kommit igång i Marifred." in page
    assert "ersatts" not in page
    assert Client().get("/api/v1/reports/").json()["results"][0]["summary"] == "Arbetet har kommit igång i Marifred."


def test_the_correction_replaces_the_report_and_the_earlier_edition_stays_at_its_address(world, corrected):
    summarise(world, corrected, "Arbetet har kommit igång i Mariefred.")
    approve_and_publish(world, corrected)

    current = Client().get(REPORT).content.decode()
    assert "Arbetet har kommit igång i Mariefred." in current
    assert "Rättad utgåva 2" in current and "Stavfel i ortnamnet." in current
    assert f'href="{FIRST}"' in current  # the earlier edition is listed with its own address

    first = Client().get(FIRST)
    assert first.status_code == 200
    first = first.content.decode()
    assert "Arbetet har kommit igång i Marifred." in first
    assert "Det här är utgåva 1, som har ersatts." in first
    assert f'href="{REPORT}"' in first  # to the current edition
    assert Client().get(FIRST.rstrip("/") + ".pdf").status_code == 200
    assert Client().get("/strangnas/2020/resultat/2020T1/utgava-3/").status_code == 404
    # The edition shown at the report's own address is the current one, also at its edition address.
    assert "Arbetet har kommit igång i Mariefred." in Client().get(REPORT + "utgava-2/").content.decode()

    api = Client().get(f"/api/v1/reports/{corrected.pk}/").json()
    assert (api["edition"], api["correction"], api["summary"]) == (
        2,
        "Stavfel i ortnamnet.",
        "Arbetet har kommit igång i Mariefred.",
    )
    first_edition, second_edition = Publication.objects.order_by("edition")
    assert first_edition.frozen.summary == "Arbetet har kommit igång i Marifred."  # never overwritten
    assert second_edition.reason == "Stavfel i ortnamnet."


def test_the_feed_carries_both_editions_and_says_which_replaced_which(world, corrected):
    before = feed_entries()
    assert [entry["title"] for entry in before] == ["Medborgarlöfte 2020 – januari–april 2020"]

    summarise(world, corrected, "Arbetet har kommit igång i Mariefred.")
    approve_and_publish(world, corrected)

    newer, older = feed_entries()
    assert newer["title"] == "Medborgarlöfte 2020 – januari–april 2020 (rättad utgåva 2)"
    assert "Stavfel i ortnamnet." in newer["text"] and newer["link"].endswith(REPORT)
    assert older["title"] == "Medborgarlöfte 2020 – januari–april 2020 (ersatt av en rättad utgåva)"
    assert "ersattes" in older["text"] and older["link"].endswith(FIRST)
    # The first edition keeps its id, so a reader updates the entry it already showed.
    assert older["id"] == before[0]["id"] and newer["id"] != older["id"]
