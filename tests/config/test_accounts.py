"""Accounts on django-allauth (issue 16): password reset and change, a second factor, and what stays closed.

Log-ins go through the real form at /logga-in/ (axes needs the request, and allauth records the log-in that its
"recent authentication" checks read); time is never slept through.
"""

import json
import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import app_settings as totp_settings
from django.core import mail
from django.urls import reverse

from promises.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/logga-in/"
RESET = "/konto/password/reset/"
RESET_DONE = "/konto/password/reset/done/"
CHANGE = "/konto/password/change/"
NEW_PASSWORD = "a-brand-new-long-passphrase"


def log_in(client, username, password=PASSWORD, ip="127.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def code_for(secret, offset=0):
    counter = int(time.time()) // totp_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture
def recorder(world):
    user = world.police_recorder
    user.email = "polis.recorder@polisen.se"
    user.save()
    return user


# Password reset


def test_a_reset_link_arrives_and_lets_the_person_choose_a_new_password_once(client, recorder):
    response = client.post(RESET, {"email": "POLIS.recorder@polisen.se"})
    assert response.status_code == 302 and response.url == RESET_DONE
    [message] = mail.outbox
    assert message.to == ["polis.recorder@polisen.se"]
    # Plain text and HTML, the same link in both.
    assert message.alternatives and message.alternatives[0].mimetype == "text/html"
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", message.body).group(1)
    assert link in message.alternatives[0].content

    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    saved = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert saved.status_code == 302
    recorder.refresh_from_db()
    assert recorder.check_password(NEW_PASSWORD)

    # The link works once.
    again = client.get(link, follow=True)
    assert "Länken fungerar inte" in again.content.decode()
    assert log_in(client, recorder.username, NEW_PASSWORD).status_code == 302


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client, recorder):
    known = client.post(RESET, {"email": "polis.recorder@polisen.se"})
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.se"})
    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert not mail.outbox
    page = client.get(unknown.url).content.decode()
    assert "Om adressen hör till ett konto" in page


