"""Cached figures are exact: a change shows on the very next request, and an unchanged page reads no records.

The dashboards, "Mina aktiviteter" and the overviews cache their figures under the promise's and the
municipality's data versions (promises.versions). These tests show both halves of that promise: the second
request of an unchanged page does not read the records again, and any write makes the next request show it.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ActivityRecord
from tests.conftest import make_record
from tests.staff.test_national import counts_of, totals_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def reads_records(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, any('"activities_activityrecord"' in query["sql"] for query in queries.captured_queries)


def log(world, quantity=2, day=datetime.date(2020, 2, 1)):
    return make_record(world.count_activity, by=world.police_recorder, occurred_on=day, quantity=quantity)


def test_the_national_overview_is_cached_and_shows_a_new_record_at_once(client, world):
    client.force_login(world.administrator)
    url = reverse("followup:national", args=[2020])
    first, read = reads_records(client, url)
    assert read
    assert counts_of(first, world.strangnas)["done"] == 0

    again, read = reads_records(client, url)
    assert not read, "an unchanged year is served from the cache"
    assert counts_of(again, world.strangnas) == counts_of(first, world.strangnas)

    log(world)
    after, read = reads_records(client, url)
    assert read
    assert counts_of(after, world.strangnas)["done"] == 1
    assert totals_of(after)[0] == 1


def test_a_change_in_one_municipality_recomputes_only_its_promises(client, world):
    client.force_login(world.administrator)
    url = reverse("followup:national", args=[2020])
    client.get(url)
    log(world)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    records = [query["sql"] for query in queries.captured_queries if '"activities_activityrecord"' in query["sql"]]
    assert len(records) == 1
    activity_ids = {int(pk) for pk in re.search(r'"activity_id" IN \(([^)]*)\)', records[0]).group(1).split(", ")}
    assert world.count_activity.pk in activity_ids
    assert world.foreign_activity.pk not in activity_ids, "Eskilstuna's figures came from the cache"


def test_voiding_a_record_shows_at_once(client, world):
    record = log(world)
    client.force_login(world.administrator)
    url = reverse("followup:national", args=[2020])
    assert counts_of(client.get(url), world.strangnas)["done"] == 1
    record.voided_at = datetime.datetime(2020, 12, 1, tzinfo=datetime.UTC)
    record.voided_by = world.police_recorder
    record.void_reason = "Felregistrerad"
    record.save()
    assert counts_of(client.get(url), world.strangnas)["done"] == 0


def test_the_municipality_overview_is_cached_and_shows_a_new_record_at_once(client, world):
    client.force_login(world.coordinator)
    url = reverse("followup:overview", args=[world.strangnas.slug])
    _first, read = reads_records(client, url)
    assert read
    _again, read = reads_records(client, url)
    assert not read

    log(world, quantity=7)
    after, read = reads_records(client, url)
    assert read
    row = next(row for row in after.context["rows"] if row["promise"] == world.promise)
    assert row["counts"][0] == 1  # done
    kind = next(kind for kind in after.context["kinds"] if kind["name"] == world.count_activity.kind.name)
    assert kind["cells"][after.context["years"].index(2020)] == 7


def first_tertial_quantity(response, activity):
    """The activity's quantity in the first tertial, as the page's table shows it (it may come from the cache)."""
    title = rf'<th scope="row"><span lang="sv">{re.escape(activity.title)}</span></th>'
    pattern = title + r'\s*<td>[^<]*</td>\s*<td class="num">(\d+)</td>'
    return int(re.search(pattern, response.content.decode()).group(1))


def test_the_dashboard_is_cached_and_shows_a_correction_at_once(client, world):
    record = log(world, quantity=1)
    client.force_login(world.coordinator)
    url = reverse("followup:dashboard", args=[world.promise.pk]) + "?tertial=2020-1"
    first, read = reads_records(client, url)
    assert read
    assert first_tertial_quantity(first, world.count_activity) == 1
    again, read = reads_records(client, url)
    assert not read
    assert first_tertial_quantity(again, world.count_activity) == 1

    record.quantity = 5
    record.save()
    after, read = reads_records(client, url)
    assert read
    assert first_tertial_quantity(after, world.count_activity) == 5


def test_the_dashboards_cached_figures_hold_nothing_of_the_user(client, world):
    """A coordinator's buttons are not shown to a council member who gets the same cached figures."""
    log(world)
    url = reverse("followup:dashboard", args=[world.promise.pk])
    client.force_login(world.coordinator)
    coordinator_page = client.get(url).content.decode()
    assert reverse("followup:indicators", args=[world.promise.pk]) in coordinator_page
    client.force_login(world.council_member)
    council_page, read = reads_records(client, url)
    assert not read, "the figures came from the coordinator's visit"
    assert reverse("followup:indicators", args=[world.promise.pk]) not in council_page.content.decode()


