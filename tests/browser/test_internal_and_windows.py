"""The pages issue 15 items 4-6 changed, in a browser: an internal activity marked "Intern" on the staff pages, a
winter-season target on the workspace's form and the dashboard; axe finds nothing and a phone needs no sideways
scrolling. The public promise page, without the internal activity, is checked too."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Activity
from promises.models import Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import COORDINATOR, PHONE, log_in, no_horizontal_scroll


@pytest.fixture
def marked(demo_data):
    promise = Promise.objects.get(municipalities__slug="strangnas", year=2020)
    first, second = promise.activities.order_by("order", "pk")[:2]
    Activity.objects.filter(pk=first.pk).update(is_internal=True)
    Activity.objects.filter(pk=second.pk).update(
        target_window_start=datetime.date(2020, 1, 1), target_window_end=datetime.date(2020, 4, 30)
    )
    first.refresh_from_db()
    second.refresh_from_db()
    return promise, first, second


def test_the_changed_pages_pass_axe_and_fit_a_phone(page, marked):
    promise, internal, windowed = marked
    page.set_viewport_size(PHONE)
    log_in(page, *COORDINATOR)
    for address in (
        reverse("workspace:promise", args=[promise.pk]),
        reverse("followup:dashboard", args=[promise.pk]),
        reverse("activities:mine"),
        reverse("followup:report", args=[promise.pk, "2020T1"]),
    ):
        page.goto(address)
        expect(page.locator(".internal-badge").first).to_have_text("Intern")
        assert_no_axe_violations(page)
        assert no_horizontal_scroll(page), address
    page.goto(reverse("workspace:activity_edit", args=[windowed.pk]))
    expect(page.get_by_label("Målet gäller från")).to_have_value("2020-01-01")
    expect(page.get_by_label("Intern", exact=True)).not_to_be_checked()
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    page.goto(f"/strangnas/{promise.year}/")
    expect(page.get_by_text(internal.title)).to_have_count(0)
    # The target worded as everywhere else (followup.wording.target_text): its window as months.
    expect(page.get_by_text("januari–april 2020").first).to_be_visible()
    assert_no_axe_violations(page)
