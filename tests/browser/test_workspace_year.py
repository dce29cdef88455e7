"""A coordinator's year in the workspace, in a browser, without ever opening /admin/: a draft promise with two focus
areas and three activities, signed; a planned event announced; a recorder invited; last year's closed promise
reopened to enter a record. axe finds nothing on any page on the way, and the keyboard alone drafts and signs."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import ActivityRecord
from promises.models import Invitation, Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import COORDINATOR, log_in, tab_to

TITLE = "Medborgarlöfte 2027 – Strängnäs"


@pytest.fixture
def no_admin(page):
    """Every address the browser asks for during the test; none may be the admin's."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    yield asked
    assert not [url for url in asked if "/admin/" in url], "the coordinator's year needed the admin"


def checked(page):
    assert_no_axe_violations(page)


def add_activity(page, title, *, focus_area, count, unit, lead):
    page.get_by_role("link", name="Lägg till en aktivitet").click()
    checked(page)
    page.get_by_label("Fokusområde").select_option(label=focus_area)
    page.get_by_label("Rubrik").fill(title)
    page.get_by_label("Aktivitetstyp").select_option(index=1)
    page.get_by_label("Ansvarig organisation").select_option(label=lead)
    page.get_by_label("Målantal").fill(str(count))
    page.get_by_label("Enhet", exact=True).fill(unit)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text(f"Aktiviteten ”{title}” har lagts till.")


def test_a_coordinators_year_runs_without_the_admin(page, demo_data, no_admin):
    log_in(page, *COORDINATOR)
    page.get_by_role("link", name="Arbetsyta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsyta")
    checked(page)

    # A draft promise.
    page.get_by_role("link", name="Påbörja ett nytt löfte").click()
    checked(page)
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("År").fill("2027")
    page.get_by_label("Periodens början").fill("2027-01-01")
    page.get_by_label("Periodens slut").fill("2027-12-31")
    page.get_by_label("Lägesbild").fill("Oro för trafiken och för narkotika bland unga.")
    page.get_by_role("button", name="Skapa utkastet").click()
    expect(page.get_by_role("status")).to_contain_text("har skapats")
    checked(page)
    promise = Promise.objects.get(title=TITLE)

    # Two focus areas, three activities.
    for title in ("Narkotika bland unga", "Trafik"):
        page.get_by_role("link", name="Lägg till ett fokusområde").click()
        checked(page)
        page.get_by_label("Rubrik").fill(title)
        page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("status")).to_contain_text(f"Fokusområdet ”{title}” har lagts till.")
    add_activity(page, "Planlagda insatser", focus_area="Narkotika bland unga", count=2, unit="insatser",
                 lead="Polisen, lokalpolisområde Strängnäs")  # fmt: skip
    add_activity(page, "Föräldraträffar", focus_area="Narkotika bland unga", count=2, unit="träffar",
                 lead="Strängnäs kommun")  # fmt: skip
    add_activity(page, "Trafikkontroller", focus_area="Trafik", count=12, unit="kontroller",
                 lead="Polisen, lokalpolisområde Strängnäs")  # fmt: skip
    checked(page)
    assert promise.focus_areas.count() == 2 and promise.activities.count() == 3

    # Signed, with its date.
    page.get_by_role("link", name="Underteckna", exact=True).click()
    checked(page)
    page.get_by_label("Datum för undertecknande").fill("2026-11-30")
    page.get_by_role("button", name="Underteckna löftet").click()
    expect(page.get_by_role("status")).to_contain_text("Löftet är undertecknat")
    promise.refresh_from_db()
    assert promise.status == "signed"

    # An event of the (current) 2020 promise announced.
    page.goto(reverse("workspace:home"))
    page.get_by_role("link", name="Planerade aktiviteter").first.click()
    checked(page)
    page.get_by_role("link", name=re.compile("^Annonsera")).first.click()
    checked(page)
    page.get_by_label(re.compile("^Aktivitet")).select_option(index=1)
    page.get_by_label("Rubrik").fill("Trygghetsvandring i Mariefred")
    page.get_by_label("Börjar").fill("2027-05-10T18:00")
    page.get_by_label("Slutar").fill("2027-05-10T20:00")
    page.get_by_role("button", name="Annonsera aktiviteten").click()
    expect(page.get_by_role("status")).to_be_visible()
    checked(page)

    # A recorder invited.
    page.goto(reverse("workspace:people"))
    checked(page)
    page.get_by_role("link", name=re.compile("^Bjud in")).first.click()
    checked(page)
    page.get_by_label("E-postadress").fill("ny.registrerare@strangnas.se")
    page.get_by_label("Organisation").select_option(label="Strängnäs kommun")
    page.get_by_label("Roll").select_option(label="Registrerare")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert Invitation.objects.filter(email="ny.registrerare@strangnas.se", role="recorder").exists()

    # Last year's closed promise reopened to enter a record.
    closed = Promise.objects.get(status="closed")
    page.goto(reverse("workspace:promise", args=[closed.pk]))
    checked(page)
    page.get_by_role("link", name="Öppna igen").click()
    checked(page)
    page.get_by_label("Skäl").fill("Resultaten för december saknas.")
    page.get_by_role("button", name="Öppna löftet igen").click()
    expect(page.get_by_role("status")).to_contain_text("öppnat igen")
    activity = closed.activities.order_by("pk").first()
    page.goto(reverse("activities:log_activity", args=[activity.pk]))
    checked(page)
    page.get_by_label("Datum").fill(f"{closed.period_end.year}-12-10")
    page.get_by_label("Sammanfattning").fill("Inlagt i efterhand av samordnaren.")
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Registrerat")
    assert ActivityRecord.objects.filter(activity=activity, summary__startswith="Inlagt i efterhand").exists()


def test_the_keyboard_alone_drafts_and_signs_a_promise(page, demo_data, no_admin):
    log_in(page, *COORDINATOR)
    page.goto(reverse("workspace:promise_create"))
    tab_to(page, "#id_title")
    page.keyboard.type(TITLE)
    tab_to(page, "#id_year")
    page.keyboard.press("Control+A")
    page.keyboard.type("2027")
    tab_to(page, "#id_period_start")
    page.keyboard.type("01012027")
    tab_to(page, "#id_period_end")
    page.keyboard.type("12312027")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("har skapats")
    promise = Promise.objects.get(title=TITLE)

    tab_to(page, f"a[href='{reverse('workspace:activity_create', args=[promise.pk])}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till en aktivitet")
    tab_to(page, "#id_title")
    page.keyboard.type("Trygghetsvandringar")
    tab_to(page, "#id_kind")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_lead_organisation")
    page.keyboard.press("ArrowDown")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("har lagts till")

    tab_to(page, f"a[href='{reverse('workspace:promise_sign', args=[promise.pk])}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Underteckna löftet")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Löftet är undertecknat")
    promise.refresh_from_db()
    assert promise.status == "signed"
