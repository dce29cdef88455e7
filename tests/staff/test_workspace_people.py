"""The workspace's people: the members of a coordinator's organisations, invitations, and changes of role.

Nobody widens their own power here either: the takeover of a police area that serves another municipality, and a
coordinator's council role for themselves, are refused with a message, save nothing and leave a security-log line.
"""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse

from promises import memberships
from promises.models import Invitation, Membership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PEOPLE = reverse("workspace:people")
INVITE = reverse("workspace:invite")
REASON = "Ny tjänst i kommunen"


def change_url(membership):
    return reverse("workspace:membership_change", args=[membership.pk])


def end_url(membership):
    return reverse("workspace:membership_end", args=[membership.pk])


def withdraw_url(invitation):
    return reverse("workspace:invitation_withdraw", args=[invitation.pk])


def membership_of(user):
    return Membership.objects.get(user=user)


def change(client, membership, data):
    """Posts the change form as its page showed it a moment ago."""
    url = change_url(membership)
    return client.post(url, {**data, "seen": client.get(url).context["form"]["seen"].value()})


def invitation_form(world, **changes):
    data = {"email": "ny.kollega@strangnas.se", "organisation": world.municipal_organisation.pk, "role": "recorder"}
    data.update(changes)
    return data


def send(world, *, email="ny.kollega@strangnas.se", organisation=None, role="recorder"):
    return memberships.invitation_send(
        by=world.coordinator,
        email=email,
        organisation=organisation or world.municipal_organisation,
        role=role,
        link_for=lambda token: f"http://testserver/inbjudan/{token}/",
    )


@pytest.fixture
def police_area(world):
    """Polisen Strängnäs also serves Eskilstuna: a coordinator of Strängnäs alone gives no role in it."""
    world.police_organisation.municipalities.add(world.eskilstuna)
    return world.police_organisation


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    return caplog


def refusals(caplog):
    return [record.getMessage() for record in caplog.records if "membership refused" in record.getMessage()]


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    invitation = send(world)
    for url in (
        PEOPLE,
        INVITE,
        change_url(membership_of(world.police_recorder)),
        end_url(membership_of(world.police_recorder)),
        withdraw_url(invitation),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


# The list ------------------------------------------------------------------------------------------------


def test_the_list_shows_the_people_of_the_coordinators_organisations_with_their_roles(client, world):
    world.police_recorder.first_name, world.police_recorder.last_name = "Polly", "Polis"
    world.police_recorder.email = "polly.polis@polisen.se"
    world.police_recorder.save()
    client.force_login(world.coordinator)
    response = client.get(PEOPLE)
    assert response.status_code == 200
    groups = {group["organisation"]: group for group in response.context["groups"]}
    assert set(groups) == {world.police_organisation, world.municipal_organisation}
    assert [m.user for m in groups[world.police_organisation]["members"]] == [world.police_recorder]
    assert {m.user for m in groups[world.municipal_organisation]["members"]} == {
        world.municipal_recorder,
        world.coordinator,
        world.council_member,
    }
    page = response.content.decode()
    assert "Polly Polis" in page and "polly.polis@polisen.se" in page and "Registrerare" in page
    assert "<strong>utomstaende</strong>" not in page  # Eskilstuna's coordinator is nobody's business here


def test_nobody_is_offered_a_change_of_their_own_membership_or_the_council(client, world):
    client.force_login(world.coordinator)
    page = client.get(PEOPLE).content.decode()
    assert change_url(membership_of(world.municipal_recorder)) in page
    assert change_url(membership_of(world.coordinator)) not in page
    # The council role is given by an administrator, so a council member's membership is not the coordinator's.
    assert change_url(membership_of(world.council_member)) not in page


def test_an_organisation_serving_another_municipality_is_shown_without_changes(client, world, police_area):
    client.force_login(world.coordinator)
    response = client.get(PEOPLE)
    page = response.content.decode()
    assert "polis" in page
    assert change_url(membership_of(world.police_recorder)) not in page
    assert "Eskilstuna" in page  # the note says which municipalities it serves
    form = client.get(INVITE).context["form"]
    assert [value for value, _label in form.fields["organisation"].widget.choices] == [world.municipal_organisation.pk]


def test_open_invitations_are_listed_and_used_ones_are_not(client, world):
    open_one = send(world)
    withdrawn = send(world, email="borta@strangnas.se")
    memberships.invitation_withdraw(by=world.coordinator, invitation=withdrawn)
    client.force_login(world.coordinator)
    response = client.get(PEOPLE)
    [municipal] = [g for g in response.context["groups"] if g["organisation"] == world.municipal_organisation]
    assert municipal["invitations"] == [open_one]
    assert withdraw_url(open_one) in response.content.decode()


def test_the_outsider_sees_only_their_own_people(client, world):
    client.force_login(world.outsider)
    response = client.get(PEOPLE)
    assert [g["organisation"] for g in response.context["groups"]] == [world.foreign_police_organisation]
    assert "<strong>samordnare</strong>" not in response.content.decode()


# Inviting ------------------------------------------------------------------------------------------------


def test_a_coordinator_invites_a_recorder_by_e_mail_and_nothing_is_given_until_accepted(client, world, security_log):
    client.force_login(world.coordinator)
    assert client.get(INVITE).status_code == 200
    response = client.post(INVITE, invitation_form(world))
    assert response.status_code == 302 and response.url == PEOPLE
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role, invitation.invited_by) == (
        "ny.kollega@strangnas.se",
        world.municipal_organisation,
        "recorder",
        world.coordinator,
    )
    [message] = mail.outbox
    link = re.search(r"http://testserver/inbjudan/[\w-]+/", message.body).group(0)
    assert memberships.invitation_for_token(link.rstrip("/").rsplit("/", 1)[1]) == invitation
    assert not Membership.objects.filter(user__email="ny.kollega@strangnas.se").exists()
    assert "invitation sent" in security_log.text
    assert "ny.kollega@strangnas.se" in client.get(PEOPLE).content.decode()


