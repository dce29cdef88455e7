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
    page.get_by_role("button", name="Spara och skicka för beslut").click()
    expect(page.get_by_role("status")).to_contain_text("skickades för beslut")
    log_out(page)

    log_in(page, *COUNCIL_MEMBER)
    page.goto(report_url)
    # The council reads what it approves: the summary is on the page, not only in the PDF.
    expect(page.locator("main")).to_contain_text("Två planlagda insatser är påbörjade")
    assert_no_axe_violations(page)
    page.get_by_label("Datum för sammanträdet").fill("2020-05-20")
    page.get_by_role("button", name="Godkänn uppföljningen").click()
    expect(page.get_by_role("status")).to_contain_text("Beslutet registrerades")
    expect(page.get_by_role("heading", name="Siffror vid beslutet")).to_be_visible()
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


def test_sending_without_saving_keeps_what_was_typed(page, demo_data):
    promise = Promise.objects.get(slug="strangnas-2020")
    report_url = reverse("followup:report", args=[promise.pk, "2020T2"])

    log_in(page, *COORDINATOR)
    page.goto(reverse("followup:dashboard", args=[promise.pk]) + "?tertial=2020T2")
    page.get_by_role("button", name="Skapa tertialuppföljning").click()
    expect(page).to_have_url(re.compile(re.escape(report_url) + "$"))
    page.get_by_label("Sammanfattning").fill("Skrivet och skickat utan att först spara.")
    page.get_by_label("Publicera kommentaren för invånarna").first.check()
    page.get_by_label("Kommentar", exact=True).first.fill("En kommentar till invånarna.")
    # Straight to "send", never "save": the text goes with it.
    page.get_by_role("button", name="Spara och skicka för beslut").click()
    expect(page.get_by_role("status")).to_contain_text("sparades och skickades för beslut")
    expect(page.locator("main")).to_contain_text("Skrivet och skickat utan att först spara.")
    expect(page.locator("main")).to_contain_text("En kommentar till invånarna.")
    assert_no_axe_violations(page)

    report = TertialReport.objects.get(promise=promise, year=2020, number=2)
    assert (report.status, report.summary) == ("submitted", "Skrivet och skickat utan att först spara.")
    assert report.frozen.summary == "Skrivet och skickat utan att först spara."
    assert report.assessments.filter(comment="En kommentar till invånarna.", comment_public=True).count() == 1


def test_a_send_the_form_refuses_keeps_the_text_on_the_page(page, demo_data):
    promise = Promise.objects.get(slug="strangnas-2020")
    log_in(page, *COORDINATOR)
    page.goto(reverse("followup:dashboard", args=[promise.pk]) + "?tertial=2020T2")
    page.get_by_role("button", name="Skapa tertialuppföljning").click()
    page.get_by_label("Sammanfattning").fill("En lång text som inte får försvinna.")
    # A chosen status without a comment is refused beside the field, and nothing is sent.
    page.get_by_label("Status", exact=True).first.select_option("behind")
    page.get_by_role("button", name="Spara och skicka för beslut").click()
    expect(page.locator(".error-summary")).to_contain_text("Inget sparades")
    expect(page.get_by_label("Sammanfattning")).to_have_value("En lång text som inte får försvinna.")
    assert_no_axe_violations(page)
    assert TertialReport.objects.get(promise=promise, year=2020, number=2).status == "draft"


def test_a_council_member_records_the_decision_with_the_keyboard_alone(page, demo_data):
    # Issue 18: a keyboard-only walk of each role's main task; the council member's is the decision.
    import datetime

    from django.contrib.auth import get_user_model

    from followup import services
    from followup.tertials import Tertial
    from tests.browser.test_staff_flow import log_in_with_the_keyboard, tab_to

    promise = Promise.objects.get(slug="strangnas-2020")
    coordinator = get_user_model().objects.get(username=COORDINATOR[0])
    report = services.report_create(promise=promise, tertial=Tertial(2020, 1), by=coordinator)
    services.report_submit(report=report, revision=report.revision, by=coordinator)
    report_url = reverse("followup:report", args=[promise.pk, "2020T1"])

    log_in_with_the_keyboard(page, *COUNCIL_MEMBER)
    # The start page lists the report waiting for the decision; the keyboard follows it.
    tab_to(page, f"main a[href^='{report_url}']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(report_url)))
    tab_to(page, "#id_meeting_date")
    # Headless Chromium's date field takes month, day, year segment by segment (tests/browser/test_staff_flow.py).
    page.keyboard.type("05202020")
    assert page.input_value("#id_meeting_date") == "2020-05-20"
    tab_to(page, f"form[action='{reverse('followup:report_approve', args=[promise.pk, '2020T1'])}'] button")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Godkänn uppföljningen"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Beslutet registrerades")
    report.refresh_from_db()
    assert (report.status, report.meeting_date) == ("approved", datetime.date(2020, 5, 20))