def test_mina_aktiviteter_is_cached_and_shows_a_deleted_record_at_once(client, world):
    record = log(world, quantity=3)
    client.force_login(world.police_recorder)
    url = reverse("activities:mine")
    _first, read = reads_records(client, url)
    assert read
    _again, read = reads_records(client, url)
    assert not read

    ActivityRecord.objects.filter(pk=record.pk).delete()
    after, read = reads_records(client, url)
    assert read
    rows = [row for promise in after.context["promises"] for area in promise["focus_areas"] for row in area["rows"]]
    assert next(row for row in rows if row["activity"] == world.count_activity)["progress"].achieved == 0


def test_a_new_day_is_judged_again(client, world, monkeypatch):
    """A running promise is judged today: tomorrow's figures are not today's, so they are not read from the cache."""
    from django.utils import timezone

    day = datetime.datetime(2020, 4, 15, 21, 50, tzinfo=datetime.UTC)  # 23:50 in Sweden
    monkeypatch.setattr(timezone, "now", lambda: day)
    client.force_login(world.coordinator)
    url = reverse("followup:overview", args=[world.strangnas.slug])
    client.get(url)
    monkeypatch.setattr(timezone, "now", lambda: day + datetime.timedelta(minutes=20))  # past midnight
    _response, read = reads_records(client, url)
    assert read


def test_approval_freezes_live_figures_not_cached_ones(world):
    """The snapshot is computed from the records, whatever the cache holds."""
    from followup.selectors import figures_key, judged_at, promise_figures
    from followup.services import snapshot_of
    from followup.tertials import Tertial
    from tests.conftest import make_report

    log(world, quantity=2)
    tertial = Tertial(2020, 1)
    promise_figures(world.promise, tertial)  # fills the cache
    report = make_report(world.promise, status="submitted")
    world.promise.refresh_from_db()
    # Whatever sits in the cache under the promise's current version, approval does not read it.
    cache.set(figures_key("promise", world.promise, judged_at(world.promise, tertial)), {}, 60)
    snapshot = snapshot_of(report).to_dict()
    counted = next(row for row in snapshot["activities"] if row["id"] == world.count_activity.pk)
    assert counted["achieved"] == 2


def test_mina_aktiviteter_shows_a_renamed_activity_and_a_lost_right_to_log_at_once(client, world):
    from promises.models import Membership

    client.force_login(world.police_recorder)
    url = reverse("activities:mine")
    log_link = reverse("activities:log_activity", args=[world.count_activity.pk])
    assert log_link in client.get(url).content.decode()

    world.count_activity.title = "Planlagda insatser mot langning"
    world.count_activity.save()
    assert "Planlagda insatser mot langning" in client.get(url).content.decode()

    Membership.objects.filter(user=world.police_recorder).update(role=Membership.Role.COUNCIL)
    page = client.get(url).content.decode()
    assert "Planlagda insatser mot langning" in page, "still listed: the organisation takes part"
    assert log_link not in page, "but no longer loggable by this user"
