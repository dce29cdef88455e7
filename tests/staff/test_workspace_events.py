"""The workspace's planned events: a coordinator announces, changes and cancels the public events of their activities.

These are the behaviours the admin's tests had for coordinators before the admin became the administrators' tool.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from activities.models import Activity, PlannedEvent
from promises.models import Place
from tests.conftest import NOW, local, make_event, make_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

EVENTS = reverse("workspace:events")
ADD = reverse("workspace:event_create")


def in_swedish(message):
    with translation.override("sv"):
        return gettext(message)


@pytest.fixture
def walk(world):
    """A safety walk of the police's planned operations that took place on 28 March."""
    return make_event(world, starts=local(2020, 3, 28, 18), place=world.district, place_text="Utanför biblioteket")


@pytest.fixture
def coming(world):
    """A parent meeting on 10 May."""
    return make_event(world, title="Föräldramöte", starts=local(2020, 5, 10, 18), place=world.second_district)


def edit_url(event):
    return reverse("workspace:event_edit", args=[event.pk])


def cancel_url(event):
    return reverse("workspace:event_cancel", args=[event.pk])


def event_form(world, **changes):
    data = {
        "activity": world.count_activity.pk,
        "title": "Trygghetsvandring i Stallarholmen",
        "starts_at": "2020-05-10T18:00",
        "ends_at": "2020-05-10T20:00",
        "place": world.second_district.pk,
        "place_text": "Vid skolan",
        "description": "Alla är välkomna.",
    }
    data.update(changes)
    return data


def edit_form(world, event, **changes):
    return event_form(world, **{"activity": event.activity_id, "sequence_seen": event.sequence, **changes})


