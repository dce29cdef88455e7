"""The button that starts next year's promise: who may press it, and where it leads."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from activities.models import Activity
from followup.models import Assessment, Indicator, IndicatorValue
from promises.models import FocusArea, Promise
from tests.conftest import make_record, make_report

pytestmark = pytest.mark.django_db


TEXTS = {
    "situation": "Narkotika bland unga har ökat.",
    "pledge": "Polisen och kommunen lovar att göra mer.",
    "expected_effects": "Färre unga som använder narkotika.",
    "follow_up": "Brottsförebyggande rådet varje tertial.",
    "communication": "Kommunens webbplats och lokalpress.",
}


@pytest.fixture
def promise(world):
    """The 2020 promise filled in everywhere, with follow-up that must stay behind when it is copied."""
    promise = world.promise
    promise.title = "Medborgarlöfte 2020 – Strängnäs"
    for field, text in TEXTS.items():
        setattr(promise, field, text)
    promise.save()
    promise.signatories.set([world.police_organisation, world.municipal_organisation])
    world.focus_area.description = "Insatser mot narkotika."
    world.focus_area.order = 2
    world.focus_area.save()
    FocusArea.objects.create(promise=promise, title="Trygghet i centrum", description="Centrum.", order=1)
    world.count_activity.description = "Minst två planlagda insatser."
    world.count_activity.order = 3
    world.count_activity.partner_organisations.set([world.municipal_organisation])
    world.count_activity.save()
    Activity.objects.create(
        promise=promise,
        kind=world.count_activity.kind,
        title="Utan fokusområde",
        lead_organisation=world.police_organisation,
    )
    indicator = Indicator.objects.create(
        promise=promise, name="Bostadsinbrott", unit="anmälningar", source="Polisen", better="lower"
    )
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=Decimal("14"))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=2)
    report = make_report(promise, number=1)
    Assessment.objects.create(report=report, activity=world.count_activity, comment="Enligt plan.")
    return promise


def url(promise):
    return reverse("followup:copy_next_year", args=[promise.pk])


def set_period(promise, start, end, *, year=None):
    promise.period_start, promise.period_end = start, end
    promise.year = year or start.year
    promise.save()
    return promise


def test_a_coordinator_copies_and_lands_on_the_new_draft_in_the_workspace(client, world, promise):
    client.force_login(world.coordinator)
    response = client.post(url(promise))
    new = Promise.objects.get(year=2021, slug="strangnas-2021-2")
    assert response.status_code == 302
    assert response.url == reverse("workspace:promise", args=[new.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert [message.level_tag for message in page.context["messages"]] == ["success"]


def test_a_second_click_lands_on_the_same_draft(client, world, promise):
    client.force_login(world.coordinator)
    first = client.post(url(promise))
    second = client.post(url(promise), follow=True)
    assert second.redirect_chain[0][0] == first.url
    assert Promise.objects.filter(copied_from=promise).count() == 1
    assert "Utkastet för 2021 finns redan" in second.content.decode()


def test_it_refuses_get(client, world):
    client.force_login(world.coordinator)
    assert client.get(url(world.promise)).status_code == 405
    assert Promise.objects.count() == 3


def test_it_sends_anonymous_visitors_to_log_in(client, world):
    response = client.post(url(world.promise))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Promise.objects.count() == 3


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "municipal_recorder", "council_member"])
def test_it_hides_the_promise_from_everyone_but_its_coordinators(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.post(url(world.promise)).status_code == 404
    assert Promise.objects.count() == 3


def test_a_refused_copy_changes_nothing_and_says_why(client, world):
    set_period(world.promise, datetime.date(2100, 1, 1), datetime.date(2100, 12, 31))
    client.force_login(world.coordinator)
    response = client.post(url(world.promise))
    assert response.status_code == 302
    assert response.url == reverse("followup:dashboard", args=[world.promise.pk])
    assert [message.level_tag for message in get_messages(response.wsgi_request)] == ["error"]
    assert Promise.objects.count() == 3
