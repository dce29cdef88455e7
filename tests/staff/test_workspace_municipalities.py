"""The workspace's municipality settings (issue 16 item 3): a coordinator keeps the contact residents reach and what
the municipality's accessibility statement adds to the national one; both reach the public pages and the statement,
which DIGG's model requires to name a channel (it used to say "kontakta oss" with none)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup.models import Council
from promises.models import Municipality, MunicipalitySettings, Organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("workspace:municipalities")


def settings_url(municipality):
    return reverse("workspace:municipality_settings", args=[municipality.slug])


def post(client, municipality, data):
    """Posts the form as its page showed it a moment ago."""
    url = settings_url(municipality)
    seen = client.get(url).context["form"]["seen"].value()
    return client.post(
        url, {"contact_email": "", "contact_phone": "", "accessibility_statement": "", "seen": seen, **data}
    )


GOOD = {
    "contact_email": "Trygghet@Strangnas.se",
    "contact_phone": "0152-291  00",
    "accessibility_statement": "Protokollen från folkhälsorådet är inskannade PDF-filer.",
}


def test_a_coordinator_keeps_the_contact_and_it_reaches_the_public_pages_and_the_statement(client, world):
    client.force_login(world.coordinator)
    response = post(client, world.strangnas, GOOD)
    assert response.status_code == 302 and response.url == LIST
    kept = MunicipalitySettings.objects.get(municipality=world.strangnas)
    assert (kept.contact_email, kept.contact_phone) == ("trygghet@strangnas.se", "0152-291 00")
    assert kept.history.latest().history_user == world.coordinator
    assert "trygghet@strangnas.se" in client.get(LIST).content.decode()

    client.logout()
    for url in (reverse("municipality", args=["strangnas"]), reverse("promise", args=["strangnas", 2020])):
        page = client.get(url).content.decode()
        assert 'href="mailto:trygghet@strangnas.se"' in page and 'href="tel:015229100"' in page
        assert reverse("municipality_accessibility", args=["strangnas"]) in page  # the footer's statement
    statement = client.get(reverse("municipality_accessibility", args=["strangnas"])).content.decode()
    assert 'href="mailto:trygghet@strangnas.se"' in statement and "0152-291 00" in statement
    assert "Det här gäller i Strängnäs" in statement and "inskannade PDF-filer" in statement
    national = client.get(reverse("accessibility")).content.decode()
    assert "Så når du varje kommun" in national and 'href="mailto:trygghet@strangnas.se"' in national


def test_a_second_save_keeps_both_versions_in_the_history(client, world):
    client.force_login(world.coordinator)
    post(client, world.strangnas, GOOD)
    post(client, world.strangnas, {**GOOD, "contact_phone": "0152-290 00"})
    kept = MunicipalitySettings.objects.get(municipality=world.strangnas)
    assert [row.contact_phone for row in kept.history.order_by("history_id")] == ["0152-291 00", "0152-290 00"]


def test_without_a_contact_the_statement_still_names_a_channel(client, world):
    page = client.get(reverse("municipality", args=["strangnas"])).content.decode()
    assert "114 14" in page
    statement = client.get(reverse("municipality_accessibility", args=["strangnas"]))
    assert statement.status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "trygghet(at)strangnas"),
        ("contact_phone", "ring oss"),
        ("contact_phone", "12"),
        ("accessibility_statement", "Kontakta 19121212-1212 om PDF-filerna."),
    ],
    ids=["e-mail", "phone in words", "phone too short", "identity number"],
)
def test_refused_input_is_shown_beside_its_field_and_nothing_is_saved(client, world, field, value):
    client.force_login(world.coordinator)
    response = post(client, world.strangnas, {**GOOD, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0] in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not MunicipalitySettings.objects.exists()


def test_a_stale_form_is_refused_with_the_newer_version_shown(client, world, shared):
    client.force_login(world.coordinator)
    url = settings_url(world.strangnas)
    seen = client.get(url).context["form"]["seen"].value()
    MunicipalitySettings.objects.create(municipality=world.strangnas, contact_email="kommunen@strangnas.se")
    response = client.post(url, {**GOOD, "seen": seen})
    assert response.status_code == 409
    assert "kommunen@strangnas.se" in response.content.decode()
    assert MunicipalitySettings.objects.get().contact_email == "kommunen@strangnas.se"


def test_outsiders_and_other_roles_get_404_and_change_nothing(client, world, shared):
    for user in (world.outsider, shared.tjorn_coordinator, world.police_recorder, world.council_member):
        client.force_login(user)
        assert client.get(settings_url(world.strangnas)).status_code == 404
        assert client.post(settings_url(world.strangnas), GOOD).status_code == 404
    assert not MunicipalitySettings.objects.exists()
    client.force_login(world.outsider)
    assert [m.name for m in client.get(LIST).context["municipalities"]] == ["Eskilstuna"]


def test_a_municipality_without_public_promises_has_no_public_statement(client, world):
    Municipality.objects.create(name="Flen", slug="flen", code="0482")
    assert client.get(reverse("municipality_accessibility", args=["flen"])).status_code == 404


def _count(client, user, url):
    client.logout()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries]


def _grow(world, first, last):
    for unit in range(first, last):
        other = Municipality.objects.create(name=f"Kommun {unit}", slug=f"kommun-{unit}", code=f"{9100 + unit}")
        MunicipalitySettings.objects.create(municipality=other, contact_email=f"k{unit}@example.se")
        world.municipal_organisation.municipalities.add(other)
        council = Council.objects.create(name=f"Rådet {unit}")
        council.municipalities.set([other, world.strangnas])
        organisation = Organisation.objects.create(name=f"Kommun {unit} org", kind=Organisation.Kind.MUNICIPALITY)
        organisation.municipalities.set([other])
        make_user(f"samordnare-{unit}", organisation=organisation, role="coordinator")


@pytest.mark.parametrize("page", ["list", "settings", "public statement", "national statement"])
def test_the_query_count_does_not_grow_with_the_data(client, world, page):
    urls = {
        "list": LIST,
        "settings": settings_url(world.strangnas),
        "public statement": reverse("municipality_accessibility", args=["strangnas"]),
        "national statement": reverse("accessibility"),
    }
    _grow(world, 0, 1)
    small = _count(client, world.coordinator, urls[page])
    _grow(world, 1, 10)
    large = _count(client, world.coordinator, urls[page])
    assert len(large) == len(small), "\n".join(["small:", *small, "", "large:", *large])
