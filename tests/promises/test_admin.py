"""The admin is the national administrators' tool: nobody else reaches it, and they meet the workspace's rules.

Coordinators run their year in the staff workspace (README, "Admin"); a member of staff who still has the admin's
staff flag from before is refused. Administrators add and correct what they must, with the same refusals as
everyone: bad input with its message and nothing saved, locks on what an approved follow-up judged, a slug
unique per municipality and year, and no role given to oneself.
"""

import datetime

import pytest

from activities.models import Activity, ActivityKind, ActivityRecord
from followup.models import Indicator, IndicatorValue
from promises.models import Membership, Promise
from tests.conftest import make_record, make_report

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


def admin(client, world):
    client.force_login(world.administrator)
    return client


# Who reaches the admin -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "outsider", "council_member", "police_recorder"])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/promises/promise/",
        "/admin/promises/membership/add/",
        "/admin/activities/activityrecord/",
        "/admin/followup/tertialreport/",
    ],
)
def test_nobody_but_an_administrator_reaches_the_admin(client, world, persona, url):
    user = getattr(world, persona)
    user.is_staff = True  # as coordinators had it before the workspace covered their work
    user.save()
    client.force_login(user)
    response = client.get(url)
    if url == "/admin/":
        # The index lets a staff user in, with nothing on it they may open.
        assert response.status_code == 200 and not response.context["app_list"]
    else:
        assert response.status_code == 403


def test_the_takeover_through_the_admins_membership_form_is_refused(client, world):
    """A coordinator of one municipality of a police area adding themselves as its coordinator (issue 12)."""
    world.police_organisation.municipalities.add(world.eskilstuna)
    world.coordinator.is_staff = True
    world.coordinator.save()
    client.force_login(world.coordinator)
    response = client.post(
        "/admin/promises/membership/add/",
        {"user": world.coordinator.pk, "organisation": world.police_organisation.pk, "role": "coordinator"},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.coordinator, organisation=world.police_organisation).exists()


# Promises ------------------------------------------------------------------------------------------------


def test_an_administrator_adds_a_promise(client, world):
    response = admin(client, world).post("/admin/promises/promise/add/", promise_form(world))
    assert response.status_code == 302
    promise = Promise.objects.get(slug="strangnas-2022")
    assert (promise.municipalities.get(), promise.status) == (world.strangnas, Promise.Status.DRAFT)


def test_it_refuses_a_promise_that_ends_before_it_starts(client, world):
    response = admin(client, world).post("/admin/promises/promise/add/", promise_form(world, period_end="2021-12-31"))
    assert response.status_code == 200
    assert "Perioden kan inte sluta innan den börjar." in response.content.decode()
    assert not Promise.objects.filter(slug="strangnas-2022").exists()


def test_a_slug_is_unique_per_municipality_and_year(client, world):
    response = admin(client, world).post(
        "/admin/promises/promise/add/",
        promise_form(world, slug="strangnas-2021", year="2021", period_start="2021-01-01", period_end="2021-12-31"),
    )
    assert response.status_code == 200
    assert "har redan ett löfte" in response.content.decode()
    # Another municipality may use the same slug that year.
    response = client.post(
        "/admin/promises/promise/add/",
        promise_form(
            world,
            slug="strangnas-2021",
            year="2021",
            period_start="2021-01-01",
            period_end="2021-12-31",
            municipalities=[world.eskilstuna.pk],
        ),
    )
    assert response.status_code == 302
    assert Promise.objects.filter(slug="strangnas-2021").count() == 2


def test_the_admin_does_not_sign_promises_outside_their_workflow(client, world):
    admin(client, world).post(
        f"/admin/promises/promise/{world.draft_promise.pk}/change/",
        promise_form(
            world,
            title=world.draft_promise.title,
            slug=world.draft_promise.slug,
            year="2021",
            period_start="2021-01-01",
            period_end="2021-12-31",
            status="signed",
            signed_on="2021-01-01",
        ),
    )
    world.draft_promise.refresh_from_db()
    assert world.draft_promise.status == Promise.Status.DRAFT


