"""Who may give whom which role: memberships granted, changed and ended, and invitations by e-mail.

Two rules hold whatever roles a person holds (DESIGN §2):

- **nobody widens their own power**: no one grants, changes or ends their own membership, and a coordinator
  grants roles only in organisations whose every municipality they coordinate (a police area serving three
  municipalities is granted in by an administrator, or by someone who coordinates all three);
- **the forum's members are chosen elsewhere**: the council role is granted by an administrator, or by a
  coordinator to someone else only where ``COORDINATORS_MAY_GRANT_COUNCIL`` allows it (off by default).

Every change is kept in the membership's history with who made it and why, and written to the security log.
Memberships change only through the functions here, in the staff workspace and in the admin alike.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Invitation, Membership
from .scope import Role, scope_for

security = logging.getLogger("portal.security")

INVITATION_DAYS = 14


class MembershipRefused(Exception):
    """A grant, change or end of a membership that the rules refuse, with a message for the person who asked."""


def refusal(*, by, organisation, role, to_user=None) -> str | None:
    """Why ``by`` may not give ``role`` in ``organisation`` (to ``to_user``, if known), or None when they may."""
    if to_user is not None and to_user.pk == by.pk:
        return _("You cannot give yourself a role or change your own. Ask another coordinator or an administrator.")
    scope = scope_for(by)
    if scope.is_administrator:
        return None
    served = {municipality.pk for municipality in organisation.municipalities.all()}
    if not served or not served <= scope.municipalities_where(Role.COORDINATOR):
        return _("You can give roles only in organisations whose every municipality you coordinate.")
    if role == Role.COUNCIL and not settings.COORDINATORS_MAY_GRANT_COUNCIL:
        return _("Only an administrator gives the role of council member.")
    return None


def grantable_roles(by, organisation) -> list[str]:
    """The roles ``by`` may give in ``organisation`` (to someone else)."""
    return [role for role in Role if refusal(by=by, organisation=organisation, role=role) is None]


def attempt_refusal(*, by, organisation, role, to_user=None, action) -> str | None:
    """:func:`refusal` for something ``by`` asked for (a form they sent): a refusal is written to the security log.

    A form offers only what its user may give, so a refused choice was typed or forged: the log keeps it.
    """
    message = refusal(by=by, organisation=organisation, role=role, to_user=to_user)
    if message:
        security.warning(
            "membership refused: %s by=%s organisation=%s role=%s user=%s",
            action,
            by.pk,
            organisation.pk,
            role,
            to_user.pk if to_user else "-",
        )
    return message


def _check(*, by, organisation, role, to_user, action):
    message = attempt_refusal(by=by, organisation=organisation, role=role, to_user=to_user, action=action)
    if message:
        raise MembershipRefused(message)


@transaction.atomic
def membership_grant(*, by, user, organisation, role, reason) -> Membership:
    """Gives ``user`` the role in the organisation (changing the role they have there, if any)."""
    _check(by=by, organisation=organisation, role=role, to_user=user, action="grant")
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is not None:
        return membership_change(by=by, membership=membership, role=role, reason=reason)
    membership = Membership(user=user, organisation=organisation, role=role)
    membership._history_user = by
    membership._change_reason = _reason(reason)
    membership.save()
    security.info("membership granted: user=%s organisation=%s role=%s by=%s", user.pk, organisation.pk, role, by.pk)
    return membership


@transaction.atomic
def membership_change(*, by, membership, role, reason) -> Membership:
    """Gives the member another role; both the old role and the new must be ``by``'s to give."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    for checked in {membership.role, role}:
        _check(by=by, organisation=membership.organisation, role=checked, to_user=membership.user, action="change")
    if membership.role == role:
        return membership
    before = membership.role
    membership.role = role
    membership._history_user = by
    membership._change_reason = _reason(reason)
    membership.save()
    security.info(
        "membership changed: user=%s organisation=%s role=%s->%s by=%s",
        membership.user_id,
        membership.organisation_id,
        before,
        role,
        by.pk,
    )
    return membership


@transaction.atomic
def membership_end(*, by, membership, reason) -> None:
    """Ends the membership; its history keeps who ended it and why."""
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    _check(by=by, organisation=membership.organisation, role=membership.role, to_user=membership.user, action="end")
    membership._history_user = by
    membership._change_reason = _reason(reason)
    membership.delete()
    security.info(
        "membership ended: user=%s organisation=%s role=%s by=%s",
        membership.user_id,
        membership.organisation_id,
        membership.role,
        by.pk,
    )


