"""The page an invitation's link opens (/inbjudan/<token>/): reachable without logging in, outside the workspace.

- A link that cannot be used (unknown, expired, withdrawn or already accepted) gets one and the same page, so that
  nobody can tell from it whether a token ever existed.
- A new person chooses their name and a password; their user name is the invited address. They are logged in.
- Someone who already has an account with the address logs in first (the page links to the log-in and back), then
  accepts with one button. Logged in with another account, they are told to log out first.
- Where the organisation has an identity provider, both are offered "Log in with <provider>" instead: the provider's
  verified address is matched to the invitation (config.accounts.IdentityProviderAdapter), which for a new person
  makes the account and accepts the invitation at once, and for an existing one comes back here to accept.
  Coming back to a link one has just accepted that way leads on to one's start page.

The membership exists only once the invitation is accepted (promises.memberships.invitation_accept).
"""

import logging
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from promises import memberships
from promises.forms import InvitedAccountForm
from promises.models import IdentityProvider, Membership
from promises.scope import Role

security = logging.getLogger("portal.security")

# Where each role starts once it has accepted: the page its work begins on.
START = {Role.RECORDER: "activities:mine", Role.COORDINATOR: "workspace:home", Role.COUNCIL: "followup:home"}


def _accepted(request, membership):
    messages.success(
        request,
        _("Welcome! You now work for %(organisation)s as %(role)s.")
        % {"organisation": membership.organisation.name, "role": membership.get_role_display().lower()},
    )
    return redirect(START[membership.role])


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    found = memberships.invitation_for_token(token)
    user = request.user
    if found is not None and found.state == "accepted" and user.is_authenticated and found.accepted_by_id == user.pk:
        # Accepted by this person on signing on through the organisation's provider, which brought them back here.
        membership = Membership.objects.filter(user=user, organisation=found.organisation).first()
        if membership is not None:
            return _accepted(request, membership)
    if found is None or found.state != "open":
        security.info("invitation link not usable: %s", "unknown" if found is None else found.state)
        return render(request, "staff/invitation_unusable.html", status=404)
    context = {"invitation": found}
    if user.is_authenticated:
        if not memberships.invitation_is_for(found, user):
            return render(request, "staff/invitation.html", {**context, "step": "other_account"})
        if request.method == "POST":
            try:
                membership = memberships.invitation_accept(invitation=found, user=user)
            except memberships.MembershipRefused as refused:
                context["refused"] = str(refused)
            else:
                return _accepted(request, membership)
        return render(request, "staff/invitation.html", {**context, "step": "accept"})
    # The organisation's own log-in, coming back to this page (the adapter matches the provider's verified address).
    context["providers"] = list(IdentityProvider.objects.filter(organisation=found.organisation, active=True))
    context["back_here"] = urlencode({"next": request.path})
    if memberships.accounts_with_address(found.email).exists():
        log_in = reverse("login") + "?" + context["back_here"]
        return render(request, "staff/invitation.html", {**context, "step": "log_in", "log_in": log_in})
    form = InvitedAccountForm(request.POST or None, email=found.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = memberships.invitation_accept_new_account(
                invitation=found,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except memberships.MembershipRefused as refused:
            form.add_error(None, str(refused))
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _accepted(request, membership)
    return render(request, "staff/invitation.html", {**context, "step": "new", "form": form})
