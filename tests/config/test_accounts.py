"""Accounts on django-allauth (issue 16): password reset and change, a second factor, and what stays closed.

Log-ins go through the real form at /logga-in/ (axes needs the request, and allauth records the log-in that its
"recent authentication" checks read); time is never slept through.
"""

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
        assert response.status_code == 302 and response.url == "/konto/2fa/totp/activate/", path
    # The set-up page itself, and the log-out, stay open.
    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Din organisation kräver tvåstegsverifiering" in page.content.decode()
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
