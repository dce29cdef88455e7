"""Every change to what a report or a permission depends on is in history, with who made it and why; the admin's
history pages read in Swedish: names, local times, no "None"."""

import datetime

import pytest
from django.urls import reverse

from activities.models import ActivityKind
from followup.models import Indicator, IndicatorValue
from promises.models import AccessibilityStatement, FocusArea, Membership, Municipality, Organisation, Place
from tests.conftest import STOCKHOLM, local, make_event, make_record, seen_of

pytestmark = pytest.mark.django_db


def latest(obj):
    return obj.history.latest("history_id")


def admin_change(client, world, obj, data):
    client.force_login(world.administrator)
    response = client.post(f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    obj.refresh_from_db()


CHANGES = {
    "municipality": lambda world: (world.strangnas, {"name": "Strängnäs kommun", "slug": "strangnas", "code": "0486"}),
    "place": lambda world: (
        world.district,
        {"municipality": world.strangnas.pk, "name": "Mariefred centrum", "kind": "district", "parent": ""},
    ),
    "organisation": lambda world: (
        world.police_organisation,
        {"name": "Polisen, lokalpolisområde Strängnäs", "kind": "police", "municipalities": [world.strangnas.pk]},
    ),
    "council": lambda world: (
        world.council,
        {
            "name": "Centrala brottsförebyggande rådet",
            "kind": "crime_prevention",
            "decision": "approved",
            "municipalities": [world.strangnas.pk],
        },
    ),
    "activity kind": lambda world: (
        world.count_activity.kind,
        {"name": "Planlagd insats", "slug": "planlagd-insats", "description": "Insatser som planeras i förväg."},
    ),
}


@pytest.mark.parametrize("which", sorted(CHANGES))
def test_an_admin_change_is_in_history_with_who_made_it(client, world, which):
    obj, data = CHANGES[which](world)
    before = obj.history.count()
    admin_change(client, world, obj, data)
    assert obj.history.count() == before + 1
    assert latest(obj).history_user == world.administrator


def test_a_municipality_change_of_an_organisation_is_kept(client, world):
    admin_change(
        client,
        world,
        world.police_organisation,
        {"name": "Polisen Strängnäs", "kind": "police", "municipalities": [world.strangnas.pk, world.eskilstuna.pk]},
    )
    entry = latest(world.police_organisation)
    assert {link.municipality for link in entry.municipalities.all()} == {world.strangnas, world.eskilstuna}


def test_the_accessibility_statement_keeps_its_history(client, world):
    statement = AccessibilityStatement.objects.create(
        public_body="Strängnäs kommun", assessed_on=datetime.date(2020, 1, 1), feedback="Skriv till oss."
    )
    data = {
        "public_body": "Strängnäs kommun",
        "service": "Medborgarlöften",
        "compliance": "full",
        "shortcomings": "",
        "assessed_on": "2020-06-01",
        "method": "self",
        "method_description": "",
        "feedback": "Skriv till oss.",
        "feedback_email": "",
        "enforcement_url": "https://www.digg.se/tdosanmalan",
    }
    admin_change(client, world, statement, data)
    assert (statement.compliance, latest(statement).history_user) == ("full", world.administrator)


def test_a_focus_area_change_in_the_workspace_is_in_history(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("workspace:focus_area_edit", args=[world.focus_area.pk]),
        {"title": "Narkotika och unga", "description": "", "order": "1"},
    )
    assert response.status_code == 302
    focus_area = FocusArea.objects.get(pk=world.focus_area.pk)
    assert (focus_area.title, latest(focus_area).history_user) == ("Narkotika och unga", world.coordinator)


def test_a_place_change_in_the_workspace_is_in_history(client, world):
    client.force_login(world.coordinator)
    data = {"municipality": world.strangnas.pk, "name": "Gripsholm", "kind": "district", "parent": ""}
    data["seen"] = (
        client.get(reverse("workspace:place_edit", args=[world.second_district.pk])).context["form"]["seen"].value()
    )
    assert client.post(reverse("workspace:place_edit", args=[world.second_district.pk]), data).status_code == 302
    place = Place.objects.get(pk=world.second_district.pk)
    assert (place.name, latest(place).history_user) == ("Gripsholm", world.coordinator)


def test_indicators_and_their_values_are_in_history(client, world):
    indicator = Indicator.objects.create(promise=world.promise, name="Anmälda narkotikabrott")
    value = IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=39)
    data = {
        "promise": world.promise.pk,
        "name": "Anmälda narkotikabrott bland unga",
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
    admin_change(client, world, indicator, data)
    value.refresh_from_db()
    assert latest(indicator).history_user == world.administrator
    assert (value.value, latest(value).history_user) == (45, world.administrator)


def test_a_role_grant_is_in_history_with_its_reason(client, world):
    client.force_login(world.administrator)
    client.post(
        "/admin/promises/membership/add/",
        {
            "user": world.outsider.pk,
            "organisation": world.police_organisation.pk,
            "role": "recorder",
            "reason": "Vikarie",
        },
    )
    entry = latest(Membership.objects.get(user=world.outsider, organisation=world.police_organisation))
    assert (entry.history_user, entry.history_change_reason) == (world.administrator, "Vikarie")


def test_a_planned_event_change_is_in_history(client, world):
    event = make_event(world, starts=local(2020, 5, 10, 18))
    data = {
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
    }
    admin_change(client, world, event, data)
    assert latest(event).history_user == world.administrator


def test_the_history_page_reads_in_swedish(client, world):
    world.police_recorder.first_name, world.police_recorder.last_name = "Anna", "Berg"
    world.police_recorder.save()
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    record.void(by=world.police_recorder, reason="Registrerad två gånger")
    client.force_login(world.administrator)
    page = client.get(f"/admin/activities/activityrecord/{record.pk}/history/").content.decode()
    assert "pk=None" not in page and "None" not in page and "Deleted" not in page
    assert "Anna Berg" in page and "Registrerad två gånger" in page
    assert "Historik: " in page and "Ändrad" in page and "View history" not in page and "Changed" not in page
    voided = record.history.exclude(voided_at=None).get()
    local_time = voided.history_date.astimezone(STOCKHOLM)
    assert local_time.strftime("%Y-%m-%d %H:%M") in page  # in Stockholm's time, not UTC
    assert "systemet" in page  # the first entry, made outside any request


def test_a_municipality_history_page_opens(client, world):
    client.force_login(world.administrator)
    response = client.get(f"/admin/promises/municipality/{world.strangnas.pk}/history/")
    assert response.status_code == 200
    assert Municipality.history.filter(id=world.strangnas.pk).exists()
    assert ActivityKind.history.exists() and Organisation.history.exists()
