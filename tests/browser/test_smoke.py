"""The first walk through the portal in a real browser: public pages pass axe, and an administrator logs a record."""

import datetime
import re

from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Activity, ActivityRecord
from tests.browser.axe import assert_no_axe_violations

PROMISE_2020 = "Medborgarlöfte 2020 – Strängnäs"
ACTIVITY_2020 = "Narkotikasök med hund"
ADMINISTRATOR = ("admin", "demo-admin-2020")


def test_the_start_page_has_no_accessibility_violations(page, demo_data):
    response = page.goto("/")
    assert response.ok, response.status
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text(PROMISE_2020)).to_be_visible()
    assert_no_axe_violations(page)


def test_the_login_page_has_no_accessibility_violations_also_after_a_failed_login(page):
    response = page.goto(reverse("login"))
    assert response.ok, response.status
    assert_no_axe_violations(page)

    page.locator("#id_username").fill("nobody")
    page.locator("#id_password").fill("wrong password")
    page.locator("#id_password").press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)


def test_an_administrator_adds_a_record_in_the_admin_and_sees_it_in_the_list(page, demo_data):
    # The admin is the administrators' tool; coordinators log and correct records in the staff pages.
    username, password = ADMINISTRATOR
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/activities/activityrecord/add/")
    # The option's label is the activity's title, which the 2019 promise may share: choose by the 2020 promise.
    activity = Activity.objects.get(title=ACTIVITY_2020, promise__title=PROMISE_2020)
    page.locator("select[name=activity]").select_option(str(activity.pk))
    page.locator("input[name=occurred_on]").fill("2020-03-10")
    page.locator("input[name=quantity]").fill("4")
    page.locator("input[name=place_text]").fill("Webbtest resecentrum")
    page.locator("textarea[name=summary]").fill("Narkotikasök med hund vid resecentrum, inlagt av webbtestet.")
    page.locator("input[name=_save]").click()

    expect(page).to_have_url(re.compile(r"/admin/activities/activityrecord/(\?.*)?$"))
    expect(page.locator(".messagelist .success")).to_be_visible()

    # The list is newest first and may run to several pages: search for the record to see its row.
    page.goto("/admin/activities/activityrecord/?q=Webbtest")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".field-activity")).to_have_text(ACTIVITY_2020)
    expect(row.locator(".field-quantity")).to_have_text("4")
    expect(row.locator(".field-place_text")).to_have_text("Webbtest resecentrum")

    record = ActivityRecord.objects.get(place_text="Webbtest resecentrum")
    assert record.activity == activity
    assert record.occurred_on == datetime.date(2020, 3, 10)
    assert record.quantity == 4
    assert record.recorded_by.username == username
