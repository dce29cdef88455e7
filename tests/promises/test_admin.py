"""The admin as a coordinator uses it: scoped to their municipalities, refusing bad input with a message."""

import datetime

import pytest

from activities.models import Activity, ActivityKind, ActivityRecord
from promises.models import Promise
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

INLINES = {
    f"{prefix}-{key}": value
    for prefix in ("focus_areas", "activities")
    for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()
}


def promise_form(world, **changes):
    data = {
        "title": "Medborgarlöfte 2022",
        "slug": "strangnas-2022",
        "municipalities": [world.strangnas.pk],
        "year": "2022",
        "status": "draft",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        **INLINES,
    }
    data.update(changes)
    return data


def record_form(world, **changes):
    data = {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": "1",
        "summary": "Insats vid skolan",
    }
    data.update(changes)
    return data


def test_a_coordinator_adds_a_promise_for_their_municipality(client, world):
    client.force_login(world.coordinator)
    response = client.post("/admin/promises/promise/add/", promise_form(world))
    assert response.status_code == 302
    assert Promise.objects.get(slug="strangnas-2022").municipalities.get() == world.strangnas


def test_it_refuses_a_promise_that_ends_before_it_starts(client, world):
    client.force_login(world.coordinator)
    response = client.post("/admin/promises/promise/add/", promise_form(world, period_end="2021-12-31"))
    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in response.content.decode()
    assert not Promise.objects.filter(slug="strangnas-2022").exists()


def test_it_refuses_a_municipality_outside_the_coordinators_scope(client, world):
    client.force_login(world.coordinator)
    response = client.post("/admin/promises/promise/add/", promise_form(world, municipalities=[world.eskilstuna.pk]))
    assert response.status_code == 200
    assert not Promise.objects.filter(slug="strangnas-2022").exists()


def test_a_coordinator_adds_a_record_and_is_named_as_its_recorder(client, world):
    client.force_login(world.coordinator)
    response = client.post("/admin/activities/activityrecord/add/", record_form(world))
    assert response.status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.recorded_by, record.quantity, record.occurred_on) == (
        world.coordinator,
        1,
        datetime.date(2020, 3, 10),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quantity": "0"}, "Kontrollera att detta värde är större än eller lika med 1."),
        ({"occurred_on": "2021-02-01"}, "Datumet måste ligga inom löftets period, 2020-01-01–2020-12-31."),
        ({"occurred_on": "2019-12-31"}, "Datumet måste ligga inom löftets period, 2020-01-01–2020-12-31."),
    ],
)
def test_it_refuses_a_bad_record_and_saves_nothing(client, world, changes, message):
    client.force_login(world.coordinator)
    response = client.post("/admin/activities/activityrecord/add/", record_form(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_it_refuses_a_record_for_another_municipalitys_activity(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        "/admin/activities/activityrecord/add/", record_form(world, activity=world.foreign_activity.pk)
    )
    assert response.status_code == 200
    assert not ActivityRecord.objects.exists()


def test_the_outsider_gets_404_for_another_municipalitys_objects(client, world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.outsider)
    for url in (
        f"/admin/promises/promise/{world.promise.pk}/change/",
        f"/admin/promises/promise/{world.promise.pk}/history/",
        f"/admin/activities/activity/{world.count_activity.pk}/change/",
        f"/admin/activities/activityrecord/{record.pk}/change/",
        f"/admin/promises/place/{world.district.pk}/change/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_lists_show_only_the_coordinators_municipalities(client, world):
    make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1))
    ours = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.coordinator)
    promises = client.get("/admin/promises/promise/").context["cl"].result_list
    assert set(promises) == {world.promise, world.draft_promise}
    records = client.get("/admin/activities/activityrecord/").context["cl"].result_list
    assert list(records) == [ours]


def test_a_recorder_in_the_admin_sees_only_their_own_records(client, world):
    world.police_recorder.is_staff = True
    world.police_recorder.save()
    own = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    make_record(world.count_activity, by=world.coordinator, occurred_on=datetime.date(2020, 3, 2))
    client.force_login(world.police_recorder)
    assert list(client.get("/admin/activities/activityrecord/").context["cl"].result_list) == [own]
    assert client.get("/admin/promises/promise/").status_code == 403


