"""The ICS feed a phone subscribes to: local times across daylight saving, stable UIDs, cancellations, scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from activities.models import Activity
from tests.conftest import NOW, local, make_event

pytestmark = pytest.mark.django_db


def fetch(client, slug="strangnas"):
    response = client.get(reverse("municipality_calendar", args=[slug]))
    assert response.status_code == 200
    return response, Calendar.from_ical(response.content)


def events_of(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_it_serves_a_calendar_a_phone_can_subscribe_to(client, world, clock):
    make_event(world, starts=local(2020, 5, 10, 18))
    response, calendar = fetch(client)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="strangnas.ics"'
    assert str(calendar["VERSION"]) == "2.0"
    assert "Medborgarloften" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Medborgarlöften – Strängnäs"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert list(events_of(calendar)) == ["Trygghetsvandring i Mariefred"]


def test_an_event_carries_what_a_calendar_shows(client, world, clock):
    make_event(
        world,
        starts=local(2020, 5, 10, 18),
        place=world.district,
        place_text="Utanför biblioteket",
        description="Vi går en runda genom centrum. Alla är välkomna.",
    )
    event = events_of(fetch(client)[1])["Trygghetsvandring i Mariefred"]
    assert str(event["LOCATION"]) == "Mariefred, Utanför biblioteket"
    assert str(event["DESCRIPTION"]) == "Vi går en runda genom centrum. Alla är välkomna."
    assert str(event["URL"]) == "http://testserver" + reverse("municipality", args=["strangnas"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt == NOW
    assert event["DTEND"].dt == local(2020, 5, 10, 20)


def test_local_times_hold_across_the_change_to_summer_time(client, world, clock):
    # Summer time began at 02:00 on Sunday 29 March 2020: 18:00 is 17:00 UTC on the Saturday, 16:00 on the Sunday.
    make_event(world, title="Lördag", starts=local(2020, 3, 28, 18))
    make_event(world, title="Söndag", starts=local(2020, 3, 29, 18))
    response, calendar = fetch(client)
    text = response.content.decode()
    assert "DTSTART;TZID=Europe/Stockholm:20200328T180000" in text
    assert "DTSTART;TZID=Europe/Stockholm:20200329T180000" in text
    events = events_of(calendar)
    saturday, sunday = events["Lördag"]["DTSTART"], events["Söndag"]["DTSTART"]
    assert saturday.params["TZID"] == sunday.params["TZID"] == "Europe/Stockholm"
    assert (saturday.dt.hour, sunday.dt.hour) == (18, 18)
    assert saturday.dt.astimezone(datetime.UTC).hour == 17
    assert sunday.dt.astimezone(datetime.UTC).hour == 16
    # A calendar that does not know the zone by name uses the VTIMEZONE in the file: it must say the same.
    rules = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    assert datetime.datetime(2020, 3, 28, 18, tzinfo=rules).astimezone(datetime.UTC).hour == 17
    assert datetime.datetime(2020, 3, 29, 18, tzinfo=rules).astimezone(datetime.UTC).hour == 16


def test_the_uid_stays_when_the_event_changes_and_the_sequence_grows(client, world, clock):
    event = make_event(world, starts=local(2020, 5, 10, 18))
    first = events_of(fetch(client)[1])["Trygghetsvandring i Mariefred"]
    again = events_of(fetch(client)[1])["Trygghetsvandring i Mariefred"]
    assert str(first["UID"]) == str(again["UID"]) == f"{event.uid}@medborgarloften"

    event.title = "Trygghetsvandring i Mariefred, ny tid"
    event.starts_at, event.ends_at = local(2020, 5, 11, 18), local(2020, 5, 11, 20)
    event.save()
    changed = events_of(fetch(client)[1])["Trygghetsvandring i Mariefred, ny tid"]
    assert str(changed["UID"]) == str(first["UID"])
    assert changed["SEQUENCE"] > first["SEQUENCE"]
    assert changed["DTSTART"].dt == local(2020, 5, 11, 18)


def test_a_cancelled_event_stays_in_the_feed_marked_cancelled(client, world, clock):
    event = make_event(world, starts=local(2020, 5, 10, 18))
    event.cancel()
    entry = events_of(fetch(client)[1])["Trygghetsvandring i Mariefred"]
    assert str(entry["STATUS"]) == "CANCELLED"
    assert entry["SEQUENCE"] == 1


def test_it_holds_upcoming_events_and_those_of_the_last_90_days(client, world, clock):
    make_event(world, title="Förra månaden", starts=local(2020, 3, 10, 18))
    make_event(world, title="För länge sedan", starts=local(2020, 1, 10, 18))
    make_event(world, title="Nästa år", starts=local(2021, 2, 1, 18))
    assert set(events_of(fetch(client)[1])) == {"Förra månaden", "Nästa år"}


def test_a_draft_promises_events_never_appear(client, world, clock):
    drafted = Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Utkast",
        lead_organisation=world.police_organisation,
    )
    make_event(world, drafted, title="Ej beslutad", starts=local(2020, 5, 10, 18))
    make_event(world, title="Beslutad", starts=local(2020, 5, 11, 18))
    assert set(events_of(fetch(client)[1])) == {"Beslutad"}


def test_another_municipalitys_events_are_in_its_own_calendar(client, world, clock):
    make_event(world, world.foreign_activity, title="Eskilstunas vandring", starts=local(2020, 5, 10, 18))
    make_event(world, title="Strängnäs vandring", starts=local(2020, 5, 11, 18))
    assert set(events_of(fetch(client)[1])) == {"Strängnäs vandring"}
    assert set(events_of(fetch(client, "eskilstuna")[1])) == {"Eskilstunas vandring"}


def test_a_calendar_without_events_still_parses(client, world, clock):
    _, calendar = fetch(client)
    assert calendar.walk("VEVENT") == []
    assert calendar.walk("VTIMEZONE")


def test_an_unknown_municipality_is_404(client, world):
    assert client.get(reverse("municipality_calendar", args=["atlantis"])).status_code == 404


def test_it_needs_no_login_and_a_fixed_number_of_queries(client, world, clock):
    make_event(world, starts=local(2020, 5, 10, 18), place=world.district)
    with CaptureQueriesContext(connection) as one:
        fetch(client)
    for day in (11, 12, 13):
        make_event(world, world.places_activity, starts=local(2020, 5, day, 18), place=world.second_district)
    with CaptureQueriesContext(connection) as four:
        _, calendar = fetch(client)
    assert len(calendar.walk("VEVENT")) == 4
    assert len(four) == len(one)
