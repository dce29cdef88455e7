"""Accounts on django-allauth (issue 16): log-in, password reset and change, a second factor, and single sign-on.

- **Log-in** stays at /logga-in/ with the fields ``username`` and ``password``, so django-axes (the first
  authentication backend) counts and locks failed log-ins as before; allauth's own log-in limits are off.
- **Nobody signs up**: accounts come from invitations (staff.views.invitations) or, for an invited address, from
  the first log-in through the organisation's identity provider.
- **A second factor** (an authenticator app (TOTP) or a security key / passkey (WebAuthn), with single-use recovery
  codes) is each person's choice, and an obligation for the members of an organisation whose ``requires_mfa`` an
  administrator has set: :class:`RequireMultiFactorMiddleware` sends them to set one up before any other page, and
  :class:`MFAAdapter` refuses to remove the last one.
- **Single sign-on** through an organisation's OpenID Connect provider (promises.IdentityProvider): only a verified
  address in one of its allowed domains is accepted, matched to an existing or invited account by that address
  (never by a personal identity number); of the provider's claims only the subject and the address are kept.
"""

import logging
import os
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.views import AuthenticateView
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.contrib import messages
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.middleware import is_logged_in
from promises import memberships
from promises.models import IdentityProvider, Invitation, Membership
from promises.scope import scope_for

security = logging.getLogger("portal.security")

# The only claims kept of what a provider tells about a person (SocialAccount.extra_data).
KEPT_CLAIMS = ("sub", "email")


# Log-in ------------------------------------------------------------------------------------------------------


class LoginForm(AllauthLoginForm):
    """allauth's log-in form with Django's field names, ``username`` and ``password``, which axes reads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields.pop("login")
        username.label = _("User name")
        username.widget.attrs.pop("placeholder", None)
        username.widget.attrs["autocapitalize"] = "none"
        password = self.fields.pop("password")
        password.help_text = ""
        self.fields = {"username": username, "password": password, **self.fields}

    def clean(self):
        if "username" in self.cleaned_data:
            self.cleaned_data["login"] = self.cleaned_data["username"].strip()
        return super().clean()


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("Please enter a correct user name and password."),
    }

    def is_open_for_signup(self, request):
        """Accounts come from invitations; there is no sign-up page."""
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        """A log-in in the last few minutes (ACCOUNT_REAUTHENTICATION_TIMEOUT) counts as having just confirmed it is
        you, so that the second factor can be set up right after logging in; later, the password is asked again."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return True
        records = get_authentication_records(request, user)
        return not records or time.time() - records[-1].get("at", 0) >= account_settings.REAUTHENTICATION_TIMEOUT


def admin_password_change(request):
    """The admin's password change is the portal's, for everyone: the admin's own sends non-staff to its log-in."""
    return redirect("account_change_password")


def not_offered(request, *args, **kwargs):
    """allauth pages the portal does not offer (e-mail addresses are kept by the invitation and the administrator)."""
    raise Http404


def account_home(request):
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    factors = set(
        Authenticator.objects.filter(user=request.user, type__in=SECOND_FACTORS).values_list("type", flat=True)
    )
    return render(
        request,
        "account/home.html",
        {
            "has_totp": Authenticator.Type.TOTP in factors,
            "has_security_key": Authenticator.Type.WEBAUTHN in factors,
            "has_password": request.user.has_usable_password(),
        },
    )


# A second factor ----------------------------------------------------------------------------------------------

# What counts as a second factor: an authenticator app or a security key. Recovery codes only stand in for one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def second_factor_required(user) -> bool:
    """Whether ``user`` belongs to an organisation that requires a second factor."""
    return Membership.objects.filter(user=user, organisation__requires_mfa=True).exists()


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa with the portal's rules: the last second factor of someone whose organisation requires one stays,
    and a security key is told the portal's name rather than the host's."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your organisation requires a second factor, and this is your only one. Add another one (an "
            "authenticator app or a security key) before you remove this one."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type not in SECOND_FACTORS:
            return True
        others = Authenticator.objects.filter(user_id=authenticator.user_id, type__in=SECOND_FACTORS).exclude(
            pk=authenticator.pk
        )
        return others.exists() or not second_factor_required(authenticator.user)

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # The id stays the host (a key works only on the address it was added on); the name is what a key shows.
        return {**super().get_public_key_credential_rp_entity(), "name": settings.MFA_TOTP_ISSUER}


