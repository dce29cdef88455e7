"""Planned events in the admin, which administrators use: the model's rules and the cancel action hold there too.

Coordinators announce, change and cancel events in the workspace (tests/staff/test_workspace_events.py).
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from activities.models import PlannedEvent
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


def test_an_administrator_announces_an_event_in_the_admin(client, world):
    client.force_login(world.administrator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, admin_form(world))
    assert response.status_code == 302
    event = PlannedEvent.objects.get()
    assert (event.created_by, event.starts_at, event.ends_at, event.place) == (
        world.administrator,
        local(2020, 5, 10, 18),
        local(2020, 5, 10, 20),
        world.second_district,
    )


def test_the_admin_refuses_an_event_that_ends_before_it_starts(client, world):
    client.force_login(world.administrator)
    response = client.post(ADD, admin_form(world, ends_at_1="17:00"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"] == [in_swedish("The event must end after it starts.")]
    assert in_swedish("The event must end after it starts.") in response.content.decode()
    assert not PlannedEvent.objects.exists()


def test_the_admin_refuses_a_place_outside_the_activitys_municipalities(client, world):
    client.force_login(world.administrator)
    response = client.post(ADD, admin_form(world, place=world.foreign_place.pk))
    assert response.status_code == 200
    assert "place" in response.context["adminform"].form.errors
    assert not PlannedEvent.objects.exists()


def test_the_admin_requires_a_title(client, world):
    client.force_login(world.administrator)
    response = client.post(ADD, admin_form(world, title=""))
    assert "title" in response.context["adminform"].form.errors
    assert not PlannedEvent.objects.exists()


def test_the_cancel_action_cancels_and_bumps_the_sequence(client, world, walk):
    coming = make_event(world, title="Föräldramöte", starts=local(2020, 5, 10, 18))
    client.force_login(world.administrator)
    response = client.post("/admin/activities/plannedevent/", {"action": "cancel", "_selected_action": [coming.pk]})
    assert response.status_code == 302
    coming.refresh_from_db()
    walk.refresh_from_db()
    assert coming.cancelled_at == NOW
    assert coming.sequence == 1
    assert walk.cancelled_at is None


def test_the_admin_refuses_an_event_of_an_internal_activity_and_saves_nothing(client, world):
    from activities.models import Activity

    Activity.objects.filter(pk=world.count_activity.pk).update(is_internal=True)
    client.force_login(world.administrator)
    response = client.post(ADD, admin_form(world))
    assert response.status_code == 200
    assert "Aktiviteten är intern: dess händelser kan inte visas i den offentliga kalendern." in (
        response.content.decode()
    )
    assert not PlannedEvent.objects.exists()