def test_an_approved_tertial_keeps_the_period_from_shrinking_in_the_admin(client, world):
    make_report(world.promise, number=1, status="approved")
    response = admin(client, world).post(
        f"/admin/promises/promise/{world.promise.pk}/change/",
        promise_form(
            world,
            title=world.promise.title,
            slug=world.promise.slug,
            year="2020",
            period_start="2020-03-01",
            period_end="2020-12-31",
        ),
    )
    assert response.status_code == 200
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    world.promise.refresh_from_db()
    assert world.promise.period_start == datetime.date(2020, 1, 1)


# Activities ----------------------------------------------------------------------------------------------


def activity_form(world, **changes):
    activity = world.count_activity
    data = {
        "promise": activity.promise_id,
        "focus_area": activity.focus_area_id or "",
        "order": "0",
        "title": activity.title,
        "kind": activity.kind_id,
        "description": "",
        "lead_organisation": activity.lead_organisation_id,
        "target_count": "2",
        "unit": "insatser",
        "recurrence": activity.recurrence,
        "records-TOTAL_FORMS": "0",
        "records-INITIAL_FORMS": "0",
        "records-MIN_NUM_FORMS": "0",
        "records-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [{"target_count": "5"}, {"unit": "kontroller"}, {"recurrence": "once"}],
    ids=["count", "unit", "recurrence"],
)
def test_an_approved_tertial_locks_the_activitys_target_in_the_admin(client, world, changes):
    report = make_report(world.promise, number=1, status="approved")
    url = f"/admin/activities/activity/{world.count_activity.pk}/change/"
    response = admin(client, world).post(url, activity_form(world, **changes))
    assert response.status_code == 200
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    world.count_activity.refresh_from_db()
    assert (world.count_activity.target_count, world.count_activity.unit) == (2, "insatser")
    # Returned to draft, the report locks nothing.
    report.status = "draft"
    report.approved_at = report.meeting_date = None
    report.save()
    assert client.post(url, activity_form(world, **changes)).status_code == 302


def test_an_approved_tertial_keeps_the_activity_in_its_promise_and_places_in_the_admin(client, world):
    make_report(world.promise, number=1, status="approved")
    client = admin(client, world)
    moved = client.post(
        f"/admin/activities/activity/{world.count_activity.pk}/change/",
        activity_form(world, promise=world.draft_promise.pk, focus_area=""),
    )
    assert "Uppföljningen av T1 2020 är godkänd" in moved.content.decode()
    places = world.places_activity
    url = f"/admin/activities/activity/{places.pk}/change/"
    data = activity_form(
        world,
        title=places.title,
        target_count="",
        unit="",
        recurrence=places.recurrence,
        target_places=[world.district.pk],
    )
    response = client.post(url, data)
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    assert set(places.target_places.all()) == {world.district, world.second_district}
    world.count_activity.refresh_from_db()
    assert world.count_activity.promise == world.promise


def test_the_admin_refuses_target_places_of_another_municipality(client, world):
    data = activity_form(world, target_places=[world.foreign_place.pk])
    response = admin(client, world).post(f"/admin/activities/activity/{world.count_activity.pk}/change/", data)
    assert response.status_code == 200
    assert "löftets egna kommuner" in response.content.decode()
    assert not world.count_activity.target_places.exists()


# Indicators ----------------------------------------------------------------------------------------------


