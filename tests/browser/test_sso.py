"""Log-in through the municipality's identity provider in Chromium (issue 16), end to end: the portal's button, the
provider's own log-in page (django-oauth-toolkit on loopback, tests/oidc_provider), and back, logged in."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from promises.models import IdentityProvider
from tests.browser.axe import assert_no_axe_violations
from tests.config.test_sso import CLIENT_SECRET, PROVIDER_PASSWORD, SECRET_VARIABLE, SLUG, provider  # noqa: F401

BROWSER_CLIENT = "medborgarloften-browser"


@pytest.fixture
def other_allowed_hosts(provider):  # noqa: F811
    return [urlsplit(provider).netloc]


@pytest.fixture
def registered(provider, live_server, world, monkeypatch):  # noqa: F811
    provider.register(BROWSER_CLIENT, [f"{live_server.url}/konto/oidc/{SLUG}/login/callback/"])
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    recorder = world.municipal_recorder
    recorder.email = "anna.andersson@strangnas.se"
    recorder.first_name, recorder.last_name = "Anna", "Andersson"
    recorder.save()
    return IdentityProvider.objects.create(
        organisation=world.municipal_organisation,
        slug=SLUG,
        name="Strängnäs kommun",
        issuer=provider,
        client_id=BROWSER_CLIENT,
        secret_variable=SECRET_VARIABLE,
        allowed_domains="strangnas.se",
    )


def test_a_municipal_employee_logs_in_through_the_municipalitys_provider(page, registered):
    page.goto("/logga-in/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Logga in med Strängnäs kommun").click()
    # The provider's own page, on its own host.
    expect(page.get_by_role("heading", name="Kommunens inloggning")).to_be_visible()
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name=re.compile("^Logga ut Anna Andersson"))).to_be_visible()
    assert urlsplit(page.url).path == reverse("todo:start")  # where everyone lands after log-in (issue 17)
