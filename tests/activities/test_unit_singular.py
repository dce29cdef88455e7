"""Singular and plural of an activity's unit (issue 18, klarspråk): "1 insats", never "1 insatser", where a
count is shown with the unit; an activity without a singular keeps its one unit."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def set_target(activity, count, singular="insats"):
    activity.target_count = count
    activity.unit_singular = singular
    activity.save()


def public_page(client, world):
    url = reverse("promise", kwargs={"municipality": "strangnas", "year": world.promise.year})
    return " ".join(client.get(url).content.decode().split())


def my_activities(client, world):
    client.force_login(world.police_recorder)
    return " ".join(client.get(reverse("activities:mine")).content.decode().split())


def test_the_unit_follows_the_number():
    from activities.models import Activity

    activity = Activity(unit="insatser", unit_singular="insats")
    assert [activity.unit_for(n) for n in (0, 1, 2, None)] == ["insatser", "insats", "insatser", "insatser"]
    assert Activity(unit="insatser").unit_for(1) == "insatser"


@pytest.mark.parametrize(("count", "words"), [(1, "minst 1 insats"), (2, "minst 2 insatser")])
def test_the_public_promise_page_writes_the_target_in_the_right_number(client, world, count, words):
    set_target(world.count_activity, count)
    page = public_page(client, world)
    assert words in page
    assert "minst 1 insatser" not in page


@pytest.mark.parametrize(("count", "words"), [(1, "1 av 1 insats"), (2, "1 av 2 insatser")])
def test_my_activities_writes_the_target_in_the_right_number(client, world, count, words):
    set_target(world.count_activity, count)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    assert words in my_activities(client, world)


@pytest.mark.parametrize(
    ("quantity", "words", "wrong"), [(1, "1 insats", "1 insatser"), (2, "2 insatser", "2 insats ")]
)
def test_my_activities_writes_what_was_done_so_far_in_the_right_number(client, world, quantity, words, wrong):
    set_target(world.count_activity, None)
    make_record(
        world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3), quantity=quantity
    )
    page = my_activities(client, world)
    assert f"{words} hittills" in page
    assert wrong + "hittills" not in page