class AddSecurityKeyForm(AddWebAuthnForm):
    """allauth's form for a new key, with the portal's words (the key itself is asked for by webauthn.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _("For example “Yubikey on my key ring” or “My work laptop”.")
        self.fields["credential"].error_messages["required"] = _(
            "No key was added: press “Add the key” and use your security key."
        )


class RenameSecurityKeyForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")


class RemoveSecurityKeyView(RemoveWebAuthnView):
    """allauth's removal of a security key (only the person's own: another's is 404), refused for the last second
    factor of someone whose organisation requires one. allauth checks that only for the authenticator app."""

    def get_context_data(self, **kwargs):
        context_data = super().get_context_data(**kwargs)
        adapter = get_mfa_adapter()
        context_data["can_remove"] = adapter.can_delete_authenticator(self.object)
        context_data["refusal"] = adapter.error_messages["cannot_delete_authenticator"]
        return context_data

    def form_valid(self, form):
        adapter = get_mfa_adapter()
        if not adapter.can_delete_authenticator(self.object):
            messages.error(self.request, adapter.error_messages["cannot_delete_authenticator"])
            return redirect("mfa_list_webauthn")
        return super().form_valid(form)


remove_security_key = RemoveSecurityKeyView.as_view()


class SecondFactorView(AuthenticateView):
    """allauth's second step of the log-in, told which factors the person has, so the page offers only those."""

    def get_context_data(self, **kwargs):
        context_data = super().get_context_data(**kwargs)
        factors = set(
            Authenticator.objects.filter(user=self.stage.login.user, type__in=SECOND_FACTORS).values_list(
                "type", flat=True
            )
        )
        context_data["has_totp"] = Authenticator.Type.TOTP in factors
        context_data["has_security_key"] = Authenticator.Type.WEBAUTHN in factors
        return context_data


second_factor = SecondFactorView.as_view()


# A second factor an organisation requires ---------------------------------------------------------------------


def must_set_up_second_factor(user) -> bool:
    """Whether ``user`` belongs to an organisation that requires a second factor and has none yet.

    The memberships the user's scope reads (once a request, and every staff page needs it) tell whether any
    organisation requires one: only then is the second factor looked for, in one query.
    """
    if scope_for(user).second_factor_required is False:
        return False
    return (
        Membership.objects.filter(user=user, organisation__requires_mfa=True)
        .exclude(user__in=Authenticator.objects.filter(type__in=SECOND_FACTORS).values("user_id"))
        .exists()
    )