def test_an_approved_tertial_locks_its_indicator_values_in_the_admin(client, world):
    indicator = Indicator.objects.create(promise=world.promise, name="Anmälda narkotikabrott")
    value = IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=39)
    make_report(world.promise, number=1, status="approved")
    data = {
        "promise": world.promise.pk,
        "name": indicator.name,
        "unit": "",
        "source": "",
        "better": "lower",
        "values-TOTAL_FORMS": "1",
        "values-INITIAL_FORMS": "1",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
        "values-0-id": value.pk,
        "values-0-indicator": indicator.pk,
        "values-0-year": "2020",
        "values-0-number": "1",
        "values-0-value": "45",
    }
    client = admin(client, world)
    response = client.post(f"/admin/followup/indicator/{indicator.pk}/change/", data)
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    deleted = client.post(
        f"/admin/followup/indicator/{indicator.pk}/change/", {**data, "values-0-value": "39", "values-0-DELETE": "on"}
    )
    assert "Uppföljningen av T1 2020 är godkänd" in deleted.content.decode()
    value.refresh_from_db()
    assert value.value == 39


# Memberships ---------------------------------------------------------------------------------------------


def test_an_administrator_gives_a_role_with_a_reason_kept_in_history(client, world):
    response = admin(client, world).post(
        "/admin/promises/membership/add/",
        {
            "user": world.outsider.pk,
            "organisation": world.police_organisation.pk,
            "role": "recorder",
            "reason": "Tjänstgör i Strängnäs i vår",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider, organisation=world.police_organisation)
    entry = membership.history.get()
    assert (entry.history_user, entry.history_change_reason) == (world.administrator, "Tjänstgör i Strängnäs i vår")


def test_an_administrator_gives_no_role_to_themselves(client, world):
    response = admin(client, world).post(
        "/admin/promises/membership/add/",
        {"user": world.administrator.pk, "organisation": world.police_organisation.pk, "role": "council"},
    )
    assert response.status_code == 200
    assert "Du kan inte ge dig själv en roll" in response.content.decode()
    assert not Membership.objects.filter(user=world.administrator).exists()


# Records -------------------------------------------------------------------------------------------------


def test_an_administrator_adds_a_record_and_is_named_as_its_recorder(client, world):
    response = admin(client, world).post("/admin/activities/activityrecord/add/", record_form(world))
    assert response.status_code == 302
    record = ActivityRecord.objects.get()
    assert (record.recorded_by, record.quantity, record.occurred_on) == (
        world.administrator,
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
    response = admin(client, world).post("/admin/activities/activityrecord/add/", record_form(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_a_malformed_id_answers_404(client, world):
    assert admin(client, world).get("/admin/promises/promise/abc/change/").status_code == 404


def test_the_admin_filters_records_by_municipality_year_kind_and_voiding(client, world):
    # A filter shows only when it has a choice to make: give it a second kind.
    ActivityKind.objects.create(name="Trygghetsvandring", slug="trygghetsvandring")
    response = admin(client, world).get("/admin/activities/activityrecord/", {"voided": "no", "year": "2020"})
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
    foreign = make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 2))
    client = admin(client, world)
    url = "/admin/activities/activityrecord/"
    # The newest signed promise is 2020's (2021's is a draft, and there is none for today's year).
    assert list(client.get(url).context["cl"].result_list) == [foreign, this_year]
    assert list(client.get(url, {"year": "2019"}).context["cl"].result_list) == [last_year]
    assert list(client.get(url, {"year": "all"}).context["cl"].result_list) == [foreign, this_year, last_year]
    assert list(client.get(url, {"year": "20x9"}).context["cl"].result_list) == []


def test_the_record_filters_narrow_by_municipality_and_organisation(client, world):
    mine = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    theirs = make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, 3, 2))
    client = admin(client, world)
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
    client = admin(client, world)
    url = f"/admin/activities/activityrecord/{record.pk}/change/"
    client.post(url, record_form(world, occurred_on="2020-06-01", quantity="5"))
    record.refresh_from_db()
    assert (record.occurred_on, record.quantity) == (datetime.date(2020, 3, 1), 1)
    assert client.get(url).status_code == 200  # still readable


def test_the_admin_refuses_a_record_in_a_locked_tertial(client, world):
    from tests.staff.test_log import approve_t1

    approve_t1(world)
    response = admin(client, world).post(
        "/admin/activities/activityrecord/add/", record_form(world, occurred_on="2020-04-01")
    )
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
