"""The national overview: every municipality's statuses for a year, for administrators only."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def url(year=2020):
    return reverse("followup:national", args=[year])


def counts_of(response, municipality):
    """The row of the municipality as the page shows it (the table may come from the cache, not the context)."""
    html = response.content.decode()
    match = re.search(rf">{re.escape(municipality.name)}</a></th>\s*((?:<td>\d+</td>)+)", html)
    assert match, f"no row for {municipality.name}"
    numbers = [int(number) for number in re.findall(r"<td>(\d+)</td>", match.group(1))]
    return dict(zip([str(status) for status in response.context["statuses"]], numbers, strict=True))


def totals_of(response):
    match = re.search(r"<tfoot>\s*<tr><th scope=\"row\">[^<]+</th>((?:<td>\d+</td>)+)", response.content.decode())
    return [int(number) for number in re.findall(r"<td>(\d+)</td>", match.group(1))]


def test_the_administrator_sees_every_municipalitys_statuses(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), quantity=2)
    make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 2, 1))
    client.force_login(world.administrator)
    response = client.get(url())
    assert response.status_code == 200
    # 2020 is over: counted is done (2 of 2); places, continuous and once never happened.
    assert counts_of(response, world.strangnas) == {
        "done": 1,
        "on_track": 0,
        "at_risk": 0,
        "behind": 0,
        "missed": 3,
    }
    assert counts_of(response, world.eskilstuna)["done"] == 1
    assert totals_of(response) == [2, 0, 0, 0, 3]


def test_a_shared_promise_counts_for_each_of_its_municipalities(client, world):
    world.promise.municipalities.add(world.eskilstuna)
    client.force_login(world.administrator)
    response = client.get(url())
    assert sum(counts_of(response, world.eskilstuna).values()) == 5


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "police_recorder", "outsider"])
def test_only_administrators_see_it(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url()).status_code == 404


def test_it_runs_a_fixed_number_of_queries(client, world):
    client.force_login(world.administrator)
    client.get("/")  # the session's first request saves it; the measured ones, within a minute, do not

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url()).status_code == 200
        return len(queries)

    small = measure()
    for number in range(10):
        activity = Activity.objects.create(
            promise=world.foreign_promise,
            kind=world.count_activity.kind,
            title=f"Extra {number}",
            lead_organisation=world.foreign_police_organisation,
            target_count=3,
        )
        for day in range(3):
            make_record(activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1 + day))
    assert measure() == small
