"""The admin's change forms of records and planned events refuse an edit made on a form someone has since
overtaken: a message names the newer values, and nothing is saved."""

import datetime

import pytest

from tests.conftest import local, make_event, make_record, seen_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(world):
    return make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))


def record_form(world, record, **changes):
    return {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": "1",
        "summary": "Insats vid skolan",
        "seen": seen_of(record),
        **changes,
    }


def test_an_administrator_corrects_a_record_on_a_fresh_form(client, world, record):
    client.force_login(world.administrator)
    url = f"/admin/activities/activityrecord/{record.pk}/change/"
    assert 'name="seen"' in client.get(url).content.decode()
    assert client.post(url, record_form(world, record, quantity="3")).status_code == 302
    record.refresh_from_db()
    assert record.quantity == 3
    assert record.history.latest("history_id").history_user == world.administrator


def test_the_admin_refuses_a_record_correction_on_a_stale_form(client, world, record):
    stale = record_form(world, record, quantity="1")
    record.quantity = 5
    record.save()  # a recorder's correction, after the administrator opened the form
    client.force_login(world.administrator)
    response = client.post(f"/admin/activities/activityrecord/{record.pk}/change/", stale)
    record.refresh_from_db()
    assert response.status_code == 200
    assert record.quantity == 5
    page = response.content.decode()
    assert "Någon annan ändrade" in page and "Antal: 5" in page


def event_form(world, event, **changes):
    return {
        "activity": world.count_activity.pk,
        "title": "Trygghetsvandring i Stallarholmen",
        "starts_at_0": "2020-05-10",
        "starts_at_1": "18:00",
        "ends_at_0": "2020-05-10",
        "ends_at_1": "20:00",
        "place": "",
        "place_text": "",
        "description": "",
        "seen": seen_of(event),
        **changes,
    }


def test_the_admin_refuses_an_event_change_on_a_stale_form(client, world):
    event = make_event(world, starts=local(2020, 5, 10, 18))
    stale = event_form(world, event, title="Min titel")
    event.title = "Trygghetsvandring med polisen"
    event.save()
    client.force_login(world.administrator)
    url = f"/admin/activities/plannedevent/{event.pk}/change/"
    response = client.post(url, stale)
    event.refresh_from_db()
    assert response.status_code == 200
    assert event.title == "Trygghetsvandring med polisen"
    assert "Trygghetsvandring med polisen" in response.content.decode()
    # On a fresh form the same change is saved.
    assert client.post(url, event_form(world, event, title="Min titel")).status_code == 302
    event.refresh_from_db()
    assert event.title == "Min titel"
