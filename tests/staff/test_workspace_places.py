"""The workspace's places: a coordinator adds and corrects the districts and sites of their municipalities."""

import pytest
from django.urls import reverse

from promises.models import Place

pytestmark = pytest.mark.django_db

PLACES = reverse("workspace:places")
ADD = reverse("workspace:place_create")


def edit_url(place):
    return reverse("workspace:place_edit", args=[place.pk])


def seen(client, url):
    """The fingerprint the edit form carries of the place as it showed it."""
    return client.get(url).context["form"]["seen"].value()


def place_form(world, **changes):
    data = {"municipality": world.strangnas.pk, "name": "Åker", "kind": "district", "parent": ""}
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in (PLACES, ADD, edit_url(world.district)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_list_shows_each_district_with_its_sites(client, world):
    client.force_login(world.coordinator)
    response = client.get(PLACES)
    assert response.status_code == 200
    [group] = response.context["groups"]
    assert group["municipality"] == world.strangnas
    assert group["districts"] == [(world.district, [world.site]), (world.second_district, [])]
    page = response.content.decode()
    assert "Läggesta station" in page and edit_url(world.site) in page
    assert "Torshälla" not in page  # Eskilstuna's


def test_a_site_in_no_district_is_listed_by_itself(client, world):
    loose = Place.objects.create(municipality=world.strangnas, name="Resecentrum", kind=Place.Kind.SITE)
    client.force_login(world.coordinator)
    [group] = client.get(PLACES).context["groups"]
    assert group["loose"] == [loose]


def test_a_coordinator_adds_a_district_and_a_site_in_it(client, world):
    client.force_login(world.coordinator)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, place_form(world))
    assert response.status_code == 302 and response.url == PLACES
    district = Place.objects.get(name="Åker")
    assert (district.municipality, district.kind, district.parent) == (world.strangnas, "district", None)
    client.post(ADD, place_form(world, name="Åkers bibliotek", kind="site", parent=district.pk))
    assert Place.objects.get(name="Åkers bibliotek").parent == district


def test_a_coordinator_corrects_a_name(client, world):
    client.force_login(world.coordinator)
    url = edit_url(world.site)
    response = client.post(
        url,
        place_form(world, name="Läggesta tågstation", kind="site", parent=world.district.pk, seen=seen(client, url)),
    )
    assert response.status_code == 302
    world.site.refresh_from_db()
    assert (world.site.name, world.site.parent) == ("Läggesta tågstation", world.district)


