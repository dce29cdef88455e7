"""Planned events for staff: the list by role, and turning an event into a record once."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import ActivityRecord
from tests.conftest import local, make_event, make_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


EVENTS = reverse("activities:events")


@pytest.fixture
def walk(world):
    """A safety walk of the police's planned operations that took place on 28 March."""
    return make_event(world, starts=local(2020, 3, 28, 18), place=world.district, place_text="Utanför biblioteket")


def convert_url(event, activity=None):
    return reverse("activities:log_activity", args=[(activity or event.activity).pk]) + f"?event={event.pk}"


def form(world, event, **changes):
    data = {
        "activity": event.activity.pk,
        "occurred_on": "2020-03-28",
        "quantity": "1",
        "place": world.district.pk,
        "place_text": "Utanför biblioteket",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Trygghetsvandring i Mariefred",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(EVENTS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_coordinator_sees_upcoming_and_recent_events_and_may_log_the_past_one(client, world, walk):
    coming = make_event(world, title="Föräldramöte", starts=local(2020, 5, 10, 18))
    make_event(world, title="För länge sedan", starts=local(2020, 2, 1, 18))  # more than 60 days ago
    client.force_login(world.coordinator)
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert response.context["upcoming"] == [coming]
    assert response.context["past"] == [walk]
    page = response.content.decode()
    assert "Föräldramöte" in page and "Trygghetsvandring i Mariefred" in page
    assert "För länge sedan" not in page
    assert "Mariefred, Utanför biblioteket" in page
    assert convert_url(walk) in page
    assert f"?event={coming.pk}" not in page  # it has not taken place yet


def test_a_cancelled_event_is_marked_and_cannot_be_logged(client, world, walk):
    walk.cancel()
    client.force_login(world.coordinator)
    response = client.get(EVENTS)
    assert response.context["past"][0].is_cancelled
    assert f"?event={walk.pk}" not in response.content.decode()


def test_a_logged_event_names_its_record_instead_of_a_button(client, world, walk):
    walk.record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 28))
    walk.save()
    client.force_login(world.coordinator)
    page = client.get(EVENTS).content.decode()
    assert f"?event={walk.pk}" not in page
    assert reverse("activities:record", args=[walk.record.pk]) in page


def test_a_recorder_sees_the_events_of_the_activities_they_log(client, world, walk):
    make_event(world, world.once_activity, title="Mätning", starts=local(2020, 3, 30, 9))  # the municipality's alone
    client.force_login(world.police_recorder)
    response = client.get(EVENTS)
    assert response.context["past"] == [walk]
    assert convert_url(walk) in response.content.decode()


def test_a_recorder_cannot_open_a_record_someone_else_made(client, world, walk):
    walk.record = make_record(world.count_activity, by=world.coordinator, occurred_on=datetime.date(2020, 3, 28))
    walk.save()
    client.force_login(world.police_recorder)
    page = client.get(EVENTS).content.decode()
    assert reverse("activities:record", args=[walk.record.pk]) not in page


def test_the_outsider_sees_nothing_of_strangnas(client, world, walk):
    theirs = make_event(world, world.foreign_activity, title="Eskilstunas vandring", starts=local(2020, 3, 29, 18))
    client.force_login(world.outsider)
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert response.context["past"] == [theirs]
    assert "Trygghetsvandring i Mariefred" not in response.content.decode()


def test_a_council_member_sees_no_events_to_log(client, world, walk):
    client.force_login(world.council_member)
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert response.context["past"] == response.context["upcoming"] == []


def test_the_page_takes_a_fixed_number_of_queries(client, world, walk):
    def logged(event):
        event.record = make_record(event.activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 28))
        event.save()

    logged(walk)
    client.force_login(world.coordinator)
    client.get(EVENTS)
    with CaptureQueriesContext(connection) as one:
        client.get(EVENTS)
    logged(make_event(world, world.places_activity, starts=local(2020, 3, 28, 9), place=world.second_district))
    make_event(world, world.continuous_activity, starts=local(2020, 4, 1, 18))
    make_event(world, world.once_activity, starts=local(2020, 5, 1, 18))
    with CaptureQueriesContext(connection) as four:
        assert len(client.get(EVENTS).context["past"]) == 3
    assert len(four) == len(one)


def test_the_log_form_is_filled_in_from_the_event(client, world, walk):
    client.force_login(world.police_recorder)
    response = client.get(convert_url(walk))
    assert response.status_code == 200
    fields = response.context["form"]
    assert fields["occurred_on"].value() == datetime.date(2020, 3, 28)
    assert fields["place"].value() == world.district.pk
    assert fields["place_text"].value() == "Utanför biblioteket"
    assert fields["summary"].value() == "Trygghetsvandring i Mariefred"
    assert fields["participating_organisations"].value() == [world.police_organisation.pk]