def test_anonymous_visitors_are_sent_to_log_in(client, world, walk):
    for url in (EVENTS, ADD, edit_url(walk), cancel_url(walk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# Announcing ----------------------------------------------------------------------------------------------


def test_a_coordinator_announces_an_event(client, world):
    client.force_login(world.coordinator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, event_form(world))
    assert response.status_code == 302 and response.url == EVENTS
    event = PlannedEvent.objects.get()
    assert (event.created_by, event.starts_at, event.ends_at, event.place, event.sequence) == (
        world.coordinator,
        local(2020, 5, 10, 18),
        local(2020, 5, 10, 20),
        world.second_district,
        0,
    )
    assert event.history.get().history_user == world.coordinator
    assert "Trygghetsvandring i Stallarholmen" in client.get(EVENTS).content.decode()


def test_it_offers_only_the_coordinators_activities_of_current_promises(client, world):
    draft_activity = Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Utkastets insats",
        lead_organisation=world.police_organisation,
    )
    client.force_login(world.coordinator)
    form = client.get(ADD).context["form"]
    offered = set(form.fields["activity"].queryset)
    assert world.count_activity in offered and world.once_activity in offered
    assert world.foreign_activity not in offered and draft_activity not in offered
    assert world.foreign_place not in set(form.fields["place"].queryset)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_at": "2020-05-10T17:00"}, "ends_at", "Aktiviteten måste sluta efter att den börjar."),
        ({"title": ""}, "title", "Ange rubrik."),
        ({"title": "Vandring\nmed två rader"}, "title", "på en rad"),
        ({"starts_at": "2021-01-10T18:00", "ends_at": "2021-01-10T20:00"}, "starts_at", "inom löftets period"),
        ({"activity": "foreign"}, "activity", "i listan."),
        ({"place": "foreign"}, "place", "i listan."),
        ({"activity": "draft"}, "activity", "i listan."),
        ({"description": "Kontakt 19121212-1212"}, "description", "samordningsnumret"),
    ],
    ids=[
        "ends before it starts",
        "no title",
        "two lines",
        "outside the period",
        "foreign activity",
        "foreign place",
        "draft's activity",
        "identity number",
    ],
)
def test_it_refuses_bad_input_beside_the_field_and_saves_nothing(client, world, changes, field, message):
    draft_activity = Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Utkast",
        lead_organisation=world.police_organisation,
    )
    named = {
        ("activity", "foreign"): world.foreign_activity.pk,
        ("activity", "draft"): draft_activity.pk,
        ("place", "foreign"): world.foreign_place.pk,
    }
    changes = {key: named.get((key, value), value) for key, value in changes.items()}
    client.force_login(world.coordinator)
    response = client.post(ADD, event_form(world, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not PlannedEvent.objects.exists()


def test_the_refusal_reads_in_swedish_beside_the_field(client, world):
    client.force_login(world.coordinator)
    response = client.post(ADD, event_form(world, ends_at="2020-05-10T17:00"))
    assert response.context["form"].errors["ends_at"] == [in_swedish("The event must end after it starts.")]
    assert in_swedish("The event must end after it starts.") in response.content.decode()


# The list ------------------------------------------------------------------------------------------------


def test_the_list_shows_only_the_coordinators_events_upcoming_and_recent(client, world, walk, coming):
    theirs = make_event(world, world.foreign_activity, starts=local(2020, 5, 1, 18), title="Eskilstunas vandring")
    make_event(world, title="För länge sedan", starts=local(2020, 1, 10, 18))
    client.force_login(world.coordinator)
    response = client.get(EVENTS)
    assert response.context["upcoming"] == [coming]
    assert response.context["past"] == [walk]
    page = response.content.decode()
    assert theirs.title not in page and "För länge sedan" not in page
    assert edit_url(coming) in page and cancel_url(coming) in page


def test_the_outsider_sees_only_their_own_events(client, world, walk):
    theirs = make_event(world, world.foreign_activity, starts=local(2020, 5, 1, 18), title="Eskilstunas vandring")
    client.force_login(world.outsider)
    response = client.get(EVENTS)
    assert response.context["upcoming"] == [theirs] and response.context["past"] == []


def test_a_cancelled_event_stays_listed_and_marked_without_edit_or_cancel(client, world, coming):
    coming.cancel()
    client.force_login(world.coordinator)
    response = client.get(EVENTS)
    assert response.context["upcoming"] == [coming]
    page = response.content.decode()
    assert "Inställd" in page
    assert edit_url(coming) not in page and cancel_url(coming) not in page


# Changing ------------------------------------------------------------------------------------------------


def test_a_coordinator_moves_an_event_and_its_sequence_grows(client, world, coming):
    client.force_login(world.coordinator)
    response = client.get(edit_url(coming))
    assert response.status_code == 200
    response = client.post(
        edit_url(coming), edit_form(world, coming, starts_at="2020-05-11T18:00", ends_at="2020-05-11T20:00")
    )
    assert response.status_code == 302
    coming.refresh_from_db()
    assert (coming.starts_at, coming.sequence, coming.activity) == (local(2020, 5, 11, 18), 1, world.count_activity)
    assert coming.history.first().history_user == world.coordinator


def test_an_event_stays_with_its_activity(client, world, coming):
    client.force_login(world.coordinator)
    client.post(edit_url(coming), edit_form(world, coming, activity=world.once_activity.pk))
    coming.refresh_from_db()
    assert coming.activity == world.count_activity


def test_a_change_on_a_stale_form_is_refused_with_the_newer_version_shown(client, world, coming):
    client.force_login(world.coordinator)
    seen = edit_form(world, coming, title="Föräldramöte i aulan")
    # Someone else moves the meeting meanwhile.
    coming.place_text = "I matsalen"
    coming.save()
    response = client.post(edit_url(coming), seen)
    assert response.status_code == 409
    page = response.content.decode()
    assert in_swedish("The event as it reads now") in page and "I matsalen" in page
    assert 'value="Föräldramöte i aulan"' in page  # what the user typed is still there
    coming.refresh_from_db()
    assert (coming.title, coming.sequence) == ("Föräldramöte", 1)
    # Having seen the newer version, saving again replaces it.
    again = {**seen, "sequence_seen": response.context["form"]["sequence_seen"].value()}
    assert client.post(edit_url(coming), again).status_code == 302
    coming.refresh_from_db()
    assert (coming.title, coming.place_text, coming.sequence) == ("Föräldramöte i aulan", "Vid skolan", 2)


def test_a_change_without_the_sequence_it_was_shown_is_refused(client, world, coming):
    client.force_login(world.coordinator)
    data = edit_form(world, coming, title="Kapad")
    del data["sequence_seen"]
    response = client.post(edit_url(coming), data)
    assert response.status_code == 200 and "sequence_seen" in response.context["form"].errors
    coming.refresh_from_db()
    assert coming.title == "Föräldramöte"


def test_a_change_is_refused_with_a_message_beside_the_field(client, world, coming):
    client.force_login(world.coordinator)
    response = client.post(edit_url(coming), edit_form(world, coming, ends_at="2020-05-10T17:00"))
    assert response.status_code == 200
    assert in_swedish("The event must end after it starts.") in response.content.decode()
    coming.refresh_from_db()
    assert (coming.ends_at, coming.sequence) == (local(2020, 5, 10, 20), 0)


def test_a_cancelled_event_is_not_changed(client, world, coming):
    coming.cancel()
    client.force_login(world.coordinator)
    response = client.get(edit_url(coming))
    assert response.status_code == 200 and "form" not in response.context
    assert in_swedish("The event is cancelled, so it no longer changes. Announce a new event instead.") in (
        response.content.decode()
    )
    client.post(edit_url(coming), edit_form(world, coming, title="Kapad"))
    coming.refresh_from_db()
    assert (coming.title, coming.sequence) == ("Föräldramöte", 1)


def test_an_event_of_a_closed_promise_is_not_changed(client, world, coming):
    world.promise.status = "closed"
    world.promise.save()
    client.force_login(world.coordinator)
    client.post(edit_url(coming), edit_form(world, coming, title="Kapad"))
    coming.refresh_from_db()
    assert coming.title == "Föräldramöte"
    assert cancel_url(coming) not in client.get(EVENTS).content.decode()


def test_a_shared_promises_event_keeps_its_place_in_another_municipality(client, world, shared):
    """A Tjörn coordinator saves an event at Stenungsund's centre: the place she may not pick stays."""
    event = make_event(
        world, shared.stenungsund_activity, starts=local(2020, 5, 12, 18), place=shared.stenungsund_place
    )
    client.force_login(shared.tjorn_coordinator)
    response = client.post(
        edit_url(event),
        edit_form(world, event, title="Trygghetsvandring", place=shared.stenungsund_place.pk, place_text=""),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == shared.stenungsund_place


# Cancelling ----------------------------------------------------------------------------------------------


def test_a_coordinator_cancels_an_event_after_a_confirmation_and_the_sequence_grows(client, world, walk, coming):
    client.force_login(world.coordinator)
    page = client.get(cancel_url(coming))
    assert page.status_code == 200 and in_swedish("Cancel the event") in page.content.decode()
    coming.refresh_from_db()
    assert coming.cancelled_at is None  # the page alone cancels nothing
    response = client.post(cancel_url(coming))
    assert response.status_code == 302 and response.url == EVENTS
    coming.refresh_from_db()
    walk.refresh_from_db()
    assert (coming.cancelled_at, coming.sequence) == (NOW, 1)
    assert walk.cancelled_at is None
    assert coming.history.first().history_user == world.coordinator


def test_an_event_logged_as_done_is_not_cancelled(client, world, walk):
    walk.record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 28))
    walk.save()
    client.force_login(world.coordinator)
    response = client.post(cancel_url(walk))
    assert response.status_code == 200
    assert in_swedish("The event was logged as done, so it cannot be cancelled.") in response.content.decode()
    walk.refresh_from_db()
    assert walk.cancelled_at is None


def test_a_past_event_that_never_took_place_may_be_cancelled(client, world, walk):
    client.force_login(world.coordinator)
    assert client.post(cancel_url(walk)).status_code == 302
    walk.refresh_from_db()
    assert walk.is_cancelled


# Who may -------------------------------------------------------------------------------------------------


def test_the_outsider_gets_404_on_every_strangnas_event(client, world, coming):
    client.force_login(world.outsider)
    for url in (edit_url(coming), cancel_url(coming)):
        assert client.get(url).status_code == 404
    assert client.post(edit_url(coming), edit_form(world, coming, title="Kapad")).status_code == 404
    assert client.post(cancel_url(coming)).status_code == 404
    coming.refresh_from_db()
    assert (coming.title, coming.cancelled_at, coming.sequence) == ("Föräldramöte", None, 0)


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "council_member"])
def test_the_event_pages_are_the_coordinators_alone(client, world, coming, persona):
    client.force_login(getattr(world, persona))
    for url in (EVENTS, ADD, edit_url(coming), cancel_url(coming)):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, world, coming, method):
    client.force_login(world.coordinator)
    for url in (EVENTS, ADD, edit_url(coming), cancel_url(coming)):
        assert getattr(client, method)(url).status_code == 405
    assert client.post(EVENTS).status_code == 405


