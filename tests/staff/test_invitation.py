"""The page an invitation links to: a new person makes an account, an existing one logs in and accepts, and a link
that cannot be used tells nothing about why."""

import datetime
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from promises import memberships
from promises.models import Invitation, Membership
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

EMAIL = "ny.kollega@strangnas.se"
GOOD_PASSWORD = "Trygghetsvandring-i-Mariefred"


def invite(world, *, email=EMAIL, role="recorder", organisation=None):
    tokens = []

    def link_for(token):
        tokens.append(token)
        return f"http://testserver/inbjudan/{token}/"

    invitation = memberships.invitation_send(
        by=world.coordinator,
        email=email,
        organisation=organisation or world.municipal_organisation,
        role=role,
        link_for=link_for,
    )
    return invitation, reverse("invitation:accept", args=[tokens[-1]])


def account_form(**changes):
    data = {"first_name": "Nora", "last_name": "Nyström", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    data.update(changes)
    return data


def new_accounts():
    return get_user_model().objects.filter(username=EMAIL)


# A new person --------------------------------------------------------------------------------------------


def test_a_new_person_chooses_a_name_and_password_and_is_logged_in_with_the_role(client, world):
    invitation, url = invite(world)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Strängnäs kommun" in page and EMAIL in page and 'autocomplete="new-password"' in page
    assert not new_accounts().exists()  # the page alone makes nothing
    response = client.post(url, account_form())
    assert response.status_code == 302 and response.url == reverse("activities:mine")
    user = new_accounts().get()
    assert (user.email, user.first_name, user.last_name) == (EMAIL, "Nora", "Nyström")
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=user).role == "recorder"
    invitation.refresh_from_db()
    assert (invitation.state, invitation.accepted_by) == ("accepted", user)
    # Logged in: the next page knows them.
    assert client.get(reverse("activities:mine")).context["user"] == user


def test_a_coordinator_starts_in_the_workspace(client, world):
    _invitation, url = invite(world, role="coordinator")
    response = client.post(url, account_form())
    assert response.url == reverse("workspace:home")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password1": "kort", "password2": "kort"}, "password1", "för kort"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1", "enbart numeriskt"),
        ({"password1": "password123", "password2": "password123"}, "password1", "för vanligt"),
        ({"password1": "NoraNyström1", "password2": "NoraNyström1"}, "password1", "för likt"),
        ({"password2": "Något-annat-helt-och-hållet"}, "password2", "stämmer inte överens"),
        ({"first_name": ""}, "first_name", "Ange förnamn."),
        ({"last_name": "19121212-1212"}, "last_name", "samordningsnumret"),
    ],
    ids=["too short", "numeric", "common", "like the name", "mismatch", "no first name", "identity number"],
)
def test_it_refuses_a_bad_account_beside_the_field_and_makes_nothing(client, world, changes, field, message):
    invitation, url = invite(world)
    response = client.post(url, account_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert message in response.content.decode()
    assert not new_accounts().exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_an_acceptance_refused_by_the_rules_leaves_no_account(client, world):
    """The inviter is no longer a coordinator: the invitation is refused, and the account is not made either."""
    _invitation, url = invite(world)
    Membership.objects.filter(user=world.coordinator).update(role="recorder")
    response = client.post(url, account_form())
    assert response.status_code == 200
    assert "Inget sparades" in response.content.decode()
    assert not new_accounts().exists()


# Someone with an account ---------------------------------------------------------------------------------


def test_someone_with_an_account_logs_in_first_and_then_accepts_with_one_button(client, world):
    person = make_user("nora")
    person.email = EMAIL.upper()
    person.save()
    invitation, url = invite(world)
    response = client.get(url)
    page = response.content.decode()
    login = reverse("login") + "?next=" + url.replace("/", "%2F")
    assert response.context["step"] == "log_in" and login in page
    assert 'name="password1"' not in page
    # Posting the new-account form anyway makes no second account.
    client.post(url, account_form())
    assert not new_accounts().exists()
    # Logging in leads back here.
    response = client.post(login, {"username": "nora", "password": PASSWORD})
    assert response.status_code == 302 and response.url == url
    response = client.get(url)
    assert response.context["step"] == "accept"
    assert not Membership.objects.filter(user=person).exists()  # not until the button
    response = client.post(url)
    assert response.status_code == 302
    assert Membership.objects.get(user=person).organisation == world.municipal_organisation
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_an_account_named_by_the_address_counts_as_the_persons(client, world):
    person = make_user(EMAIL)
    _invitation, url = invite(world)
    assert client.get(url).context["step"] == "log_in"
    client.force_login(person)
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(user=person, role="recorder").exists()


def test_someone_logged_in_with_another_account_is_asked_to_log_out(client, world):
    invitation, url = invite(world)
    client.force_login(world.police_recorder)
    response = client.get(url)
    assert response.status_code == 200 and response.context["step"] == "other_account"
    assert "Logga ut" in response.content.decode()
    client.post(url)
    client.post(url, account_form())
    assert not Membership.objects.filter(user=world.police_recorder, organisation=world.municipal_organisation).exists()
    assert not new_accounts().exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_a_member_invited_to_another_role_gets_it_on_accepting(client, world):
    world.municipal_recorder.email = EMAIL
    world.municipal_recorder.save()
    Invitation.objects.create(
        email=EMAIL,
        organisation=world.municipal_organisation,
        role="coordinator",
        token_hash=memberships._hash("abc"),
        invited_by=world.coordinator,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(world.municipal_recorder)
    client.post(reverse("invitation:accept", args=["abc"]))
    assert Membership.objects.get(user=world.municipal_recorder).role == "coordinator"


# Links that cannot be used -------------------------------------------------------------------------------


def same_page(response, url):
    """The page without what every page has of its own: its address and its CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode().replace(url, ""))


def unusable(world, state):
    invitation, url = invite(world)
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    elif state == "withdrawn":
        memberships.invitation_withdraw(by=world.coordinator, invitation=invitation)
    elif state == "accepted":
        memberships.invitation_accept(invitation=invitation, user=make_user(EMAIL))
    elif state == "unknown":
        url = reverse("invitation:accept", args=["x" * 43])
    return url


@pytest.mark.parametrize("state", ["unknown", "expired", "withdrawn", "accepted"])
def test_a_link_that_cannot_be_used_gets_one_clear_page_whatever_the_reason(client, world, state, caplog):
    url = unusable(world, state)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = client.get(url)
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()
    assert "invitation link not usable" in caplog.text
    # Nothing on the page tells the reasons apart: the unknown token's page is the same (but for the language
    # switch, which names the page's own address and a CSRF token that differs on every page).
    unknown = unusable(world, "unknown")
    assert same_page(response, url) == same_page(client.get(unknown), unknown)
    before = get_user_model().objects.count()
    assert client.post(url, account_form()).status_code == 404
    assert get_user_model().objects.count() == before


def test_a_token_too_long_to_be_one_is_unusable_too(client, world):
    assert client.get(reverse("invitation:accept", args=["a" * 500])).status_code == 404


def test_the_page_is_never_cached(client, world):
    _invitation, url = invite(world)
    assert "no-store" in client.get(url)["Cache-Control"] or "max-age=0" in client.get(url)["Cache-Control"]


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, world, method):
    _invitation, url = invite(world)
    assert getattr(client, method)(url).status_code == 405
