"""The municipality overview: who may open it, each promise's status counts and latest report, the activity kinds
year by year, and a query count that does not grow with the number of promises, activities and records."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityKind
from followup.progress import Status
from promises.models import Promise
from tests.conftest import make_record, make_report, make_user

pytestmark = pytest.mark.django_db


def url(municipality="strangnas"):
    return reverse("followup:overview", args=[municipality])


def row_of(response, promise):
    return next(row for row in response.context["rows"] if row["promise"].pk == promise.pk)


def counts_of(row):
    return dict(zip(Status, row["counts"], strict=True))


def make_promise(world, *, year, title=None, start=None, end=None):
    promise = Promise.objects.create(
        title=title or f"Medborgarlöfte {year}",
        slug=f"strangnas-{year}-{title or 'lofte'}".lower().replace(" ", "-"),
        year=year,
        period_start=start or datetime.date(year, 1, 1),
        period_end=end or datetime.date(year, 12, 31),
        status=Promise.Status.SIGNED,
        signed_on=start or datetime.date(year, 1, 1),
    )
    promise.municipalities.set([world.strangnas])
    return promise


def make_activity(world, promise, *, kind=None, title="Insats", target_count=10, **fields):
    return Activity.objects.create(
        promise=promise,
        kind=kind or world.count_activity.kind,
        title=title,
        lead_organisation=world.police_organisation,
        target_count=target_count,
        **fields,
    )


# Who may open it


@pytest.mark.parametrize("persona", ["coordinator", "council_member", "administrator"])
def test_it_shows_the_overview_to_the_municipalitys_staff(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(url())
    assert response.status_code == 200
    assert response.context["municipality"] == world.strangnas
    assert response.content.decode().count("<h1>") == 1


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "outsider"])
def test_it_hides_the_overview_from_recorders_and_outsiders(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url()).status_code == 404


def test_it_answers_404_for_an_unknown_municipality(client, world):
    client.force_login(world.administrator)
    assert client.get(url("atlantis")).status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, world):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_a_post(client, world):
    client.force_login(world.coordinator)
    assert client.post(url()).status_code == 405


# Promises and their statuses


def test_it_lists_the_municipalitys_promises_newest_first_with_links(client, world):
    older = make_promise(world, year=2019)
    client.force_login(world.coordinator)

    response = client.get(url())

    assert [row["promise"] for row in response.context["rows"]] == [world.draft_promise, world.promise, older]
    page = response.content.decode()
    for promise in (world.draft_promise, world.promise, older):
        assert reverse("followup:dashboard", args=[promise.pk]) in page
    assert "Eskilstunas löfte" not in page


def test_a_finished_promise_is_judged_at_the_end_of_its_period(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=2)
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), place=world.district
    )
    for month in (2, 6, 10):
        make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, month, 1))
    client.force_login(world.coordinator)

    row = row_of(client.get(url()), world.promise)

    assert row["judged_at"] == datetime.date(2020, 12, 31)
    assert row["activity_count"] == 4
    # Counted 2 of 2 and kept up every tertial: done; one place of two and never measured: missed.
    assert counts_of(row) == {
        Status.DONE: 2,
        Status.ON_TRACK: 0,
        Status.AT_RISK: 0,
        Status.BEHIND: 0,
        Status.MISSED: 2,
    }


def test_a_running_promise_is_judged_today(client, world):
    today = timezone.localdate()
    running = make_promise(
        world, year=today.year, start=today - datetime.timedelta(days=100), end=today + datetime.timedelta(days=100)
    )
    # 10 × 101 days elapsed / 201 days = 5.02 expected: 5 is on track, 3 ≥ ⌊2.51⌋ at risk, 1 behind.
    for title, quantity in (("På plan", 5), ("Risk", 3), ("Efter", 1)):
        activity = make_activity(world, running, title=title)
        make_record(
            activity, by=world.police_recorder, occurred_on=today - datetime.timedelta(days=10), quantity=quantity
        )
    client.force_login(world.coordinator)

    response = client.get(url())

    row = row_of(response, running)
    assert row["judged_at"] == today
    assert counts_of(row) == {
        Status.DONE: 0,
        Status.ON_TRACK: 1,
        Status.AT_RISK: 1,
        Status.BEHIND: 1,
        Status.MISSED: 0,
    }
    cells = re.search(
        rf'<a href="{reverse("followup:dashboard", args=[running.pk])}">.*?</tr>', response.content.decode(), re.DOTALL
    )[0]
    assert re.findall(r'<td class="num">(\d+)</td>', cells) == ["3", "0", "1", "1", "1", "0"]


def test_it_shows_each_promises_latest_report(client, world):
    make_report(world.promise, number=1, status="published")
    make_report(world.promise, number=2, status="submitted")
    client.force_login(world.council_member)

    response = client.get(url())

    latest = row_of(response, world.promise)["latest_report"]
    assert (latest.year, latest.number, latest.status) == (2020, 2, "submitted")
    assert row_of(response, world.draft_promise)["latest_report"] is None
    assert reverse("followup:report", args=[world.promise.pk, "2020T2"]) in response.content.decode()


# Activity kinds year by year


def test_it_totals_each_activity_kind_per_year(client, world):
    walk = ActivityKind.objects.create(name="Trygghetsvandring", slug="trygghetsvandring")
    older = make_promise(world, year=2019)
    operation_2019 = make_activity(world, older, title="Insatser 2019")
    walks_2019 = make_activity(world, older, kind=walk, title="Trygghetsvandringar")
    make_record(operation_2019, by=world.police_recorder, occurred_on=datetime.date(2019, 4, 1), quantity=3)
    make_record(
        operation_2019, by=world.police_recorder, occurred_on=datetime.date(2019, 9, 1), quantity=5, voided=True
    )
    make_record(walks_2019, by=world.police_recorder, occurred_on=datetime.date(2019, 5, 1))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=2)
    make_record(
        world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 2), place=world.district
    )
    make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1), quantity=40)
    client.force_login(world.coordinator)

    response = client.get(url())

    assert response.context["years"] == [2019, 2020, 2021]
    # Planned both years (2021's draft has no activities yet); walks only in 2019. None: no such activity.
    assert response.context["kinds"] == [
        {"name": "Planlagd insats", "cells": [3, 3, None]},
        {"name": "Trygghetsvandring", "cells": [1, None, None]},
    ]
    page = response.content.decode()
    table = re.search(r'<caption id="kinds-caption">.*?</table>', page, re.DOTALL)[0]
    assert re.findall(r'<th scope="col" class="num">(\d{4})</th>', table) == ["2019", "2020", "2021"]
    assert '<th scope="row">Trygghetsvandring</th>' in table
    assert table.count('<span aria-hidden="true">–</span>') == 3


def test_a_kind_planned_but_never_logged_shows_zero(client, world):
    client.force_login(world.coordinator)
    response = client.get(url())
    assert response.context["kinds"] == [{"name": "Planlagd insats", "cells": [0, None]}]


# Queries


def grow(world, *, promises, start=0):
    """Adds promises, each with activities, records in every tertial and reports."""
    for index in range(start, start + promises):
        year = 2000 + index
        promise = make_promise(world, year=year, title=f"Löfte {index}")
        for number in (1, 2):
            activity = make_activity(world, promise, title=f"Insats {number}")
            activity.target_places.set([world.district])
            for month in (2, 6, 10):
                make_record(
                    activity, by=world.police_recorder, occurred_on=datetime.date(year, month, 1), place=world.district
                )
        make_report(promise, year=year, number=1, status="published")
        make_report(promise, year=year, number=2, status="draft")


def queries_for(client, address):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("persona", ["council_member", "administrator"])
def test_it_runs_the_same_number_of_queries_whatever_the_size(client, world, persona):
    client.force_login(getattr(world, persona))
    client.get(url())  # warms up what a first request reads once

    grow(world, promises=1)
    small = queries_for(client, url())
    grow(world, promises=9, start=1)
    large = queries_for(client, url())

    assert small == large
    assert len(client.get(url()).context["rows"]) == 12


def test_it_stays_within_its_query_budget(client, world, django_assert_max_num_queries):
    grow(world, promises=10)
    client.force_login(world.coordinator)
    client.get(url())
    # Session and user, the scope, the municipality, promises, activities with target places, records, reports,
    # the totals per kind and year, the session save.
    with django_assert_max_num_queries(16):
        client.get(url())


# The real Strängnäs promises


def test_it_compares_the_seeded_strangnas_years(client, db):
    call_command("load_strangnas", stdout=io.StringIO())
    administrator = make_user("admin", is_superuser=True)
    watch = Activity.objects.get(promise__year=2019, kind__slug="grannsamverkansomrade")
    make_record(watch, by=administrator, occurred_on=datetime.date(2019, 3, 5), quantity=3)
    client.force_login(administrator)

    response = client.get(url())

    assert response.status_code == 200
    assert [row["promise"].year for row in response.context["rows"]] == [2020, 2019]
    assert response.context["years"] == [2019, 2020]
    kinds = {kind["name"]: kind["cells"] for kind in response.context["kinds"]}
    assert kinds[watch.kind.name] == [3, None]
    planned_2020 = Activity.objects.get(promise__year=2020, kind__slug="planlagd-insats").kind.name
    assert kinds[planned_2020] == [None, 0]
