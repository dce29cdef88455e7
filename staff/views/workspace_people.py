"""The workspace's people: the members of the organisations serving the municipalities the user coordinates, the
invitations still open, and the ways to invite, change a role and end a membership.

A coordinator sees only the people of those organisations, never a list of every user; a new person is invited by
e-mail address. Every change goes through promises.memberships, whose rules (nobody widens their own power) refuse
with a message shown on the page and a line in the security log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from promises import memberships
from promises.forms import InvitationForm, MembershipRoleForm, ReasonForm, people_of
from promises.models import Invitation, Membership
from promises.scope import Role

from ..kept_forms import form_data
from .workspace import require_coordinator

# An administrator sees every organisation's people: a page holds this many organisations.
ORGANISATIONS_PER_PAGE = 20


def _membership_for_coordinator(user, membership_id):
    """A membership of an organisation whose people the user sees; 404 for anything else."""
    require_coordinator(user)
    found = Membership.objects.in_scope_of(user, Role.COORDINATOR).select_related("user", "organisation")
    return get_object_or_404(found, pk=membership_id)


def _invitation_for_coordinator(user, invitation_id):
    """An invitation to an organisation whose people the user sees; 404 for anything else."""
    require_coordinator(user)
    found = Invitation.objects.in_scope_of(user, Role.COORDINATOR).select_related("organisation", "invited_by")
    return get_object_or_404(found, pk=invitation_id)


def _refusal_of(user, membership):
    """Why the user may not change or end the membership, or None when they may."""
    return memberships.refusal(
        by=user, organisation=membership.organisation, role=membership.role, to_user=membership.user
    )


def _person(user):
    return user.get_full_name() or user.get_username()


def _names(invitation):
    return {
        "email": invitation.email,
        "organisation": invitation.organisation.name,
        "role": invitation.get_role_display().lower(),
    }


@login_required
@require_safe
def people(request):
    """Each organisation's members with their roles, and its open invitations: a fixed number of queries."""
    require_coordinator(request.user)
    organisations = people_of(request.user).prefetch_related("municipalities")
    page = Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("sida"))
    shown = list(page)
    members = {organisation.pk: [] for organisation in shown}
    for membership in (
        Membership.objects.filter(organisation__in=shown)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    ):
        members[membership.organisation_id].append(membership)
    invitations = {organisation.pk: [] for organisation in shown}
    for invitation in (
        Invitation.objects.open().filter(organisation__in=shown).select_related("invited_by").order_by("created_at")
    ):
        invitations[invitation.organisation_id].append(invitation)
    groups = []
    for organisation in shown:
        grantable = memberships.grantable_roles(request.user, organisation)
        for membership in members[organisation.pk]:
            membership.may_change = membership.user_id != request.user.pk and membership.role in grantable
        for invitation in invitations[organisation.pk]:
            invitation.may_withdraw = invitation.role in grantable
        groups.append(
            {
                "organisation": organisation,
                "members": members[organisation.pk],
                "invitations": invitations[organisation.pk],
                "may_give": bool(grantable),
            }
        )
    context = {"groups": groups, "page": page, "may_invite": any(group["may_give"] for group in groups)}
    return render(request, "staff/workspace/people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    """Invites a person by e-mail address; the link in the e-mail leads to the invitation page."""
    require_coordinator(request.user)
    form = InvitationForm(form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = memberships.invitation_send(
                by=request.user,
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                link_for=lambda token: request.build_absolute_uri(reverse("invitation:accept", args=[token])),
            )
        except memberships.MembershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("An invitation was e-mailed to %(email)s. The role is theirs once they accept it.")
                % {"email": invitation.email},
            )
            return redirect("workspace:people")
    return render(request, "staff/workspace/invite.html", {"form": form, "days": memberships.INVITATION_DAYS})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_withdraw(request, invitation_id):
    invitation = _invitation_for_coordinator(request.user, invitation_id)
    refused = None
    if request.method == "POST":
        try:
            memberships.invitation_withdraw(by=request.user, invitation=invitation)
        except memberships.MembershipRefused as refusal:
            refused = str(refusal)
        else:
            messages.success(
                request, _("The invitation of %(email)s was withdrawn: its link no longer works.") % _names(invitation)
            )
            return redirect("workspace:people")
    elif invitation.state != "open":
        refused = _("This invitation can no longer be withdrawn.")
    else:
        refused = memberships.refusal(by=request.user, organisation=invitation.organisation, role=invitation.role)
    context = {
        "heading": _("Withdraw the invitation"),
        "subject": invitation,
        "back_url": reverse("workspace:people"),
        "back_label": _("People"),
        "explanation": [
            _(
                "%(email)s was invited to %(organisation)s as %(role)s. Once withdrawn, the link in the e-mail "
                "no longer works."
            )
            % _names(invitation)
        ],
        "refused": refused,
        "button": _("Withdraw the invitation"),
    }
    return render(request, "staff/workspace/confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_change(request, membership_id):
    """Gives a member another role, with a reason kept in the membership's history."""
    membership = _membership_for_coordinator(request.user, membership_id)
    form = MembershipRoleForm(form_data(request), user=request.user, membership=membership)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            changed = memberships.membership_change(
                by=request.user, membership=membership, role=role, reason=form.cleaned_data["reason"]
            )
        except memberships.MembershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s in %(organisation)s.")
                % {
                    "person": _person(changed.user),
                    "role": changed.get_role_display().lower(),
                    "organisation": changed.organisation.name,
                },
            )
            return redirect("workspace:people")
    context = {"form": form, "membership": membership, "refused": _refusal_of(request.user, membership)}
    return render(request, "staff/workspace/membership_form.html", context, status=409 if form.stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, membership_id):
    """Ends a membership, with a reason kept in its history; the person keeps their other memberships."""
    membership = _membership_for_coordinator(request.user, membership_id)
    form = ReasonForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            memberships.membership_end(by=request.user, membership=membership, reason=form.cleaned_data["reason"])
        except memberships.MembershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(person)s is no longer a member of %(organisation)s.")
                % {"person": _person(membership.user), "organisation": membership.organisation.name},
            )
            return redirect("workspace:people")
    context = {
        "heading": _("End the membership"),
        "subject": membership,
        "back_url": reverse("workspace:people"),
        "back_label": _("People"),
        "explanation": [
            _(
                "%(person)s will no longer work for %(organisation)s in the portal. Records they made stay, with their "
                "name. Say why: the reason is kept in the membership's history."
            )
            % {"person": _person(membership.user), "organisation": membership.organisation.name}
        ],
        "form": form,
        "refused": _refusal_of(request.user, membership),
        "button": _("End the membership"),
    }
    return render(request, "staff/workspace/confirm.html", context)