def test_the_staff_events_page_links_coordinators_to_the_workspace(client, world):
    client.force_login(world.coordinator)
    page = client.get(reverse("activities:events")).content.decode()
    assert f'href="{ADD}"' in page and "/admin/" not in page
    client.force_login(world.police_recorder)
    assert ADD not in client.get(reverse("activities:events")).content.decode()


def test_places_of_another_municipality_are_not_offered_to_a_neighbour(client, world, shared):
    client.force_login(shared.tjorn_coordinator)
    offered = set(client.get(ADD).context["form"].fields["place"].queryset)
    assert offered == set(Place.objects.filter(municipality=shared.tjorn))


def test_on_english_pages_event_and_promise_titles_are_marked_swedish(client, world, settings, coming):
    # A screen reader reads "Föräldramöte" with Swedish sounds, the English around it with English ones.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.coordinator)
    page = client.get(EVENTS).content.decode()
    assert '<html lang="en">' in page
    assert '<span lang="sv">Föräldramöte</span>' in page
    promise_page = client.get(reverse("workspace:promise", args=[world.promise.pk])).content.decode()
    assert '<h1 lang="sv">Medborgarlöfte 2020</h1>' in promise_page
    assert f'<span lang="sv">{world.count_activity.title}</span>' in promise_page


def test_the_time_fields_name_the_days_of_the_promise_period(client, world):
    client.force_login(world.coordinator)
    form = client.get(ADD).context["form"]
    # Only Strängnäs's signed 2020 promise is offered: its period is the hint.
    assert str(form["starts_at"].help_text) == "Ange en dag mellan 1 jan. 2020 och 31 dec. 2020, och klockslaget."
    assert str(form["ends_at"].help_text) == str(form["starts_at"].help_text)