@pytest.mark.parametrize("to", ["someone else", "themselves"])
def test_the_takeover_of_a_police_area_serving_eskilstuna_is_refused(client, world, police_area, security_log, to):
    """A Strängnäs coordinator adds a coordinator to the police area that also serves Eskilstuna (issue 12)."""
    world.coordinator.email = "samordnare@strangnas.se"
    world.coordinator.save()
    email = "kapare@example.se" if to == "someone else" else "samordnare@strangnas.se"
    client.force_login(world.coordinator)
    response = client.post(INVITE, invitation_form(world, email=email, organisation=police_area.pk, role="coordinator"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    if to == "themselves":
        assert errors["email"] == [
            "Du kan inte ge dig själv en roll eller ändra din egen. Be en annan samordnare eller en administratör."
        ]
    else:
        assert "organisation" in errors and "alla kommuner" in errors["organisation"][0]
    assert "Inget sparades" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox
    assert not Membership.objects.filter(organisation=police_area, role="coordinator").exists()
    [line] = refusals(security_log)
    assert f"invite by={world.coordinator.pk} organisation={police_area.pk} role=coordinator" in line


def test_the_takeover_through_a_change_of_role_is_refused(client, world, police_area, security_log):
    """The same coordinator makes the police area's recorder its coordinator instead."""
    membership = membership_of(world.police_recorder)
    client.force_login(world.coordinator)
    page = client.get(change_url(membership))
    assert page.status_code == 200 and "alla kommuner" in page.content.decode()
    response = change(client, membership, {"role": "coordinator", "reason": REASON})
    assert response.status_code == 200
    assert "alla kommuner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "recorder" and not membership.history.exclude(history_type="+").exists()
    assert refusals(security_log)


def test_a_coordinator_does_not_give_themselves_the_council_role(client, world, settings, security_log):
    world.coordinator.email = "samordnare@strangnas.se"
    world.coordinator.save()
    client.force_login(world.coordinator)
    own = membership_of(world.coordinator)
    for allowed in (False, True):
        settings.COORDINATORS_MAY_GRANT_COUNCIL = allowed
        response = client.post(INVITE, invitation_form(world, email="SAMORDNARE@strangnas.se", role="council"))
        assert "Du kan inte ge dig själv en roll" in response.content.decode()
        response = change(client, own, {"role": "council", "reason": "Jag sitter i rådet"})
        assert "Du kan inte ge dig själv en roll" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "coordinator" and not Invitation.objects.exists()
    assert len(refusals(security_log)) == 4


def test_the_council_role_is_offered_only_where_the_setting_allows_it(client, world, settings, security_log):
    client.force_login(world.coordinator)
    response = client.post(INVITE, invitation_form(world, role="council"))
    assert response.context["form"].errors["role"] == ["Bara en administratör kan ge rollen rådsledamot."]
    assert "council" not in [value for value, _label in response.context["form"].fields["role"].widget.choices]
    assert refusals(security_log) and not Invitation.objects.exists()
    settings.COORDINATORS_MAY_GRANT_COUNCIL = True
    assert client.post(INVITE, invitation_form(world, role="council")).status_code == 302
    assert Invitation.objects.get().role == "council"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "inte en adress"}, "email", "en e-postadress ser ut som namn@kommun.se"),
        ({"email": ""}, "email", "Ange e-postadress."),
        ({"organisation": ""}, "organisation", "Välj organisation."),
        ({"role": "chef"}, "role", "i listan."),
        ({"email": "KOMMUN@strangnas.se"}, "email", "redan medlem"),
    ],
    ids=["not an address", "no address", "no organisation", "no such role", "already a member"],
)
def test_it_refuses_a_bad_invitation_beside_the_field_and_sends_nothing(client, world, changes, field, message):
    world.municipal_recorder.email = "kommun@strangnas.se"
    world.municipal_recorder.save()
    client.force_login(world.coordinator)
    response = client.post(INVITE, invitation_form(world, **changes))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field]), response.context["form"].errors
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_organisation_of_another_municipality_is_no_choice(client, world):
    client.force_login(world.coordinator)
    response = client.post(INVITE, invitation_form(world, organisation=world.foreign_police_organisation.pk))
    assert "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_invitation_link_is_absolute_with_the_host_asked_for(client, world, settings):
    settings.ALLOWED_HOSTS = ["medborgarloften.example.se"]
    client.force_login(world.coordinator)
    client.post(INVITE, invitation_form(world), headers={"host": "medborgarloften.example.se"})
    [message] = mail.outbox
    assert "http://medborgarloften.example.se/inbjudan/" in message.body


