"""The enforced Content Security Policy breaks nothing: no page logs a violation in the browser's console."""

import re

import pytest
from django.urls import reverse

from activities.models import ActivityRecord
from promises.models import Promise
from tests.browser.test_public_pages import published  # noqa: F401 - the fixture
from tests.browser.test_staff_flow import COORDINATOR, log_in

VIOLATION = re.compile(r"Content Security Policy|Refused to (load|execute|apply|connect|frame)", re.IGNORECASE)


@pytest.fixture
def violations(page):
    """Console messages and page errors that report a blocked resource, collected as the pages are visited."""
    found = []
    page.on("console", lambda message: VIOLATION.search(message.text) and found.append((page.url, message.text)))
    page.on("pageerror", lambda error: found.append((page.url, str(error))))
    return found


def visit(page, urls, violations):
    for url in urls:
        response = page.goto(url)
        assert response.status < 400, (url, response.status)
        page.wait_for_load_state("load")
    assert violations == [], "\n".join(f"{url}: {text}" for url, text in violations)


def test_public_pages_load_without_a_policy_violation(page, published, violations):  # noqa: F811
    visit(
        page,
        [
            reverse("home"),
            reverse("municipality", args=["strangnas"]),
            reverse("promise", args=["strangnas", 2020]),
            reverse("report", args=["strangnas", 2020, "2020T1"]),
            reverse("accessibility"),
            reverse("login"),
        ],
        violations,
    )


def test_staff_and_admin_pages_load_without_a_policy_violation(page, published, violations):  # noqa: F811
    promise = Promise.objects.get(slug="strangnas-2020")
    record = ActivityRecord.objects.filter(activity__promise=promise).first()
    log_in(page, *COORDINATOR)
    visit(
        page,
        [
            reverse("activities:mine"),
            reverse("activities:log_activity", args=[record.activity_id]),
            reverse("activities:records"),
            reverse("activities:municipality_records"),
            reverse("activities:record", args=[record.pk]),
            reverse("activities:void", args=[record.pk]),
            reverse("activities:events"),
            reverse("followup:dashboard", args=[promise.pk]) + "?tertial=2020T1",
            reverse("followup:overview", args=["strangnas"]),
            reverse("followup:report", args=[promise.pk, "2020T1"]),
            reverse("followup:indicators", args=[promise.pk]),
            "/admin/",
            f"/admin/promises/promise/{promise.pk}/change/",
            f"/admin/activities/activity/{record.activity_id}/change/",
            "/admin/activities/activityrecord/?voided=no",
            f"/admin/activities/activityrecord/{record.pk}/change/",
            f"/admin/activities/activityrecord/{record.pk}/history/",
            "/admin/activities/plannedevent/add/",
        ],
        violations,
    )
