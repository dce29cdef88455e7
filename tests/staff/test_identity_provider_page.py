"""An administrator registers an organisation's identity provider on a page (issue 16), not in the admin: issuer,
client id, the name of the variable holding the secret, allowed domains. Nobody else sees the page or the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from promises.models import IdentityProvider

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Strängnäs kommun",
    "slug": "",
    "issuer": "https://login.strangnas.se/oidc/",
    "client_id": "medborgarloften",
    "secret_variable": "OIDC_STRANGNAS_SECRET",
    "allowed_domains": "Strangnas.se; @edu.strangnas.se",
}


def url(world):
    return reverse("workspace:identity_provider_create", args=[world.strangnas.slug])


def test_an_administrator_registers_the_provider_and_is_told_what_to_do_at_the_provider(client, world):
    client.force_login(world.administrator)
    page = client.get(url(world)).content.decode()
    # Only the municipality's own organisations are offered.
    assert world.municipal_organisation.name in page and world.police_organisation.name in page
    assert world.foreign_police_organisation.name not in page
    response = client.post(url(world), {**FORM, "organisation": world.municipal_organisation.pk}, follow=True)
    provider = IdentityProvider.objects.get()
    assert (provider.organisation, provider.slug, provider.issuer) == (
        world.municipal_organisation,
        "strangnas-kommun",
        "https://login.strangnas.se/oidc",
    )
    assert provider.allowed_domains == "strangnas.se, edu.strangnas.se" and provider.active
    content = response.content.decode()
    assert "http://testserver/konto/oidc/strangnas-kommun/login/callback/" in content
    assert "OIDC_STRANGNAS_SECRET" in content
    # The municipality's settings list it, for the administrator.
    assert "Strängnäs kommun (Strängnäs kommun; strangnas.se, edu.strangnas.se)" in content
    # The log-in page offers it at once.
    client.logout()
    assert "Logga in med Strängnäs kommun" in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("secret_variable", "the secret itself!", "Bara versaler, siffror och understreck."),
        ("allowed_domains", "strangnas", "strangnas är ingen domän"),
        ("allowed_domains", " , ", "Ange minst en domän"),
        ("issuer", "inte en adress", "som en webbadress, till exempel https://kommun.se."),
        ("slug", "strangnas-kommun", "har redan det här kortnamnet"),
    ],
)
def test_a_refused_registration_says_why_and_saves_nothing(client, world, field, value, message):
    IdentityProvider.objects.create(
        organisation=world.municipal_organisation,
        slug="strangnas-kommun",
        name="Den gamla",
        issuer="https://old.strangnas.se",
        client_id="old",
        secret_variable="OLD_SECRET",
        allowed_domains="strangnas.se",
    )
    client.force_login(world.administrator)
    data = {**FORM, "name": "Strängnäs nya", "organisation": world.municipal_organisation.pk, field: value}
    response = client.post(url(world), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert IdentityProvider.objects.count() == 1


def test_a_slug_made_from_a_taken_name_is_refused(client, world):
    client.force_login(world.administrator)
    data = {**FORM, "organisation": world.municipal_organisation.pk}
    client.post(url(world), data)
    response = client.post(url(world), {**data, "client_id": "another"})
    assert "har redan det här kortnamnet" in response.content.decode()
    assert IdentityProvider.objects.count() == 1


def test_an_organisation_of_another_municipality_is_refused(client, world):
    client.force_login(world.administrator)
    response = client.post(url(world), {**FORM, "organisation": world.foreign_police_organisation.pk})
    assert "organisation" in response.context["form"].errors
    assert not IdentityProvider.objects.exists()


def test_nobody_but_an_administrator_sees_the_page_or_the_providers(client, world):
    IdentityProvider.objects.create(
        organisation=world.municipal_organisation,
        slug="strangnas-kommun",
        name="Kommunens inloggning",
        issuer="https://login.strangnas.se",
        client_id="c",
        secret_variable="S",
        allowed_domains="strangnas.se",
    )
    client.force_login(world.coordinator)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {**FORM, "organisation": world.municipal_organisation.pk}).status_code == 404
    settings_page = client.get(reverse("workspace:municipality_settings", args=[world.strangnas.slug]))
    assert "Kommunens inloggning" not in settings_page.content.decode()
    assert IdentityProvider.objects.count() == 1


def test_the_pages_take_a_fixed_number_of_queries(client, world):
    client.force_login(world.administrator)
    settings_url = reverse("workspace:municipality_settings", args=[world.strangnas.slug])

    def queries(address):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    queries(url(world)), queries(settings_url)  # the first request also reads what is then cached
    before = (queries(url(world)), queries(settings_url))
    for number in range(3):
        IdentityProvider.objects.create(
            organisation=world.municipal_organisation,
            slug=f"idp-{number}",
            name=f"Inloggning {number}",
            issuer="https://login.strangnas.se",
            client_id="c",
            secret_variable="S",
            allowed_domains="strangnas.se",
        )
    assert (queries(url(world)), queries(settings_url)) == before