# Withdrawing ---------------------------------------------------------------------------------------------


def test_a_coordinator_withdraws_an_invitation_after_a_confirmation(client, world):
    invitation = send(world)
    client.force_login(world.coordinator)
    assert client.get(withdraw_url(invitation)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.state == "open"
    response = client.post(withdraw_url(invitation))
    assert response.status_code == 302 and response.url == PEOPLE
    invitation.refresh_from_db()
    assert (invitation.state, invitation.withdrawn_by) == ("withdrawn", world.coordinator)


def test_an_administrators_council_invitation_is_not_the_coordinators_to_withdraw(client, world, security_log):
    invitation = memberships.invitation_send(
        by=world.administrator,
        email="ledamot@strangnas.se",
        organisation=world.municipal_organisation,
        role="council",
        link_for=lambda token: token,
    )
    client.force_login(world.coordinator)
    assert withdraw_url(invitation) not in client.get(PEOPLE).content.decode()
    assert "Bara en administratör" in client.get(withdraw_url(invitation)).content.decode()
    response = client.post(withdraw_url(invitation))
    assert "Bara en administratör" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "open" and refusals(security_log)


def test_a_used_invitation_is_not_withdrawn(client, world):
    invitation = send(world)
    memberships.invitation_accept(invitation=invitation, user=make_user("ny.kollega@strangnas.se"))
    client.force_login(world.coordinator)
    response = client.post(withdraw_url(invitation))
    assert response.status_code == 200
    assert "kan inte längre dras tillbaka" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "accepted"


# Changing and ending -------------------------------------------------------------------------------------


def test_a_coordinator_changes_a_role_with_the_reason_kept(client, world, security_log):
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    assert client.get(change_url(membership)).status_code == 200
    response = change(client, membership, {"role": "coordinator", "reason": REASON})
    assert response.status_code == 302 and response.url == PEOPLE
    membership.refresh_from_db()
    assert membership.role == "coordinator"
    entry = membership.history.first()
    assert (entry.history_user, entry.history_change_reason) == (world.coordinator, REASON)
    assert "membership changed" in security_log.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"role": "coordinator", "reason": ""}, "reason", "Ange "),
        ({"role": "coordinator", "reason": "Se 19121212-1212"}, "reason", "samordningsnumret"),
        ({"role": "chef", "reason": REASON}, "role", "i listan."),
        ({"role": "council", "reason": REASON}, "role", "Bara en administratör"),
    ],
    ids=["no reason", "identity number", "no such role", "council"],
)
def test_it_refuses_a_bad_change_beside_the_field(client, world, data, field, message):
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    response = change(client, membership, data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    membership.refresh_from_db()
    assert membership.role == "recorder"


def test_a_council_membership_is_not_the_coordinators_to_change(client, world, security_log):
    membership = membership_of(world.council_member)
    client.force_login(world.coordinator)
    response = change(client, membership, {"role": "recorder", "reason": REASON})
    assert response.status_code == 200 and "Bara en administratör" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "council" and refusals(security_log)


def test_a_change_on_a_stale_form_is_refused(client, world):
    """Someone else made the recorder a coordinator while the form was open: recorder again is not forced over it."""
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    shown = client.get(change_url(membership)).context["form"]["seen"].value()
    Membership.objects.filter(pk=membership.pk).update(role="coordinator")
    response = client.post(change_url(membership), {"role": "recorder", "reason": REASON, "seen": shown})
    assert response.status_code == 409
    assert "Någon annan ändrade det här" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "coordinator"


def test_a_coordinator_ends_a_membership_with_the_reason_kept(client, world):
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    assert client.get(end_url(membership)).status_code == 200
    response = client.post(end_url(membership), {"reason": "Har slutat på kommunen"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    ended = Membership.history.get(id=membership.pk, history_type="-")
    assert (ended.history_user, ended.history_change_reason) == (world.coordinator, "Har slutat på kommunen")


def test_ending_needs_a_reason(client, world):
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    response = client.post(end_url(membership), {"reason": " "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_ends_their_own_membership(client, world, security_log):
    own = membership_of(world.coordinator)
    client.force_login(world.coordinator)
    page = client.get(end_url(own)).content.decode()
    assert "Du kan inte ge dig själv en roll" in page and "Avsluta medlemskapet</button>" not in page
    response = client.post(end_url(own), {"reason": "Jag slutar"})
    assert response.status_code == 200
    assert Membership.objects.filter(pk=own.pk).exists() and refusals(security_log)


# Who may -------------------------------------------------------------------------------------------------


def test_the_outsider_gets_404_on_every_strangnas_membership_and_invitation(client, world):
    invitation = send(world)
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.outsider)
    for url in (change_url(membership), end_url(membership), withdraw_url(invitation)):
        assert client.get(url).status_code == 404, url
    assert client.post(change_url(membership), {"role": "coordinator", "reason": REASON}).status_code == 404
    assert client.post(end_url(membership), {"reason": REASON}).status_code == 404
    assert client.post(withdraw_url(invitation)).status_code == 404
    membership.refresh_from_db()
    invitation.refresh_from_db()
    assert membership.role == "recorder" and invitation.state == "open"


def test_the_outsider_cannot_invite_to_strangnas(client, world):
    client.force_login(world.outsider)
    response = client.post(INVITE, invitation_form(world))
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "council_member"])
def test_the_people_pages_are_the_coordinators_alone(client, world, persona):
    invitation = send(world)
    client.force_login(getattr(world, persona))
    membership = membership_of(world.municipal_recorder)
    for url in (PEOPLE, INVITE, change_url(membership), end_url(membership), withdraw_url(invitation)):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, world, method):
    invitation = send(world)
    membership = membership_of(world.municipal_recorder)
    client.force_login(world.coordinator)
    for url in (PEOPLE, INVITE, change_url(membership), end_url(membership), withdraw_url(invitation)):
        assert getattr(client, method)(url).status_code == 405, url
    assert client.post(PEOPLE).status_code == 405
