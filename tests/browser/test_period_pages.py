"""The pages follow-up plans and two-year promises changed: axe clean, 375 px without sideways scrolling, keyboard."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import Activity, ActivityKind
from followup import services
from followup.periods import parse_code
from promises.models import Municipality, Organisation, Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import log_in


@pytest.fixture
def two_years(demo_data):
    """A Strängnäs promise for 2021–2022 followed up once a year, its 2021 report published."""
    users = get_user_model().objects
    coordinator, council = users.get(username="samordnare"), users.get(username="radsledamot")
    promise = Promise.objects.create(
        title="Medborgarlöfte 2021–2022",
        slug="strangnas-2021-2022",
        year=2021,
        period_start=datetime.date(2021, 1, 1),
        period_end=datetime.date(2022, 12, 31),
        status=Promise.Status.SIGNED,
        followup_plan=Promise.FollowUpPlan.YEARLY,
    )
    promise.municipalities.set([Municipality.objects.get(slug="strangnas")])
    Activity.objects.create(
        promise=promise,
        kind=ActivityKind.objects.first(),
        title="Trafikkontroller under vintersäsongen",
        lead_organisation=Organisation.objects.filter(kind=Organisation.Kind.POLICE).first(),
        target_count=17,
        unit="kontroller",
    )
    report = services.report_create(promise=promise, tertial=parse_code("2021"), by=coordinator)
    report = services.report_submit(report=report, revision=report.revision, by=coordinator)
    report = services.report_approve(
        report=report, revision=report.revision, by=council, meeting_date=datetime.date(2022, 1, 20)
    )
    services.report_publish(report=report, revision=report.revision, by=coordinator)
    return promise


def _public(promise):
    return [
        "/",
        "/strangnas/",
        "/strangnas/2021/",
        "/strangnas/2022/",
        "/strangnas/2022/resultat/2021/",
    ]


def _staff(promise):
    return [
        reverse("workspace:promise_create"),
        reverse("workspace:promise", args=[promise.pk]),
        reverse("workspace:promise_edit", args=[promise.pk]),
        reverse("followup:dashboard", args=[promise.pk]),
        reverse("followup:report", args=[promise.pk, "2021"]),
        reverse("followup:overview", args=["strangnas"]),
    ]


def fits_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_changed_pages_pass_axe_and_fit_375_pixels(page, two_years):
    for url in _public(two_years):
        assert page.goto(url).ok, url
        assert_no_axe_violations(page)
    log_in(page, "samordnare", "demo-samordnare-2020")
    for url in _staff(two_years):
        assert page.goto(url).ok, url
        assert_no_axe_violations(page)
    page.set_viewport_size({"width": 375, "height": 700})
    for url in [*_public(two_years), *_staff(two_years)]:
        page.goto(url)
        assert fits_width(page), f"{url} scrolls sideways at 375 px"


def test_the_follow_up_plan_is_chosen_with_the_keyboard(page, two_years):
    log_in(page, "samordnare", "demo-samordnare-2020")
    page.goto(reverse("workspace:promise_create"))
    plan = page.get_by_label("Uppföljningsplan")
    plan.focus()
    expect(plan).to_be_focused()
    plan.select_option("half_years")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Uppföljningsperiodernas slutdatum")).to_be_focused()