def test_a_reset_with_a_malformed_address_is_refused_beside_the_field(client, recorder):
    response = client.post(RESET, {"email": "inte en adress"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not mail.outbox


def test_a_tampered_reset_link_does_not_work(client, recorder):
    client.post(RESET, {"email": "polis.recorder@polisen.se"})
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    tampered = link[:-3] + ("x" if link[-3] != "x" else "y") + link[-2:]
    page = client.get(tampered, follow=True)
    assert "Länken fungerar inte" in page.content.decode()
    recorder.refresh_from_db()
    assert recorder.check_password(PASSWORD)


# Password change


def test_a_recorder_changes_their_password(client, recorder):
    log_in(client, recorder.username)
    page = client.get(CHANGE)
    assert page.status_code == 200 and "Byt lösenord" in page.content.decode()
    response = client.post(CHANGE, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    recorder.refresh_from_db()
    assert recorder.check_password(NEW_PASSWORD)
    # Still logged in after the change.
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"oldpassword": "wrong-old-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, "oldpassword"),
        ({"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}, "password2"),
        ({"oldpassword": PASSWORD, "password1": "kort", "password2": "kort"}, "password1"),
    ],
    ids=["wrong old password", "mismatch", "too weak"],
)
def test_a_refused_password_change_changes_nothing(client, recorder, data, field):
    log_in(client, recorder.username)
    response = client.post(CHANGE, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="error-summary"' in response.content.decode()
    recorder.refresh_from_db()
    assert recorder.check_password(PASSWORD)


def test_the_password_change_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_the_admin_password_change_sends_everyone_to_the_portals_own(client, recorder):
    log_in(client, recorder.username)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response.url == CHANGE


def test_my_account_is_in_the_menu_and_links_the_account_pages(client, recorder):
    log_in(client, recorder.username)
    page = client.get("/konto/").content.decode()
    assert "Mitt konto" in client.get("/mina-aktiviteter/").content.decode()
    assert CHANGE in page and "/konto/2fa/" in page


def test_nobody_signs_up_and_e_mail_addresses_are_not_managed_here(client, recorder):
    assert "Konton skapas genom inbjudan" in client.get("/konto/signup/").content.decode()
    response = client.post("/konto/signup/", {"username": "ny", "email": "ny@example.se", "password1": NEW_PASSWORD})
    assert response.status_code == 200
    assert not type(recorder).objects.filter(username="ny").exists()
    log_in(client, recorder.username)
    assert client.get("/konto/email/").status_code == 404


# A second factor


def enrol(client, user):
    """Sets up TOTP through the pages, as a person does; returns the secret and the recovery codes shown."""
    log_in(client, user.username)
    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post("/konto/2fa/totp/activate/", {"code": code_for(secret)})
    assert response.status_code == 302
    codes = client.get("/konto/2fa/recovery-codes/").context["unused_codes"]
    return secret, codes


def test_a_person_sets_up_an_authenticator_app_and_gets_recovery_codes(client, recorder):
    _secret, codes = enrol(client, recorder)
    assert Authenticator.objects.filter(user=recorder, type=Authenticator.Type.TOTP).exists()
    assert len(codes) == 10
    assert "På." in client.get("/konto/2fa/").content.decode()


def test_a_wrong_code_does_not_turn_the_second_factor_on(client, recorder):
    log_in(client, recorder.username)
    secret = client.get("/konto/2fa/totp/activate/").context["form"].secret
    wrong = format_hotp_value((int(code_for(secret)) + 1) % 10**6)
    response = client.post("/konto/2fa/totp/activate/", {"code": wrong})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Authenticator.objects.filter(user=recorder).exists()


@pytest.fixture
def protected(recorder):
    """The recorder with an authenticator app set up, and recovery codes."""
    secret = generate_totp_secret()
    TOTP.activate(recorder, secret)
    codes = RecoveryCodes.activate(recorder).generate_codes()
    return secret, codes


def test_with_a_second_factor_the_password_alone_does_not_log_in(client, recorder, protected):
    response = log_in(client, recorder.username)
    assert response.status_code == 302 and response.url == "/konto/2fa/authenticate/"
    assert not is_logged_in(client)
    assert client.get("/mina-aktiviteter/").status_code == 302


def test_the_code_from_the_app_completes_the_log_in(client, recorder, protected):
    secret, _codes = protected
    log_in(client, recorder.username)
    response = client.post("/konto/2fa/authenticate/", {"code": code_for(secret)})
    assert response.status_code == 302 and response.url == reverse("todo:start")
    assert client.session["_auth_user_id"] == str(recorder.pk)


def test_a_wrong_code_does_not_log_in(client, recorder, protected):
    secret, _codes = protected
    log_in(client, recorder.username)
    wrong = format_hotp_value((int(code_for(secret)) + 1) % 10**6)
    response = client.post("/konto/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert not is_logged_in(client)


def test_a_recovery_code_works_once(client, recorder, protected):
    _secret, codes = protected
    log_in(client, recorder.username)
    assert client.post("/konto/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    assert is_logged_in(client)
    client.post("/logga-ut/")

    log_in(client, recorder.username)
    again = client.post("/konto/2fa/authenticate/", {"code": codes[0]})
    assert again.status_code == 200
    assert not is_logged_in(client)
    assert client.post("/konto/2fa/authenticate/", {"code": codes[1]}).status_code == 302


def test_the_lock_out_still_comes_first_with_a_second_factor(client, recorder, protected):
    for _ in range(5):
        log_in(client, recorder.username, password="wrong-password")
    response = log_in(client, recorder.username)
    assert response.status_code == 429
    assert not is_logged_in(client)


# An organisation that requires a second factor


def test_a_member_of_an_organisation_that_requires_it_sets_up_a_second_factor_first(client, world, recorder):
    world.police_organisation.requires_mfa = True
    world.police_organisation.save()
    log_in(client, recorder.username)
    for path in ("/mina-aktiviteter/", "/logga/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/konto/2fa/", path
    # The choice of a second factor, its set-up pages, and the log-out, stay open.
    choice = client.get("/konto/2fa/").content.decode()
    assert "Din organisation kräver tvåstegsverifiering" in choice
    assert 'href="/konto/2fa/totp/activate/"' in choice and 'href="/konto/2fa/webauthn/add/"' in choice
    assert client.get("/konto/2fa/webauthn/add/").status_code == 200
    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    client.post("/konto/2fa/totp/activate/", {"code": code_for(page.context["form"].secret)})
    assert client.get("/mina-aktiviteter/").status_code == 200


def test_members_of_other_organisations_are_not_asked(client, world):
    world.police_organisation.requires_mfa = True
    world.police_organisation.save()
    log_in(client, world.municipal_recorder.username)
    assert client.get("/mina-aktiviteter/").status_code == 200


# Query counts: the account pages do not grow with the data


def test_the_account_pages_query_count_does_not_grow(client, world, recorder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from promises.models import IdentityProvider, Organisation

    def counts():
        found = {}
        for path in ("/logga-in/", "/konto/password/reset/"):
            client.logout()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found[path] = len(queries)
        log_in(client, recorder.username)
        for path in ("/konto/", "/konto/2fa/", CHANGE):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found[path] = len(queries)
        return found

    def grow(first, last):
        for number in range(first, last):
            organisation = Organisation.objects.create(name=f"Organisation {number}", kind="other")
            organisation.municipalities.set([world.strangnas])
            Membership.objects.create(user=recorder, organisation=organisation, role="recorder")
            IdentityProvider.objects.create(
                organisation=organisation,
                slug=f"idp-{number}",
                name=f"Leverantör {number}",
                issuer=f"https://idp{number}.example.se",
                client_id="portal",
                secret_variable="OIDC_SECRET",
                allowed_domains="example.se",
            )

    grow(0, 1)
    small = counts()
    grow(1, 10)
    assert counts() == small


# A security key (WebAuthn)


@pytest.fixture
def key_client(client, settings):
    """The test client on http://localhost: WebAuthn accepts no other plain-HTTP origin (fido2's check, unchanged)."""
    from tests.config.security_key import HOST

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    client.defaults["HTTP_HOST"] = HOST
    return client


def add_key(client, name="Min nyckel"):
    """Adds a software security key through the page, as webauthn.js does; returns the key and the response."""
    from tests.config.security_key import SoftwareKey

    key = SoftwareKey()
    page = client.get("/konto/2fa/webauthn/add/")
    assert page.status_code == 200
    credential = key.register(page.context["js_data"]["creation_options"])
    response = client.post("/konto/2fa/webauthn/add/", {"name": name, "credential": json.dumps(credential)})
    return key, response


def test_a_person_adds_a_security_key_and_gets_recovery_codes(key_client, recorder):
    log_in(key_client, recorder.username)
    _key, response = add_key(key_client)
    # The first key makes recovery codes too, shown at once.
    assert response.status_code == 302 and response.url == "/konto/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=recorder, type=Authenticator.Type.WEBAUTHN).count() == 1
    index = key_client.get("/konto/2fa/").content.decode()
    assert "På: 1 säkerhetsnyckel." in index
    listing = key_client.get("/konto/2fa/webauthn/").content.decode()
    assert "Min nyckel" in listing
    assert "På: du använder din säkerhetsnyckel när du loggar in." in key_client.get("/konto/").content.decode()


def test_the_add_page_says_a_key_needs_javascript_and_hides_its_button_without_it(key_client, recorder):
    log_in(key_client, recorder.username)
    page = key_client.get("/konto/2fa/webauthn/add/").content.decode()
    assert "<noscript>" in page and "En säkerhetsnyckel behöver JavaScript" in page
    assert re.search(r'<button type="button" class="button" id="mfa_webauthn_add" hidden data-needs-js>', page)
    # allauth's scripts, from the portal's own static files, and no inline script that would run.
    assert '<script src="/static/mfa/js/webauthn.js">' in page
    for script in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page):
        assert 'type="application/json"' in script, script


def test_a_key_that_was_not_used_adds_nothing_and_says_why(key_client, recorder):
    log_in(key_client, recorder.username)
    key_client.get("/konto/2fa/webauthn/add/")
    response = key_client.post("/konto/2fa/webauthn/add/", {"name": "Min nyckel"})
    assert response.status_code == 200
    assert "Ingen nyckel lades till" in response.content.decode()
    assert not Authenticator.objects.filter(user=recorder).exists()


def test_password_and_security_key_log_in(key_client, recorder):
    log_in(key_client, recorder.username)
    key, _response = add_key(key_client)
    key_client.post("/logga-ut/")

    response = log_in(key_client, recorder.username)
    assert response.status_code == 302 and response.url == "/konto/2fa/authenticate/"
    assert not is_logged_in(key_client)
    page = key_client.get("/konto/2fa/authenticate/")
    html = page.content.decode()
    assert "Använd säkerhetsnyckeln" in html and "Utan din nyckel: ge en av dina reservkoder." in html
    answer = key.sign(page.context["js_data"]["request_options"])
    response = key_client.post("/konto/2fa/authenticate/", {"credential": json.dumps(answer)})
    assert response.status_code == 302 and response.url == reverse("todo:start")
    assert key_client.session["_auth_user_id"] == str(recorder.pk)


def test_another_keys_answer_does_not_log_in(key_client, recorder):
    from tests.config.security_key import SoftwareKey

    log_in(key_client, recorder.username)
    add_key(key_client)
    key_client.post("/logga-ut/")
    log_in(key_client, recorder.username)
    page = key_client.get("/konto/2fa/authenticate/")
    answer = SoftwareKey().sign(page.context["js_data"]["request_options"])
    response = key_client.post("/konto/2fa/authenticate/", {"credential": json.dumps(answer)})
    assert response.status_code == 200
    assert "Säkerhetsnyckeln godtogs inte." in response.content.decode()
    assert not is_logged_in(key_client)


def test_the_security_key_pages_ask_an_anonymous_visitor_to_log_in(client, recorder):
    key = Authenticator.objects.create(user=recorder, type=Authenticator.Type.WEBAUTHN, data={"name": "x"})
    for path in (
        "/konto/2fa/webauthn/",
        "/konto/2fa/webauthn/add/",
        f"/konto/2fa/webauthn/keys/{key.pk}/remove/",
        f"/konto/2fa/webauthn/keys/{key.pk}/edit/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next="), path
    assert client.post(f"/konto/2fa/webauthn/keys/{key.pk}/remove/").status_code == 302
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_another_persons_key_is_neither_shown_nor_removable(key_client, world, recorder):
    log_in(key_client, world.municipal_recorder.username)
    add_key(key_client, name="Den andras nyckel")
    theirs = Authenticator.objects.get(user=world.municipal_recorder, type=Authenticator.Type.WEBAUTHN)
    key_client.post("/logga-ut/")

    log_in(key_client, recorder.username)
    assert "Den andras nyckel" not in key_client.get("/konto/2fa/webauthn/").content.decode()
    for path in (f"/konto/2fa/webauthn/keys/{theirs.pk}/remove/", f"/konto/2fa/webauthn/keys/{theirs.pk}/edit/"):
        assert key_client.get(path).status_code == 404, path
        assert key_client.post(path, {"name": "Stulen"}).status_code == 404, path
    theirs.refresh_from_db()
    assert theirs.wrap().name == "Den andras nyckel"


def test_a_person_renames_and_removes_their_key(key_client, recorder):
    log_in(key_client, recorder.username)
    add_key(key_client)
    key = Authenticator.objects.get(user=recorder, type=Authenticator.Type.WEBAUTHN)
    key_client.post(f"/konto/2fa/webauthn/keys/{key.pk}/edit/", {"name": "Nyckelknippan"})
    key.refresh_from_db()
    assert key.wrap().name == "Nyckelknippan"
    confirm = key_client.get(f"/konto/2fa/webauthn/keys/{key.pk}/remove/").content.decode()
    assert "Ta bort nyckeln" in confirm
    response = key_client.post(f"/konto/2fa/webauthn/keys/{key.pk}/remove/")
    assert response.status_code == 302
    # The last factor gone, the recovery codes go with it.
    assert not Authenticator.objects.filter(user=recorder).exists()


def test_a_security_key_is_the_second_factor_an_organisation_requires(key_client, world, recorder):
    world.police_organisation.requires_mfa = True
    world.police_organisation.save()
    log_in(key_client, recorder.username)
    assert key_client.get("/mina-aktiviteter/").url == "/konto/2fa/"
    add_key(key_client)
    assert key_client.get("/mina-aktiviteter/").status_code == 200


def test_the_last_second_factor_an_organisation_requires_is_not_removed(key_client, world, recorder):
    world.police_organisation.requires_mfa = True
    world.police_organisation.save()
    log_in(key_client, recorder.username)
    add_key(key_client)
    key = Authenticator.objects.get(user=recorder, type=Authenticator.Type.WEBAUTHN)
    path = f"/konto/2fa/webauthn/keys/{key.pk}/remove/"
    refusal = "Din organisation kräver tvåstegsverifiering, och det här är ditt enda andra steg."
    confirm = key_client.get(path).content.decode()
    assert refusal in confirm and "Ta bort nyckeln</button>" not in confirm
    response = key_client.post(path, follow=True)
    assert refusal in response.content.decode()
    assert Authenticator.objects.filter(pk=key.pk).exists()

    # With an authenticator app as well, the key may go; then the app is the last one and stays.
    secret = key_client.get("/konto/2fa/totp/activate/").context["form"].secret
    key_client.post("/konto/2fa/totp/activate/", {"code": code_for(secret)})
    assert key_client.post(path).status_code == 302
    assert not Authenticator.objects.filter(pk=key.pk).exists()
    response = key_client.post("/konto/2fa/totp/deactivate/")
    assert refusal in response.content.decode()
    assert Authenticator.objects.filter(user=recorder, type=Authenticator.Type.TOTP).exists()


def test_the_security_key_pages_query_count_does_not_grow_with_the_keys(key_client, recorder):
    from allauth.mfa.webauthn.internal.auth import WebAuthn
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from fido2.utils import websafe_encode

    from tests.config.security_key import SoftwareKey

    def add_keys(count):
        for number in range(count):
            credential = SoftwareKey().register({"publicKey": {"challenge": websafe_encode(b"count")}})
            WebAuthn.add(recorder, f"Nyckel {number}", credential)

    def counts():
        found = {}
        log_in(key_client, recorder.username)
        with CaptureQueriesContext(connection) as queries:
            assert key_client.get("/konto/2fa/authenticate/").status_code == 200
        found["authenticate"] = len(queries)
        key_client.force_login(recorder)
        for path in ("/konto/", "/konto/2fa/", "/konto/2fa/webauthn/"):
            with CaptureQueriesContext(connection) as queries:
                assert key_client.get(path).status_code == 200, path
            found[path] = len(queries)
        key_client.logout()
        return found

    add_keys(1)
    small = counts()
    add_keys(6)
    assert counts() == small
