"""The council's tertial: the coordinator drafts T1, a council member approves it, the coordinator publishes it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from followup.models import TertialReport
from promises.models import Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import COORDINATOR, log_in, log_out

COUNCIL_MEMBER = ("radsledamot", "demo-radsledamot-2020")


def test_a_tertial_report_from_draft_to_published(page, demo_data):
    promise = Promise.objects.get(slug="strangnas-2020")
    dashboard = reverse("followup:dashboard", args=[promise.pk]) + "?tertial=2020T1"
    report_url = reverse("followup:report", args=[promise.pk, "2020T1"])

    log_in(page, *COORDINATOR)
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strängnäs")
    assert_no_axe_violations(page)

    page.goto(dashboard)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Medborgarlöfte 2020")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Skapa tertialuppföljning").click()
    expect(page).to_have_url(re.compile(re.escape(report_url) + "$"))
    expect(page.get_by_role("status")).to_contain_text("skapades som utkast")
    assert_no_axe_violations(page)

    page.get_by_label("Sammanfattning").fill("Två planlagda insatser är påbörjade; föräldraträffarna är igång.")
    page.get_by_role("button", name="Spara utkastet").click()
    expect(page.get_by_role("status")).to_contain_text("Uppföljningen sparades.")
    page.get_by_role("button", name="Skicka till rådet för godkännande").click()
    expect(page.get_by_role("status")).to_contain_text("skickades till rådet")
    log_out(page)

    log_in(page, *COUNCIL_MEMBER)
    page.goto(report_url)
    assert_no_axe_violations(page)
    page.get_by_label("Datum för rådets sammanträde").fill("2020-05-20")
    page.get_by_role("button", name="Godkänn uppföljningen").click()
    expect(page.get_by_role("status")).to_contain_text("godkändes")
    expect(page.get_by_role("heading", name="Siffror vid godkännandet")).to_be_visible()
    assert_no_axe_violations(page)
    log_out(page)

    log_in(page, *COORDINATOR)
    page.goto(report_url)
    page.get_by_role("button", name="Publicera för medborgarna").click()
    expect(page.get_by_role("status")).to_contain_text("publicerades")

    page.goto(dashboard)
    expect(page.locator("main")).to_contain_text("Publicerad")
    assert_no_axe_violations(page)

    report = TertialReport.objects.get(promise=promise, year=2020, number=1)
    assert report.status == "published"
    assert {row["title"] for row in report.snapshot["activities"]} == set(
        promise.activities.values_list("title", flat=True)
    )

    page.goto(reverse("followup:indicators", args=[promise.pk]))
    assert_no_axe_violations(page)
