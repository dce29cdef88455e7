"""Log-in through an organisation's OpenID Connect provider (issue 16), against a real provider on loopback.

The provider is django-oauth-toolkit in a second Django process (tests/oidc_provider): its own users, log-in page,
signed ID tokens, userinfo and keys. The person's browser is a ``requests`` session at the provider and the test
client at the portal; the portal itself talks to the provider server to server, as in production.
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from promises import memberships
from promises.models import IdentityProvider, Invitation, Membership

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "medborgarloften-test"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
SECRET_VARIABLE = "OIDC_TEST_STRANGNAS_SECRET"
SLUG = "strangnas-kommun"
CALLBACK = f"/konto/oidc/{SLUG}/login/callback/"
PROVIDER_PASSWORD = "provider-password-1"
PEOPLE = {
    "anna": ("anna.andersson@strangnas.se", "Anna", "Andersson"),
    "ny": ("ny.kollega@strangnas.se", "Nils", "Nyman"),
    "obekraftad": ("obekraftad@strangnas.se", "Olle", "unverified"),
    "utomstaende": ("utomstaende@example.com", "Ulla", "Utom"),
    "okand": ("okand@strangnas.se", "Oskar", "Okänd"),
}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider(str):
    """The provider's issuer address; ``register`` adds a client (e.g. one whose redirect is the live server)."""

    def register(self, client_id, redirect_uris):
        _setup(self.folder, self.environment, {"client_id": client_id, "redirect_uris": redirect_uris, "users": []})


def _setup(folder, environment, spec):
    path = folder / f"spec-{spec['client_id']}.json"
    path.write_text(json.dumps({"client_secret": CLIENT_SECRET, **spec}))
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.setup", str(path)], cwd=ROOT, env=environment, check=True
    )


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    """The provider (its issuer address), with its process running for the whole session."""
    folder = tmp_path_factory.mktemp("oidc_provider")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
    }
    _setup(
        folder,
        environment,
        {
            "client_id": CLIENT_ID,
            "redirect_uris": [f"http://testserver{CALLBACK}"],
            "users": [
                {
                    "username": name,
                    "password": PROVIDER_PASSWORD,
                    "email": email,
                    "first_name": first,
                    "last_name": last,
                }
                for name, (email, first, last) in PEOPLE.items()
            ],
        },
    )
    port = _free_port()
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = Provider(f"http://127.0.0.1:{port}/o")
    issuer.folder, issuer.environment = folder, environment
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the test OIDC provider did not start: " + (folder / "server.log").read_text())
            time.sleep(0.2)
        yield issuer
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def registered(provider, world, monkeypatch):
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    return IdentityProvider.objects.create(
        organisation=world.municipal_organisation,
        slug=SLUG,
        name="Strängnäs kommun",
        issuer=provider,
        client_id=CLIENT_ID,
        secret_variable=SECRET_VARIABLE,
        allowed_domains="strangnas.se",
    )


def sign_on(client, username, next_page=None):
    """The person presses "Log in with Strängnäs kommun", logs in at the provider, and comes back to the portal."""
    start = client.post(f"/konto/oidc/{SLUG}/login/" + (f"?{urlencode({'next': next_page})}" if next_page else ""))
    assert start.status_code == 302, start.content
    browser = requests.Session()
    to_login = browser.get(start.url, allow_redirects=False)
    assert to_login.status_code == 302 and "/accounts/login/" in to_login.headers["Location"]
    login_page = browser.get(urljoin(start.url, to_login.headers["Location"]))
    logged_in = browser.post(
        login_page.url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": parse_qs(urlsplit(login_page.url).query)["next"][0],
        },
        allow_redirects=False,
    )
    assert logged_in.status_code == 302, logged_in.text
    back = browser.get(urljoin(login_page.url, logged_in.headers["Location"]), allow_redirects=False)
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == CALLBACK
    return client.get(f"{callback.path}?{callback.query}")


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_the_log_in_page_offers_the_provider_and_lets_forms_reach_it(client, registered):
    page = client.get("/logga-in/")
    assert "Logga in med Strängnäs kommun" in page.content.decode()
    policy = page.headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if part.strip().startswith("form-action"))
    assert "http://127.0.0.1:" in form_action and "'self'" in form_action


def test_an_existing_account_is_matched_by_its_verified_address(client, world, registered):
    recorder = world.municipal_recorder
    recorder.email = "Anna.Andersson@strangnas.se"
    recorder.save()
    response = sign_on(client, "anna")
    assert response.status_code == 302 and response.url == reverse("todo:start")
    assert logged_in_user(client) == recorder
    account = SocialAccount.objects.get(user=recorder)
    # Only the subject and the address are kept: not the name, and never the identity number the provider sent.
    assert set(account.extra_data["userinfo"]) == {"sub", "email"}
    assert "19811218" not in json.dumps(account.extra_data)

    # The next time, the same account again, through the connection.
    client.post("/logga-ut/")
    assert sign_on(client, "anna").status_code == 302
    assert logged_in_user(client) == recorder
    assert SocialAccount.objects.filter(user=recorder).count() == 1


def test_an_invited_person_gets_their_account_and_membership_on_first_sign_on(client, world, registered):
    memberships.invitation_send(
        by=world.coordinator,
        email="ny.kollega@strangnas.se",
        organisation=world.municipal_organisation,
        role="recorder",
        link_for=lambda token: f"http://testserver/inbjudan/{token}/",
    )
    response = sign_on(client, "ny")
    assert response.status_code == 302
    user = logged_in_user(client)
    assert user.username == user.email == "ny.kollega@strangnas.se"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (world.municipal_organisation, "recorder")
    assert not Invitation.objects.open().filter(email="ny.kollega@strangnas.se").exists()


