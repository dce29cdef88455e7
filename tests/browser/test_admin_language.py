"""The admin in Swedish, and its two-list picker (filter_horizontal) without an axe finding (issue 18)."""

import re

from playwright.sync_api import expect

from activities.models import Activity
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_smoke import ACTIVITY_2020, ADMINISTRATOR, PROMISE_2020


def _log_in_to_the_admin(page):
    username, password = ADMINISTRATOR
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_admin_change_form_with_the_two_list_picker_passes_axe(page, demo_data):
    _log_in_to_the_admin(page)
    activity = Activity.objects.get(title=ACTIVITY_2020, promise__title=PROMISE_2020)
    page.goto(f"/admin/activities/activity/{activity.pk}/change/")
    # The picker is built by the admin's script: wait for it before axe looks.
    expect(page.locator(".selector").first).to_be_visible()
    assert_no_axe_violations(page)
