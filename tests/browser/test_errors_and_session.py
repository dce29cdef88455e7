"""Errors that lead to the fix and a session that warns before it ends, in Chromium (issue 18)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from activities.models import Activity
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import POLICE, log_in

ACTIVITY = "Narkotikasök med hund"


def _log_form(page):
    activity = Activity.objects.get(title=ACTIVITY, promise__year=2020)
    page.goto(reverse("activities:log_activity", args=[activity.pk]))


def test_a_refused_form_takes_the_focus_to_its_error_summary_and_each_link_to_its_field(page, demo_data):
    log_in(page, *POLICE)
    _log_form(page)
    page.get_by_label("Datum").fill("")
    page.locator("main form button[type=submit]").click()

    assert page.title().startswith("Fel: ")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Det finns ett problem")
    summary.get_by_role("link").first.click()
    focused_id = page.evaluate("document.activeElement.id")
    assert focused_id.startswith("id_"), focused_id
    assert_no_axe_violations(page)


def test_the_heading_stands_clear_of_the_header(page, demo_data):
    page.goto("/")
    header_bottom = page.locator(".site-header").bounding_box()
    heading_top = page.get_by_role("heading", level=1).bounding_box()
    assert heading_top["y"] - (header_bottom["y"] + header_bottom["height"]) >= 24


def test_the_session_warning_keeps_the_user_logged_in(page, demo_data, settings):
    # An idle limit barely above the refresh interval: the warning shows at once.
    settings.SESSION_IDLE_TIMEOUT = 62
    settings.SESSION_REFRESH_INTERVAL = 60
    log_in(page, *POLICE)
    page.goto(reverse("activities:mine"))
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible()
    assert_no_axe_violations(page)
    button = warning.get_by_role("button", name="Fortsätt vara inloggad")
    expect(button).to_be_focused()
    with page.expect_response(lambda response: response.url.endswith(reverse("session_keepalive"))) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 204
    # (With this short limit the warning comes back at once; the session itself was kept.)
    page.reload()
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_be_visible()


def test_leaving_a_changed_form_warns_but_sending_it_does_not(page, demo_data):
    from tests.browser.test_staff_flow import COORDINATOR

    log_in(page, *COORDINATOR)
    warnings = []

    def answer(dialog):
        warnings.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.goto(reverse("workspace:place_create"))
    page.goto("/")  # nothing typed: no warning
    assert warnings == []

    page.goto(reverse("workspace:place_create"))
    page.get_by_label("Namn").fill("Åkers styckebruk")
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        page.goto("/")  # the warning, dismissed: the navigation is called off
    assert warnings == ["beforeunload"]
    assert page.url.endswith(reverse("workspace:place_create")), "dismissing the warning stays on the form"
    expect(page.get_by_label("Namn")).to_have_value("Åkers styckebruk")

    page.locator("main form button[type=submit]").click()  # sending it: no warning
    page.wait_for_load_state()
    assert warnings == ["beforeunload"]