def test_staff_cannot_delete_records(client, world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.coordinator)
    response = client.post(f"/admin/activities/activityrecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert ActivityRecord.objects.filter(pk=record.pk).exists()


def test_the_admin_filters_records_by_municipality_year_kind_and_voiding(client, world):
    # A filter shows only when it has a choice to make: give it a second kind.
    ActivityKind.objects.create(name="Trygghetsvandring", slug="trygghetsvandring")
    client.force_login(world.coordinator)
    response = client.get("/admin/activities/activityrecord/", {"voided": "no", "year": "2020"})
    assert response.status_code == 200
    filters = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"makulerad", "år", "kommun", "aktivitetstyp"} <= {str(title) for title in filters}


def test_the_record_list_shows_the_newest_year_up_to_now_unless_asked_for_all(client, world):
    old = Promise.objects.create(
        title="Medborgarlöfte 2019",
        slug="strangnas-2019",
        year=2019,
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2019, 12, 31),
        status=Promise.Status.CLOSED,
        signed_on=datetime.date(2019, 1, 1),
    )
    old.municipalities.set([world.strangnas])
    old_activity = Activity.objects.create(
        promise=old,
        kind=world.count_activity.kind,
        title="Insatser 2019",
        lead_organisation=world.police_organisation,
        target_count=1,
    )
    this_year = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    last_year = make_record(old_activity, by=world.police_recorder, occurred_on=datetime.date(2019, 3, 1))
    client.force_login(world.coordinator)
    url = "/admin/activities/activityrecord/"
    # The newest signed promise is 2020's (2021's is a draft, and there is none for today's year).
    assert list(client.get(url).context["cl"].result_list) == [this_year]
    assert list(client.get(url, {"year": "2019"}).context["cl"].result_list) == [last_year]
    assert list(client.get(url, {"year": "all"}).context["cl"].result_list) == [this_year, last_year]
    assert list(client.get(url, {"year": "20x9"}).context["cl"].result_list) == []


def test_the_record_filters_offer_only_the_coordinators_municipalities_and_organisations(client, world):
    mine = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    theirs = make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, 3, 2))
    client.force_login(world.coordinator)
    response = client.get("/admin/activities/activityrecord/")
    choices = {
        str(spec.title): {str(name) for _value, name in spec.lookup_choices}
        for spec in response.context["cl"].filter_specs
        if hasattr(spec, "lookup_choices") and str(spec.title) in ("kommun", "ansvarig organisation")
    }
    assert choices["kommun"] == {"Strängnäs"}
    assert choices["ansvarig organisation"] == {"Polisen Strängnäs", "Strängnäs kommun"}

    police = client.get("/admin/activities/activityrecord/", {"lead_organisation": str(world.police_organisation.pk)})
    assert list(police.context["cl"].result_list) == [mine]
    assert theirs not in police.context["cl"].result_list
    nowhere = client.get("/admin/activities/activityrecord/", {"municipality": "x1"})
    assert nowhere.status_code == 200
    assert list(nowhere.context["cl"].result_list) == []


def test_a_locked_record_is_read_only_in_the_admin(client, world):
    from tests.staff.test_log import approve_t1

    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    approve_t1(world)
    client.force_login(world.coordinator)
    url = f"/admin/activities/activityrecord/{record.pk}/change/"
    client.post(url, record_form(world, occurred_on="2020-06-01", quantity="5"))
    record.refresh_from_db()
    assert (record.occurred_on, record.quantity) == (datetime.date(2020, 3, 1), 1)
    assert client.get(url).status_code == 200  # still readable


def test_the_admin_refuses_a_record_in_a_locked_tertial(client, world):
    from tests.staff.test_log import approve_t1

    approve_t1(world)
    client.force_login(world.coordinator)
    response = client.post("/admin/activities/activityrecord/add/", record_form(world, occurred_on="2020-04-01"))
    assert "låsta" in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_the_record_list_never_counts_more_than_its_cap(client, world, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from activities.admin import CappedCountPaginator

    for day in range(5):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1 + day))
    CappedCountPaginator.CAP, cap = 3, CappedCountPaginator.CAP
    try:
        client.force_login(world.administrator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/activities/activityrecord/")
    finally:
        CappedCountPaginator.CAP = cap
    assert response.context["cl"].result_count == 4  # "more than 3"
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts)
