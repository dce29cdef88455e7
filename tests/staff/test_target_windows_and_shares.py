"""Target windows and targets per municipality on the forms, the dashboard, the report and the API (issue 15, 5-6).

The rules themselves are tested without a database in tests/followup/test_target_windows_and_shares.py.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Activity
from followup.selectors import promise_figures, report_snapshot
from followup.tertials import Tertial
from promises.models import Place
from tests.conftest import make_record
from tests.fuzz.harness import seen_by_form

pytestmark = pytest.mark.django_db

T1, T3 = Tertial(2020, 1), Tertial(2020, 3)


def window(activity, start, end):
    Activity.objects.filter(pk=activity.pk).update(target_window_start=start, target_window_end=end)
    activity.refresh_from_db()
    return activity


# --- The model and the form --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (datetime.date(2020, 1, 1), None, "target_window_end", "Ange både första och sista dagen"),
        (None, datetime.date(2020, 4, 30), "target_window_start", "Ange både första och sista dagen"),
        (datetime.date(2020, 5, 1), datetime.date(2020, 4, 30), "target_window_end", "Sista dagen får inte vara"),
        (datetime.date(2019, 12, 1), datetime.date(2020, 4, 30), "target_window_start", "inom löftets period"),
        (datetime.date(2020, 11, 1), datetime.date(2021, 2, 28), "target_window_start", "inom löftets period"),
    ],
)
def test_a_window_outside_the_period_or_without_both_ends_is_refused(world, start, end, field, message):
    activity = world.count_activity
    activity.target_window_start, activity.target_window_end = start, end
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert message in refused.value.message_dict[field][0]


def activity_form_data(world, **changes):
    activity = world.count_activity
    data = {
        "focus_area": world.focus_area.pk,
        "order": "1",
        "title": activity.title,
        "kind": activity.kind_id,
        "description": "",
        "lead_organisation": world.police_organisation.pk,
        "partner_organisations": [],
        "target_count": "17",
        "unit": "trafikkontroller",
        "target_places": [],
        "recurrence": "continuous",
        "target_window_start": "2020-01-01",
        "target_window_end": "2020-04-30",
        "seen": seen_by_form(activity),
    }
    data.update(changes)
    return data


def test_the_workspace_form_saves_a_winter_season_target(client, world):
    client.force_login(world.coordinator)
    address = reverse("workspace:activity_edit", args=[world.count_activity.pk])
    page = client.get(address).content.decode()
    assert 'name="target_window_start"' in page and 'type="date"' in page
    # One municipality: a share per municipality would mean nothing, so it is not offered.
    assert 'name="target_per_municipality"' not in page
    assert client.post(address, activity_form_data(world)).status_code == 302
    world.count_activity.refresh_from_db()
    assert (world.count_activity.target_window_start, world.count_activity.target_window_end) == (
        datetime.date(2020, 1, 1),
        datetime.date(2020, 4, 30),
    )
    assert world.count_activity.target_text == "minst 17 trafikkontroller från 1 januari 2020 till 30 april 2020"


def test_the_workspace_form_refuses_a_window_outside_the_period_and_saves_nothing(client, world):
    client.force_login(world.coordinator)
    address = reverse("workspace:activity_edit", args=[world.count_activity.pk])
    response = client.post(address, activity_form_data(world, target_window_end="2021-01-31"))
    assert response.status_code == 200
    assert "Delen måste ligga inom löftets period, 2020-01-01–2020-12-31." in response.content.decode()
    world.count_activity.refresh_from_db()
    assert world.count_activity.target_window_end is None


def test_a_shared_promises_form_offers_the_share_and_saves_it(client, shared):
    client.force_login(shared.tjorn_coordinator)
    activity = shared.tjorn_activity
    address = reverse("workspace:activity_edit", args=[activity.pk])
    assert 'name="target_per_municipality"' in client.get(address).content.decode()
    data = {
        "focus_area": "",
        "order": "0",
        "title": activity.title,
        "kind": activity.kind_id,
        "description": "",
        "lead_organisation": shared.tjorn_organisation.pk,
        "target_count": "4",
        "unit": "vandringar",
        "recurrence": "continuous",
        "target_per_municipality": "on",
        "seen": seen_by_form(activity),
    }
    assert client.post(address, data).status_code == 302
    activity.refresh_from_db()
    assert activity.target_per_municipality


# --- The figures -------------------------------------------------------------------------------------------------


@pytest.fixture
def four_each(shared, world):
    """Föräldravandringar: at least 4 per municipality of Stenungsund, Orust and Tjörn, with records in two of them."""
    activity = shared.tjorn_activity
    Activity.objects.filter(pk=activity.pk).update(target_per_municipality=True)
    activity.refresh_from_db()
    orust_place = Place.objects.create(municipality=shared.orust, name="Henån")
    by = world.administrator
    make_record(activity, by=by, occurred_on=datetime.date(2020, 3, 2), quantity=5, place=shared.stenungsund_place)
    make_record(activity, by=by, occurred_on=datetime.date(2020, 3, 3), quantity=4, place=shared.tjorn_place)
    make_record(activity, by=by, occurred_on=datetime.date(2020, 10, 3), quantity=3, place=orust_place)
    return activity


def test_one_municipality_behind_makes_the_shared_activity_not_kept(shared, four_each):
    figure = next(f for f in promise_figures(shared.promise, T3, cached=False) if f.activity.pk == four_each.pk)
    # 12 of 12 in total, but Orust has 3 of its 4: missed at the year's end.
    assert (figure.progress.achieved, figure.progress.target_count, figure.progress.status) == (12, 12, "missed")
    assert [(name, part.status) for name, part in figure.progress.parts] == [
        ("Orust", "missed"),
        ("Stenungsund", "done"),
        ("Tjörn", "done"),
    ]
    item = report_snapshot(shared.promise, T3, cached=False).activity(four_each.pk)
    assert item.target_per_municipality and item.whole_target == 12
    assert item.parts == (("Orust", 3, "missed"), ("Stenungsund", 5, "done"), ("Tjörn", 4, "done"))
    assert item.computed_status == "missed"


def test_the_dashboard_shows_each_municipalitys_part(client, shared, four_each, world):
    client.force_login(world.administrator)
    page = client.get(reverse("followup:dashboard", args=[shared.promise.pk]) + "?tertial=2020T1").content.decode()
    assert "Varje kommuns del" in page
    assert "Orust: 0 av 4" in page and "Stenungsund: 5 av 4" in page


def test_the_report_words_the_share_and_each_part(shared, four_each):
    from followup.wording import achieved_text, target_text

    item = report_snapshot(shared.promise, T3, cached=False).activity(four_each.pk)
    assert target_text(item) == "minst 4 per kommun"
    assert achieved_text(item) == (
        "12 genomförda; per kommun: Orust 3 (Ej uppfyllt), Stenungsund 5 (Uppfyllt), Tjörn 4 (Uppfyllt)"
    )


def test_records_outside_the_window_are_shown_separately_on_the_dashboard_and_in_the_report(client, world):
    activity = window(world.count_activity, datetime.date(2020, 1, 1), datetime.date(2020, 4, 30))
    make_record(activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 2), quantity=1)
    make_record(activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 2), quantity=3)
    item = report_snapshot(world.promise, Tertial(2020, 2), cached=False).activity(activity.pk)
    # Judged at the window's end: 1 of 2 is missed, whatever May–August brought.
    assert (item.achieved, item.outside_window, item.computed_status) == (1, 3, "missed")
    assert item.target_window_start == "2020-01-01" and item.target_window_end == "2020-04-30"
    from followup.wording import achieved_text, target_text

    assert target_text(item) == "minst 2 insatser, januari–april 2020"
    assert achieved_text(item) == "1 insatser; 3 till utanför målets period, räknas inte in"
    client.force_login(world.coordinator)
    page = client.get(reverse("followup:dashboard", args=[world.promise.pk]) + "?tertial=2020T2").content.decode()
    assert "Utanför målets period" in page
    assert "3 insatser, räknas inte in i målet" in page


def test_the_api_gives_the_window_and_the_share(client, world):
    window(world.count_activity, datetime.date(2020, 1, 1), datetime.date(2020, 4, 30))
    data = client.get(f"/api/v1/activities/{world.count_activity.pk}/").json()
    assert (data["target_window_start"], data["target_window_end"], data["target_per_municipality"]) == (
        "2020-01-01",
        "2020-04-30",
        False,
    )


def test_the_period_cannot_leave_a_target_window_outside_it(client, world):
    window(world.count_activity, datetime.date(2020, 1, 1), datetime.date(2020, 4, 30))
    client.force_login(world.coordinator)
    address = reverse("workspace:promise_edit", args=[world.promise.pk])
    data = {"title": world.promise.title, "period_start": "2020-02-01", "period_end": "2020-12-31"}
    data["seen"] = seen_by_form(world.promise)
    response = client.post(address, data)
    assert response.status_code == 200
    assert "Aktiviteten ”Planlagda insatser” har ett mål för dagar utanför den här perioden." in (
        response.content.decode()
    )
    world.promise.refresh_from_db()
    assert world.promise.period_start == datetime.date(2020, 1, 1)
    # A period that still holds the window is saved.
    data["period_start"] = "2020-01-01"
    assert client.post(address, data).status_code == 302