def test_the_date_is_the_events_local_date(client, world):
    # Half past midnight in Stockholm on 28 March is still 27 March in UTC.
    event = make_event(world, world.continuous_activity, starts=local(2020, 3, 28, 0, 30))
    client.force_login(world.coordinator)
    fields = client.get(convert_url(event)).context["form"]
    assert fields["occurred_on"].value() == datetime.date(2020, 3, 28)
    # The lead organisation and its partners took part.
    assert set(fields["participating_organisations"].value()) == {
        world.municipal_organisation.pk,
        world.police_organisation.pk,
    }


def test_logging_the_event_stores_one_record_linked_to_it(client, world, walk):
    client.force_login(world.police_recorder)
    response = client.post(convert_url(walk), form(world, walk))
    assert response.status_code == 302
    assert response.url == EVENTS
    record = ActivityRecord.objects.get()
    walk.refresh_from_db()
    assert walk.record == record
    assert (record.activity, record.occurred_on, record.recorded_by) == (
        world.count_activity,
        datetime.date(2020, 3, 28),
        world.police_recorder,
    )
    assert walk.history.count() == 2  # the link is a change like any other


def test_the_same_page_posted_twice_stores_one_record(client, world, walk):
    client.force_login(world.police_recorder)
    data = form(world, walk)
    client.post(convert_url(walk), data)
    response = client.post(convert_url(walk), data)
    assert response.status_code == 302
    assert ActivityRecord.objects.count() == 1
    walk.refresh_from_db()
    assert walk.record == ActivityRecord.objects.get()


def test_a_second_conversion_of_the_event_is_refused(client, world, walk):
    client.force_login(world.police_recorder)
    client.post(convert_url(walk), form(world, walk))
    first = ActivityRecord.objects.get()
    client.force_login(world.coordinator)
    response = client.post(convert_url(walk), form(world, walk))  # another page, another submission key
    assert response.status_code == 302
    assert response.url == EVENTS
    assert ActivityRecord.objects.get() == first
    walk.refresh_from_db()
    assert walk.record == first
    # Nor is the form offered again.
    assert client.get(convert_url(walk)).url == EVENTS
    assert f"?event={walk.pk}" not in client.get(EVENTS).content.decode()


def test_bad_input_saves_nothing_and_links_nothing(client, world, walk):
    client.force_login(world.police_recorder)
    response = client.post(convert_url(walk), form(world, walk, quantity="0"))
    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    assert not ActivityRecord.objects.exists()
    walk.refresh_from_db()
    assert walk.record is None


def test_the_record_keeps_to_the_events_activity(client, world, walk):
    client.force_login(world.police_recorder)
    response = client.post(convert_url(walk), form(world, walk, activity=world.places_activity.pk))
    assert response.status_code == 200
    assert "activity" in response.context["form"].errors
    assert not ActivityRecord.objects.exists()


def test_an_event_of_another_activity_is_refused(client, world, walk):
    client.force_login(world.police_recorder)
    url = convert_url(walk, activity=world.places_activity)
    assert client.get(url).status_code == 404
    assert client.post(url, form(world, walk, activity=world.places_activity.pk)).status_code == 404
    assert not ActivityRecord.objects.exists()


def test_an_event_of_another_municipality_is_refused(client, world):
    theirs = make_event(world, world.foreign_activity, starts=local(2020, 3, 29, 18))
    client.force_login(world.coordinator)
    assert client.get(convert_url(theirs, activity=world.count_activity)).status_code == 404
    assert client.get(convert_url(theirs)).status_code == 404  # nor may the coordinator log Eskilstuna's activity


def test_the_outsider_gets_404(client, world, walk):
    client.force_login(world.outsider)
    assert client.get(convert_url(walk)).status_code == 404
    assert client.post(convert_url(walk), form(world, walk)).status_code == 404
    assert not ActivityRecord.objects.exists()


def test_a_cancelled_event_cannot_be_logged(client, world, walk):
    walk.cancel()
    client.force_login(world.police_recorder)
    assert client.get(convert_url(walk)).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999", "²", "1" * 30])
def test_a_malformed_or_unknown_event_is_404(client, world, walk, value):
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk]) + f"?event={value}"
    assert client.get(url).status_code == 404


def test_the_general_log_form_does_not_take_an_event(client, world, walk):
    client.force_login(world.police_recorder)
    assert client.get(reverse("activities:log") + f"?event={walk.pk}").status_code == 404


def test_the_log_form_without_an_event_is_unchanged(client, world, walk):
    client.force_login(world.police_recorder)
    response = client.post(
        reverse("activities:log_activity", args=[world.count_activity.pk]), form(world, walk, occurred_on="2020-03-29")
    )
    assert response.url == reverse("activities:mine")
    walk.refresh_from_db()
    assert walk.record is None
