"""Who may give whom which role (promises.memberships): nobody widens their own power, every change is on record."""

import datetime
import logging
import re

import pytest
from django.core import mail
from django.utils import timezone

from promises import memberships
from promises.models import Invitation, Membership
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REASON = "Ny kommunpolis i Strängnäs"


def grant(world, *, by=None, user=None, organisation=None, role="recorder"):
    return memberships.membership_grant(
        by=by or world.coordinator,
        user=user or world.outsider,
        organisation=organisation or world.municipal_organisation,
        role=role,
        reason=REASON,
    )


def test_a_coordinator_gives_a_role_in_their_own_organisation_with_who_and_why_on_record(world, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        membership = grant(world)
    entry = membership.history.get()
    assert (entry.history_user, entry.history_change_reason, entry.role) == (world.coordinator, REASON, "recorder")
    assert re.search(rf"membership granted: user={world.outsider.pk} .* by={world.coordinator.pk}", caplog.text)


def test_nobody_gives_themselves_a_role(world, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.security"), pytest.raises(memberships.MembershipRefused):
        grant(world, user=world.coordinator, organisation=world.police_organisation, role="coordinator")
    assert "membership refused" in caplog.text
    assert not Membership.objects.filter(user=world.coordinator, organisation=world.police_organisation).exists()


def test_the_takeover_of_a_police_area_serving_another_municipality_is_refused(world):
    """A police area serves Strängnäs and Eskilstuna: a coordinator of Strängnäs alone gives no role in it."""
    world.police_organisation.municipalities.add(world.eskilstuna)
    other = make_user("kollega")
    with pytest.raises(memberships.MembershipRefused, match="alla kommuner"):
        grant(world, user=other, organisation=world.police_organisation, role="coordinator")
    assert not Membership.objects.filter(user=other).exists()


def test_a_coordinator_does_not_give_the_council_role_unless_the_setting_allows_it(world, settings):
    other = make_user("ledamot")
    with pytest.raises(memberships.MembershipRefused, match="administratör"):
        grant(world, user=other, role="council")
    settings.COORDINATORS_MAY_GRANT_COUNCIL = True
    assert grant(world, user=other, role="council").role == "council"
    # Even then, never to oneself.
    with pytest.raises(memberships.MembershipRefused):
        grant(world, user=world.coordinator, role="council")


def test_a_coordinator_cannot_make_a_recorder_a_council_member_by_changing_the_role(world):
    membership = Membership.objects.get(user=world.municipal_recorder)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_change(by=world.coordinator, membership=membership, role="council", reason=REASON)
    membership.refresh_from_db()
    assert membership.role == "recorder"


def test_nobody_changes_or_ends_their_own_membership(world):
    own = Membership.objects.get(user=world.coordinator)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_change(by=world.coordinator, membership=own, role="recorder", reason=REASON)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_end(by=world.coordinator, membership=own, reason=REASON)
    assert Membership.objects.filter(pk=own.pk, role="coordinator").exists()


def test_ending_a_membership_keeps_who_ended_it_and_why(world):
    membership = Membership.objects.get(user=world.municipal_recorder)
    memberships.membership_end(by=world.coordinator, membership=membership, reason="Slutat på kommunen")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    ended = Membership.history.filter(id=membership.pk, history_type="-").get()
    assert (ended.history_user, ended.history_change_reason) == (world.coordinator, "Slutat på kommunen")


def test_an_outsider_changes_nothing_in_strangnas(world):
    membership = Membership.objects.get(user=world.municipal_recorder)
    with pytest.raises(memberships.MembershipRefused):
        memberships.membership_end(by=world.outsider, membership=membership, reason=REASON)


def test_an_administrator_gives_any_role_but_not_to_themselves(world):
    assert grant(world, by=world.administrator, role="council").role == "council"
    with pytest.raises(memberships.MembershipRefused):
        grant(world, by=world.administrator, user=world.administrator, role="council")


# Invitations ---------------------------------------------------------------------------------------------


def invite(world, *, email="ny.polis@polisen.se", organisation=None, role="recorder", by=None):
    links = []

    def link_for(token):
        links.append(f"https://medborgarloften.example.se/inbjudan/{token}/")
        return links[-1]

    invitation = memberships.invitation_send(
        by=by or world.coordinator,
        email=email,
        organisation=organisation or world.municipal_organisation,
        role=role,
        link_for=link_for,
    )
    return invitation, links[-1].rstrip("/").rsplit("/", 1)[-1]


def test_an_invitation_is_e_mailed_and_gives_nothing_until_accepted(world):
    invitation, token = invite(world)
    [message] = mail.outbox
    assert message.to == ["ny.polis@polisen.se"]
    assert token in message.body and token in message.alternatives[0][0]
    assert "Strängnäs kommun" in message.body
    # Only a hash of the token is stored.
    assert token not in invitation.token_hash
    assert memberships.invitation_for_token(token) == invitation
    assert (
        not Membership.objects.filter(organisation=world.municipal_organisation, role="recorder")
        .exclude(user=world.municipal_recorder)
        .exists()
    )


def test_accepting_makes_the_membership_once(world):
    invitation, _token = invite(world)
    person = make_user("ny.polis@polisen.se")
    membership = memberships.invitation_accept(invitation=invitation, user=person)
    assert (membership.user, membership.role, membership.organisation) == (
        person,
        "recorder",
        world.municipal_organisation,
    )
    with pytest.raises(memberships.MembershipRefused):
        memberships.invitation_accept(invitation=invitation, user=person)


def test_an_expired_invitation_is_refused(world):
    invitation, _token = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(memberships.MembershipRefused, match="gått ut"):
        memberships.invitation_accept(invitation=invitation, user=make_user("sen"))


def test_a_withdrawn_invitation_is_refused(world):
    invitation, _token = invite(world)
    memberships.invitation_withdraw(by=world.coordinator, invitation=invitation)
    with pytest.raises(memberships.MembershipRefused):
        memberships.invitation_accept(invitation=invitation, user=make_user("sen"))


def test_a_new_invitation_replaces_the_open_one(world):
    first, _first_token = invite(world)
    second, _token = invite(world, role="coordinator")
    first.refresh_from_db()
    assert (first.state, second.state) == ("withdrawn", "open")


def test_an_invitation_beyond_the_inviters_power_is_refused(world):
    with pytest.raises(memberships.MembershipRefused):
        invite(world, role="council")
    with pytest.raises(memberships.MembershipRefused):
        invite(world, organisation=world.foreign_police_organisation)
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_invitation_is_refused_at_acceptance_when_the_inviter_has_lost_the_right(world):
    invitation, _token = invite(world)
    Membership.objects.filter(user=world.coordinator).update(role="recorder")
    with pytest.raises(memberships.MembershipRefused):
        memberships.invitation_accept(invitation=invitation, user=make_user("ny"))
