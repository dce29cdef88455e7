"""Issue 18: a staff form sent after the session ended keeps what was typed through the log-in, unsaved."""

import pytest
from django.urls import reverse

from activities.models import PlannedEvent
from promises.models import Place
from tests.conftest import PASSWORD


def _send_logged_out_then_log_in(client, url, typed, username):
    response = client.post(url, typed)  # not logged in: the session has ended
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "du fyllde i finns kvar" in client.get(response["Location"]).content.decode()
    client.post(reverse("login"), {"username": username, "password": PASSWORD, "next": url})
    return client.get(url).content.decode()


def test_the_planned_event_form_comes_back_filled_in_after_the_log_in(client, world):
    url = reverse("workspace:event_create")
    typed = {"title": "Trygghetsvandring vid Läggesta", "description": "Vi går runt stationen."}
    page = _send_logged_out_then_log_in(client, url, typed, "samordnare")
    assert "Trygghetsvandring vid Läggesta" in page and "Vi går runt stationen." in page
    assert not PlannedEvent.objects.exists(), "nothing is saved until the form is sent again"
    assert "Trygghetsvandring vid Läggesta" not in client.get(url).content.decode(), "kept once"


def test_a_workspace_form_comes_back_filled_in_after_the_log_in(client, world):
    url = reverse("workspace:place_create")
    page = _send_logged_out_then_log_in(client, url, {"name": "Åkers styckebruk"}, "samordnare")
    assert 'value="Åkers styckebruk"' in page
    assert not Place.objects.filter(name="Åkers styckebruk").exists()


def test_an_edit_form_comes_back_with_the_typed_text_not_the_stored(client, world):
    url = reverse("workspace:place_edit", args=[world.district.pk])
    page = _send_logged_out_then_log_in(client, url, {"name": "Mariefred centrum"}, "samordnare")
    assert 'value="Mariefred centrum"' in page
    world.district.refresh_from_db()
    assert world.district.name == "Mariefred"


@pytest.mark.parametrize("name", ["workspace:event_create", "workspace:place_create"])
def test_a_kept_form_is_never_sent_to_another_page(client, world, name):
    client.post(reverse("activities:log_activity", args=[world.count_activity.pk]), {"title": "Annat"})
    client.post(reverse("login"), {"username": "samordnare", "password": PASSWORD})
    assert "Annat" not in client.get(reverse(name)).content.decode()