def _reason(text) -> str:
    # History's change_reason column holds 100 characters.
    text = " ".join((text or "").split())
    return text if len(text) <= 100 else text[:99] + "…"


# Invitations ----------------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_send(*, by, email, organisation, role, link_for, language=None) -> Invitation:
    """Invites ``email`` to the role in the organisation and e-mails the link ``link_for(token)``.

    The same rules as a grant apply, to the invitation and again when it is accepted. An open invitation of the
    same address to the same organisation is replaced, so a new e-mail never leaves two links that both work.
    """
    email = email.strip().lower()
    own = get_user_model().objects.filter(email__iexact=email, pk=by.pk).exists()
    _check(by=by, organisation=organisation, role=role, to_user=by if own else None, action="invite")
    now = timezone.now()
    for earlier in Invitation.objects.open(now).filter(email__iexact=email, organisation=organisation):
        earlier.withdrawn_at, earlier.withdrawn_by = now, by
        earlier._history_user = by
        earlier._change_reason = "Ersatt av en ny inbjudan"
        earlier.save()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=_hash(token),
        invited_by=by,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation._history_user = by
    invitation.save()
    _send_invitation(invitation, link_for(token), language=language)
    security.info(
        "invitation sent: invitation=%s organisation=%s role=%s by=%s", invitation.pk, organisation.pk, role, by.pk
    )
    return invitation


def _send_invitation(invitation, link, *, language=None):
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS}
        subject = _("Invitation to Medborgarlöften: %(organisation)s") % {"organisation": invitation.organisation}
        body = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    message = EmailMultiAlternatives(subject, body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token names, whatever its state, or None."""
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("organisation", "invited_by").filter(token_hash=_hash(token)).first()


@transaction.atomic
def invitation_withdraw(*, by, invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != "open":
        raise MembershipRefused(_("This invitation can no longer be withdrawn."))
    _check(by=by, organisation=invitation.organisation, role=invitation.role, to_user=None, action="withdraw")
    invitation.withdrawn_at, invitation.withdrawn_by = timezone.now(), by
    invitation._history_user = by
    invitation.save()
    security.info("invitation withdrawn: invitation=%s by=%s", invitation.pk, by.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user) -> Membership:
    """Makes the invited membership for ``user``, if the invitation is still open and its inviter may still give it."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation", "invited_by").get(pk=invitation.pk)
    )
    if invitation.state != "open":
        raise MembershipRefused(_("This invitation has expired or been withdrawn. Ask for a new one."))
    try:
        membership = membership_grant(
            by=invitation.invited_by,
            user=user,
            organisation=invitation.organisation,
            role=invitation.role,
            reason=_("Accepted an invitation"),
        )
    except IntegrityError:
        raise MembershipRefused(_("This invitation has already been accepted.")) from None
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation._history_user = user
    invitation.save()
    security.info("invitation accepted: invitation=%s user=%s", invitation.pk, user.pk)
    return membership


def accounts_with_address(email):
    """The accounts the invited address already has: by e-mail, or as user name (as invited people have)."""
    return get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email))


def invitation_is_for(invitation, user) -> bool:
    """Whether ``user`` is the account the invitation's address names (the one to accept it while logged in)."""
    email = invitation.email.lower()
    return (user.email or "").lower() == email or user.get_username().lower() == email


@transaction.atomic
def invitation_accept_new_account(*, invitation, first_name, last_name, password) -> Membership:
    """Makes the invited person's account (their user name is the invited address) and accepts the invitation.

    Both happen or neither: a refused acceptance leaves no account behind. An account made with the address
    meanwhile (another tab, another person) refuses this one, so nobody takes over an existing account's name.
    """
    email = invitation.email.lower()
    if len(email) > get_user_model()._meta.get_field("username").max_length:
        raise MembershipRefused(_("This address is too long to be a user name. Ask for an invitation to another one."))
    if accounts_with_address(email).exists():
        raise MembershipRefused(_("There is already an account with this address: log in to accept the invitation."))
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=email, email=email, password=password, first_name=first_name, last_name=last_name
            )
    except IntegrityError:
        raise MembershipRefused(
            _("There is already an account with this address: log in to accept the invitation.")
        ) from None
    security.info("account made for an invitation: invitation=%s user=%s", invitation.pk, user.pk)
    return invitation_accept(invitation=invitation, user=user)