def test_a_place_stays_in_its_municipality(client, world):
    """Its records were counted there: a forged municipality in the form is ignored."""
    client.force_login(world.administrator)
    url = edit_url(world.district)
    data = place_form(world, municipality=world.eskilstuna.pk, name="Mariefreds tätort", seen=seen(client, url))
    assert client.post(url, data).status_code == 302
    world.district.refresh_from_db()
    assert (world.district.municipality, world.district.name) == (world.strangnas, "Mariefreds tätort")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Ange namn."),
        ({"name": "mariefred"}, "name", "Kommunen har redan en plats med det namnet."),
        ({"name": "Plats 19121212-1212"}, "name", "samordningsnumret"),
        ({"kind": "district", "parent": "district"}, "parent", "En kommundel kan inte ligga i en annan kommundel."),
        ({"kind": "site", "parent": "foreign"}, "parent", "i listan."),
        ({"municipality": "foreign"}, "municipality", "i listan."),
    ],
    ids=["empty name", "taken name", "identity number", "district in a district", "foreign district", "foreign"],
)
def test_it_refuses_bad_input_beside_the_field_and_saves_nothing(client, world, changes, field, message):
    named = {
        ("parent", "district"): world.district.pk,
        ("parent", "foreign"): world.foreign_place.pk,
        ("municipality", "foreign"): world.eskilstuna.pk,
    }
    changes = {key: named.get((key, value), value) for key, value in changes.items()}
    client.force_login(world.coordinator)
    before = Place.objects.count()
    response = client.post(ADD, place_form(world, **changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert Place.objects.count() == before


def test_a_district_with_sites_stays_a_district(client, world):
    client.force_login(world.coordinator)
    url = edit_url(world.district)
    response = client.post(url, place_form(world, name="Mariefred", kind="site", seen=seen(client, url)))
    assert response.status_code == 200
    assert "Det finns platser i den här kommundelen" in response.content.decode()
    world.district.refresh_from_db()
    assert world.district.kind == "district"


def test_a_change_on_a_stale_form_is_refused_with_the_newer_version_shown(client, world):
    client.force_login(world.coordinator)
    url = edit_url(world.second_district)
    shown = seen(client, url)
    Place.objects.filter(pk=world.second_district.pk).update(name="Stallarholmens tätort")  # someone else, meanwhile
    response = client.post(url, place_form(world, name="Stallarholmen by", seen=shown))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan ändrade det här" in page and "Stallarholmens tätort" in page
    assert 'value="Stallarholmen by"' in page  # what the user typed is still there
    world.second_district.refresh_from_db()
    assert world.second_district.name == "Stallarholmens tätort"
    # Having seen it, saving again replaces it.
    again = place_form(world, name="Stallarholmen by", seen=response.context["form"]["seen"].value())
    assert client.post(url, again).status_code == 302
    world.second_district.refresh_from_db()
    assert world.second_district.name == "Stallarholmen by"


def test_no_place_is_deleted_here(client, world):
    client.force_login(world.coordinator)
    page = client.get(edit_url(world.district)).content.decode()
    assert "Ta bort" not in page
    assert client.delete(edit_url(world.district)).status_code == 405
    assert Place.objects.filter(pk=world.district.pk).exists()


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "municipal_recorder", "council_member"])
def test_people_who_do_not_coordinate_strangnas_get_404_on_its_places(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(edit_url(world.district)).status_code == 404
    response = client.post(edit_url(world.district), place_form(world, name="Kapad"))
    assert response.status_code == 404
    world.district.refresh_from_db()
    assert world.district.name == "Mariefred"


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "council_member"])
def test_the_places_pages_are_the_coordinators_alone(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(PLACES).status_code == 404
    assert client.get(ADD).status_code == 404


def test_the_outsider_sees_only_eskilstunas_places(client, world):
    client.force_login(world.outsider)
    response = client.get(PLACES)
    assert [group["municipality"] for group in response.context["groups"]] == [world.eskilstuna]
    assert "Mariefred" not in response.content.decode()


def test_the_outsider_is_offered_only_their_own_municipality(client, world):
    client.force_login(world.outsider)
    form = client.get(ADD).context["form"]
    assert list(form.fields["municipality"].queryset) == [world.eskilstuna]
    assert list(form.fields["parent"].queryset) == [world.foreign_place]


@pytest.mark.parametrize("url", [PLACES])
def test_the_list_refuses_a_post(client, world, url):
    client.force_login(world.coordinator)
    assert client.post(url).status_code == 405


# Retiring


def retire_url(place):
    return reverse("workspace:place_retire", args=[place.pk])


def test_a_coordinator_retires_a_place_and_takes_it_into_use_again(client, world):
    client.force_login(world.coordinator)
    assert "Pensionera platsen" in client.get(edit_url(world.second_district)).content.decode()
    response = client.post(retire_url(world.second_district), follow=True)
    world.second_district.refresh_from_db()
    assert world.second_district.is_retired
    page = response.content.decode()
    assert "Stallarholmen pensionerades" in page and "(kommundel, pensionerad)" in page
    log = client.get(reverse("activities:log_activity", args=[world.count_activity.pk]))
    assert world.second_district not in set(log.context["form"].fields["place"].queryset)
    assert world.second_district.history.latest("history_id").history_user == world.coordinator

    client.post(retire_url(world.second_district), {"bring_back": "1"})
    world.second_district.refresh_from_db()
    assert not world.second_district.is_retired


def test_retiring_refuses_a_get(client, world):
    client.force_login(world.coordinator)
    assert client.get(retire_url(world.district)).status_code == 405
    world.district.refresh_from_db()
    assert not world.district.is_retired


@pytest.mark.parametrize("persona", ["outsider", "police_recorder", "council_member"])
def test_only_the_coordinator_retires_their_places(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.post(retire_url(world.district)).status_code == 404
    world.district.refresh_from_db()
    assert not world.district.is_retired
