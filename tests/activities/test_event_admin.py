"""Planned events in the admin: coordinators announce, change and cancel them within their municipalities."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from activities.models import Activity, PlannedEvent
from tests.conftest import NOW, local, make_event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def walk(world):
    """A safety walk of the police's planned operations that took place on 28 March."""
    return make_event(world, starts=local(2020, 3, 28, 18), place=world.district, place_text="Utanför biblioteket")


def in_swedish(message):
    with translation.override("sv"):
        return gettext(message)


def admin_form(world, **changes):
    data = {
        "activity": world.count_activity.pk,
        "title": "Trygghetsvandring i Stallarholmen",
        "starts_at_0": "2020-05-10",
        "starts_at_1": "18:00",
        "ends_at_0": "2020-05-10",
        "ends_at_1": "20:00",
        "place": world.second_district.pk,
        "place_text": "Vid skolan",
        "description": "Alla är välkomna.",
    }
    data.update(changes)
    return data


ADD = "/admin/activities/plannedevent/add/"


def test_a_coordinator_announces_an_event_in_the_admin(client, world):
    client.force_login(world.coordinator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, admin_form(world))
    assert response.status_code == 302
    event = PlannedEvent.objects.get()
    assert (event.created_by, event.starts_at, event.ends_at, event.place) == (
        world.coordinator,
        local(2020, 5, 10, 18),
        local(2020, 5, 10, 20),
        world.second_district,
    )


def test_the_admin_refuses_an_event_that_ends_before_it_starts(client, world):
    client.force_login(world.coordinator)
    response = client.post(ADD, admin_form(world, ends_at_1="17:00"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"] == [in_swedish("The event must end after it starts.")]
    assert in_swedish("The event must end after it starts.") in response.content.decode()
    assert not PlannedEvent.objects.exists()


@pytest.mark.parametrize("field", ["activity", "place"])
def test_the_admin_refuses_another_municipalitys_activity_or_place(client, world, field):
    client.force_login(world.coordinator)
    foreign = {"activity": world.foreign_activity.pk, "place": world.foreign_place.pk}[field]
    response = client.post(ADD, admin_form(world, **{field: foreign}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not PlannedEvent.objects.exists()


def test_the_admin_requires_a_title(client, world):
    client.force_login(world.coordinator)
    response = client.post(ADD, admin_form(world, title=""))
    assert "title" in response.context["adminform"].form.errors
    assert not PlannedEvent.objects.exists()


def test_the_admin_offers_only_the_coordinators_activities(client, world):
    client.force_login(world.coordinator)
    offered = set(client.get(ADD).context["adminform"].form.fields["activity"].queryset)
    assert world.count_activity in offered and world.foreign_activity not in offered


def test_the_outsider_gets_404_on_change(client, world, walk):
    client.force_login(world.outsider)
    url = f"/admin/activities/plannedevent/{walk.pk}/change/"
    assert client.get(url).status_code == 404
    assert client.post(url, admin_form(world, title="Kapad")).status_code == 404
    walk.refresh_from_db()
    assert walk.title == "Trygghetsvandring i Mariefred"


def test_the_cancel_action_cancels_and_bumps_the_sequence(client, world, walk):
    coming = make_event(world, title="Föräldramöte", starts=local(2020, 5, 10, 18))
    client.force_login(world.coordinator)
    response = client.post("/admin/activities/plannedevent/", {"action": "cancel", "_selected_action": [coming.pk]})
    assert response.status_code == 302
    coming.refresh_from_db()
    walk.refresh_from_db()
    assert coming.cancelled_at == NOW
    assert coming.sequence == 1
    assert walk.cancelled_at is None


def test_the_admin_list_shows_only_the_coordinators_events(client, world, walk):
    theirs = make_event(world, Activity.objects.get(pk=world.foreign_activity.pk), starts=local(2020, 3, 29, 18))
    client.force_login(world.coordinator)
    shown = list(client.get("/admin/activities/plannedevent/").context["cl"].queryset)
    assert walk in shown and theirs not in shown