def test_an_address_with_neither_account_nor_invitation_gets_no_account(client, registered):
    response = sign_on(client, "okand")
    assert logged_in_user(client) is None
    assert not get_user_model().objects.filter(email__iexact="okand@strangnas.se").exists()
    assert "Konton skapas genom inbjudan" in response.content.decode()


def test_an_unverified_address_is_refused(client, world, registered):
    world.municipal_recorder.email = "obekraftad@strangnas.se"
    world.municipal_recorder.save()
    response = sign_on(client, "obekraftad")
    assert response.status_code == 403
    assert "bekräftade inte din e-postadress" in response.content.decode()
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_an_address_outside_the_allowed_domains_is_refused(client, world, registered):
    world.municipal_recorder.email = "utomstaende@example.com"
    world.municipal_recorder.save()
    response = sign_on(client, "utomstaende")
    assert response.status_code == 403
    assert "hör inte till dem" in response.content.decode()
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_an_inactive_provider_is_not_offered_and_its_address_is_gone(client, registered):
    registered.active = False
    registered.save()
    assert "Logga in med" not in client.get("/logga-in/").content.decode()
    assert client.post(f"/konto/oidc/{SLUG}/login/").status_code == 404


def test_the_password_lock_out_still_holds_beside_sign_on(client, world, registered):
    for _ in range(5):
        client.post("/logga-in/", {"username": world.municipal_recorder.username, "password": "wrong"})
    response = client.post("/logga-in/", {"username": world.municipal_recorder.username, "password": "x"})
    assert response.status_code == 429


def test_the_identity_provider_allows_exactly_its_domains():
    provider = IdentityProvider(allowed_domains="strangnas.se, @Polisen.se")
    assert provider.allows("a@strangnas.se") and provider.allows("b@POLISEN.SE")
    assert not provider.allows("a@evil-strangnas.se")
    assert not provider.allows("a@sub.strangnas.se")
    assert not provider.allows("strangnas.se")
    assert not provider.allows("a@strangnas.se.evil.com")


# The invitation page offers the organisation's provider (issue 16) ---------------------------------------------


def invite(world, email, organisation=None):
    tokens = []
    memberships.invitation_send(
        by=world.coordinator,
        email=email,
        organisation=organisation or world.municipal_organisation,
        role="recorder",
        link_for=lambda token: tokens.append(token) or token,
    )
    return reverse("invitation:accept", args=[tokens[0]])


def test_the_invitation_page_offers_the_organisations_provider_and_lets_its_form_reach_it(client, world, registered):
    link = invite(world, "ny.kollega@strangnas.se")
    page = client.get(link)
    content = page.content.decode()
    assert "Logga in med Strängnäs kommun" in content
    assert f'action="/konto/oidc/{SLUG}/login/?next=' in content
    # The password account is still offered beside it.
    assert "Skapa kontot och tacka ja" in content
    form_action = next(part for part in page.headers["Content-Security-Policy"].split(";") if "form-action" in part)
    assert registered.origin in form_action

    # An invitation to the police, who have no provider here, offers only the password account.
    police = client.get(invite(world, "ny.polis@polisen.se", world.police_organisation)).content.decode()
    assert "Logga in med" not in police and "Skapa kontot och tacka ja" in police


def test_a_new_person_accepts_the_invitation_through_the_provider(client, world, registered):
    link = invite(world, "ny.kollega@strangnas.se")
    back = sign_on(client, "ny", next_page=link)
    # Back on the invitation page, now accepted: it leads on to the recorder's start page and says so.
    assert back.status_code == 302 and back.url == link
    start = client.get(link, follow=True)
    assert start.redirect_chain[-1][0] == reverse("activities:mine")
    assert "Nu arbetar du för Strängnäs kommun som registrerare" in start.content.decode()
    user = logged_in_user(client)
    assert user.email == "ny.kollega@strangnas.se" and not user.has_usable_password()
    assert Membership.objects.get(user=user).organisation == world.municipal_organisation


def test_an_existing_account_signs_on_from_the_invitation_page_and_accepts_it(client, world, registered):
    # Someone who already has a password account with the address, in no organisation yet.
    person = get_user_model().objects.create_user(
        "anna.a", email="anna.andersson@strangnas.se", password="a-password-of-her-own"
    )
    link = invite(world, "anna.andersson@strangnas.se")
    page = client.get(link).content.decode()
    assert "Logga in med Strängnäs kommun" in page and "Du har redan ett konto" in page

    back = sign_on(client, "anna", next_page=link)
    assert back.status_code == 302 and back.url == link
    # Matched by the verified address, not made anew; the invitation is accepted with one button.
    assert logged_in_user(client) == person
    assert get_user_model().objects.filter(email__iexact="anna.andersson@strangnas.se").count() == 1
    assert "Tacka ja till inbjudan" in client.get(link).content.decode()
    accepted = client.post(link)
    assert accepted.status_code == 302 and accepted.url == reverse("activities:mine")
    assert Membership.objects.get(user=person, organisation=world.municipal_organisation).role == "recorder"


def test_a_link_accepted_by_someone_else_stays_unusable(client, world, registered):
    link = invite(world, "ny.kollega@strangnas.se")
    sign_on(client, "ny", next_page=link)
    client.post("/logga-ut/")
    client.force_login(world.outsider)
    assert client.get(link).status_code == 404
