"""The workspace's councils: a coordinator edits the forums of their municipalities, and a joint council keeps the
municipalities the coordinator does not coordinate, however the form is saved."""

import pytest
from django.urls import reverse

from followup.models import Council

pytestmark = pytest.mark.django_db

COUNCILS = reverse("workspace:councils")


def edit_url(council):
    return reverse("workspace:council_edit", args=[council.pk])


def post(client, council, data):
    """Posts the edit form as the council's page showed it a moment ago."""
    url = edit_url(council)
    form = client.get(url).context["form"]
    shown = {"kind": form["kind"].value(), "decision": form["decision"].value(), "seen": form["seen"].value()}
    return client.post(url, {**shown, **data})


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (COUNCILS, edit_url(world.council)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_list_shows_the_councils_of_the_coordinators_municipalities(client, world, shared):
    client.force_login(world.coordinator)
    response = client.get(COUNCILS)
    assert list(response.context["councils"]) == [world.council]
    assert edit_url(world.council) in response.content.decode()
    client.force_login(shared.tjorn_coordinator)
    response = client.get(COUNCILS)
    assert list(response.context["councils"]) == [shared.council]
    assert "Orust, Stenungsund, Tjörn" in response.content.decode()


def test_a_coordinator_renames_their_council(client, world):
    client.force_login(world.coordinator)
    assert client.get(edit_url(world.council)).status_code == 200
    response = post(client, world.council, {"name": "Trygghetsrådet Strängnäs", "municipalities": [world.strangnas.pk]})
    assert response.status_code == 302 and response.url == COUNCILS
    world.council.refresh_from_db()
    assert world.council.name == "Trygghetsrådet Strängnäs"


def test_the_councils_history_shows_who_changed_what(client, world, shared):
    client.force_login(shared.tjorn_coordinator)
    post(client, shared.council, {"name": "Gemensamma trygghetsrådet", "municipalities": [shared.tjorn.pk]})
    latest, before = list(shared.council.history.order_by("-history_id")[:2])
    assert (before.name, before.history_user) == ("Gemensamma brottsförebyggande rådet", None)
    assert (latest.name, latest.history_user) == ("Gemensamma trygghetsrådet", shared.tjorn_coordinator)
    everyone = {shared.stenungsund, shared.orust, shared.tjorn}
    assert {row.municipality for row in latest.municipalities.all()} == everyone


def test_the_joint_council_shows_the_municipalities_it_keeps(client, world, shared):
    client.force_login(shared.tjorn_coordinator)
    response = client.get(edit_url(shared.council))
    form = response.context["form"]
    assert list(form.fields["municipalities"].queryset) == [shared.tjorn]
    page = response.content.decode()
    assert "Stenungsund" in page and "Orust" in page


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_a_tjorn_coordinator_saving_the_joint_council_keeps_stenungsund_and_orust(client, world, shared, changed):
    client.force_login(shared.tjorn_coordinator)
    name = "Gemensamma trygghetsrådet" if changed else shared.council.name
    response = post(client, shared.council, {"name": name, "municipalities": [shared.tjorn.pk]})
    assert response.status_code == 302
    shared.council.refresh_from_db()
    assert shared.council.name == name
    assert set(shared.council.municipalities.all()) == {shared.stenungsund, shared.orust, shared.tjorn}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "municipalities": "own"}, "name", "Ange namn."),
        ({"name": "Rådet", "municipalities": "none"}, "municipalities", "Välj kommuner."),
        ({"name": "Rådet", "municipalities": "foreign"}, "municipalities", "i listan."),
        ({"name": "Gemensamma brottsförebyggande rådet", "municipalities": "own"}, "name", "finns redan"),
        ({"name": "Rådet 19121212-1212", "municipalities": "own"}, "name", "samordningsnumret"),
    ],
    ids=["no name", "no municipality", "another municipality", "taken name", "identity number"],
)
def test_it_refuses_bad_input_beside_the_field_and_saves_nothing(client, world, shared, data, field, message):
    chosen = {"own": [world.strangnas.pk], "foreign": [world.strangnas.pk, world.eskilstuna.pk], "none": []}
    data = {**data, "municipalities": chosen[data["municipalities"]]}
    client.force_login(world.coordinator)
    response = post(client, world.council, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    world.council.refresh_from_db()
    assert world.council.name == "Brottsförebyggande rådet Strängnäs"
    assert list(world.council.municipalities.all()) == [world.strangnas]


def test_a_change_on_a_stale_form_is_refused_with_the_newer_version_shown(client, world, shared):
    """A Stenungsund coordinator renames the joint council while Tjörn's has it open."""
    client.force_login(shared.tjorn_coordinator)
    url = edit_url(shared.council)
    shown = client.get(url).context["form"]["seen"].value()
    shared.council.name = "Rådet i Södra Bohuslän"
    shared.council.save()
    response = client.post(
        url, {"name": "Gemensamma trygghetsrådet", "municipalities": [shared.tjorn.pk], "seen": shown}
    )
    assert response.status_code == 409
    assert "Rådet i Södra Bohuslän" in response.content.decode()
    shared.council.refresh_from_db()
    assert shared.council.name == "Rådet i Södra Bohuslän"


def test_the_outsider_gets_404_on_strangnas_council(client, world):
    client.force_login(world.outsider)
    assert client.get(edit_url(world.council)).status_code == 404
    response = client.post(edit_url(world.council), {"name": "Kapat", "municipalities": [world.eskilstuna.pk]})
    assert response.status_code == 404
    assert Council.objects.get(pk=world.council.pk).name == "Brottsförebyggande rådet Strängnäs"
    assert list(client.get(COUNCILS).context["councils"]) == []


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "council_member"])
def test_the_council_pages_are_the_coordinators_alone(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(COUNCILS).status_code == 404
    assert client.get(edit_url(world.council)).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, world, method):
    client.force_login(world.coordinator)
    for url in (COUNCILS, edit_url(world.council)):
        assert getattr(client, method)(url).status_code == 405
    assert client.post(COUNCILS).status_code == 405


def test_a_coordinator_sets_the_forums_kind_and_how_it_decides(client, world):
    """Issue 15: a folkhälsoråd that fastställer the follow-up; the list shows both, and the history keeps them."""
    client.force_login(world.coordinator)
    data = {
        "name": "Folkhälsorådet i Strängnäs",
        "kind": "public_health",
        "decision": "adopted",
        "municipalities": [world.strangnas.pk],
    }
    assert post(client, world.council, data).status_code == 302
    world.council.refresh_from_db()
    assert (world.council.kind, world.council.decision) == ("public_health", "adopted")
    assert world.council.history.latest().kind == "public_health"
    page = client.get(COUNCILS).content.decode()
    assert "Folkhälsoråd" in page and "fastställer uppföljningen" in page


def test_an_unknown_kind_or_decision_is_refused_beside_the_field(client, world):
    client.force_login(world.coordinator)
    data = {"name": "Rådet", "kind": "tribunal", "decision": "rubber-stamped", "municipalities": [world.strangnas.pk]}
    response = post(client, world.council, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "decision"}
    world.council.refresh_from_db()
    assert (world.council.name, world.council.kind) == ("Brottsförebyggande rådet Strängnäs", "crime_prevention")