class RequireMultiFactorMiddleware:
    """Sends a member of an organisation that requires a second factor to set one up before any other page.

    The account pages (/konto/), log-out, the language switch, the public health check and static files stay open,
    so the person can set the factor up, or leave.
    """

    OPEN = ("/konto/", "/logga-ut/", "/sprak/", "/health/", "/static/", "/logga-in/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # is_logged_in never loads an empty session, which would add "Vary: Cookie" to every public answer.
        if request.path.startswith(self.OPEN) or not is_logged_in(request):
            return self.get_response(request)
        if must_set_up_second_factor(request.user):
            messages.warning(
                request,
                gettext(
                    "Your organisation requires a second factor: set up an authenticator app or a security key "
                    "before you continue."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)


# Single sign-on ---------------------------------------------------------------------------------------------


def social_app(provider: IdentityProvider) -> SocialApp:
    """The allauth app (never saved) for an identity provider; its secret is read from the named variable."""
    return SocialApp(
        provider="openid_connect",
        provider_id=provider.slug,
        name=provider.name,
        client_id=provider.client_id,
        secret=os.environ.get(provider.secret_variable, ""),
        settings={"server_url": provider.issuer, "oauth_pkce_enabled": True},
    )


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo") or data.get("id_token") or data


def _open_invitations(email):
    return Invitation.objects.open().filter(email__iexact=email).select_related("organisation", "invited_by")


class IdentityProviderAdapter(DefaultSocialAccountAdapter):
    """allauth's OpenID Connect log-in for the providers in promises.IdentityProvider, with the portal's rules."""

    def list_apps(self, request, provider=None, client_id=None):
        apps = []
        for registered in IdentityProvider.objects.filter(active=True):
            app = social_app(registered)
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and app.client_id != client_id:
                continue
            apps.append(app)
        return apps

    def _refuse(self, request, reason, provider):
        security.warning("identity provider log-in refused: provider=%s reason=%s", provider, reason)
        raise ImmediateHttpResponse(
            render(request, "socialaccount/refused.html", {"reason": reason, "login_url": reverse("login")}, status=403)
        )

    def pre_social_login(self, request, sociallogin):
        """Accepts only a verified address in one of the provider's allowed domains; keeps only subject and address."""
        slug = sociallogin.account.provider
        registered = IdentityProvider.objects.filter(slug=slug, active=True).first()
        claims = _claims(sociallogin)
        email = (claims.get("email") or "").strip().lower()
        if registered is None:
            self._refuse(request, "unknown", slug)
        # The verified flag as allauth read it from the claims (email_verified), kept on the log-in's addresses: the
        # account's stored claims are already cut down to subject and address when it was connected before.
        verified = {address.email.strip().lower() for address in sociallogin.email_addresses if address.verified}
        if not email or email not in verified:
            self._refuse(request, "unverified", slug)
        if not registered.allows(email):
            self._refuse(request, "domain", slug)
        sociallogin.account.extra_data = {"userinfo": {key: claims[key] for key in KEPT_CLAIMS if key in claims}}
        if sociallogin.is_existing:
            return
        # Not yet connected: an existing account with the verified address (allauth's e-mail authentication found
        # none, e.g. the address is only its user name, as for invited people) is connected now.
        user = memberships.accounts_with_address(email).filter(is_active=True).order_by("pk").first()
        if user is not None:
            sociallogin.connect(request, user)
            security.info("identity provider connected: provider=%s user=%s", slug, user.pk)

    def is_open_for_signup(self, request, sociallogin):
        """A new account only for an address with an open invitation: the invitation is accepted with it."""
        email = (_claims(sociallogin).get("email") or "").strip()
        return bool(email) and _open_invitations(email).exists()

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # As for invited people: the user name is the (verified, lower-cased) address.
        email = (data.get("email") or "").strip().lower()
        user.username = email
        user.email = email
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        for invitation in _open_invitations(user.email):
            try:
                memberships.invitation_accept(invitation=invitation, user=user)
            except memberships.MembershipRefused as refused:
                security.info("invitation not accepted at sign-on: invitation=%s %s", invitation.pk, refused)
        security.info("account made through an identity provider: user=%s", user.pk)
        return user


@receiver(pre_save, sender=SocialAccount)
def _keep_only_needed_claims(sender, instance, **kwargs):
    """Whatever path saves a connected account, only the subject and the address of its claims are stored."""
    claims = (instance.extra_data or {}).get("userinfo") or (instance.extra_data or {}).get("id_token") or {}
    instance.extra_data = {"userinfo": {key: claims[key] for key in KEPT_CLAIMS if key in claims}}


def with_identity_providers_in_csp(view):
    """The page's forms may lead to the registered providers: CSP form-action allows their origins too."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = sorted({registered.origin for registered in IdentityProvider.objects.filter(active=True)})
        if origins:
            policy = dict(settings.SECURE_CSP)
            policy["form-action"] = [CSP.SELF, *origins]
            response._csp_config = policy
        return response

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped


def identity_providers(request):
    """The active providers, for the buttons on the log-in page."""
    return list(IdentityProvider.objects.filter(active=True))
