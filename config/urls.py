from allauth.account import views as account_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from config import accounts, health, views
from staff.urls import activities_urls, followup_urls, style_urls, todo_urls, workspace_urls
from staff.views import invitations

log_in = accounts.with_identity_providers_in_csp(account_views.login)

# The page an invitation's e-mail links to: outside the workspace, for people who may have no account yet. It offers
# the log-in through the organisation's identity provider, so its forms may lead there too.
invitation_urls = (
    [path("inbjudan/<str:token>/", accounts.with_identity_providers_in_csp(invitations.invitation), name="accept")],
    "invitation",
)

urlpatterns = [
    path("health/", health.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("session/forlang/", views.session_keepalive, name="session_keepalive"),
    path("logga-in/", log_in, name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", set_language, name="set_language"),
    # The admin's password change is the portal's own (config.accounts), for administrators as for everyone.
    path("admin/password_change/", accounts.admin_password_change),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    # Accounts (django-allauth, config/accounts.py): "Mitt konto", password reset and change, the second factor,
    # and log-in through an organisation's identity provider. allauth's own log-in address is the portal's.
    path("konto/", accounts.account_home, name="account"),
    path("konto/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    # Not offered: a person's e-mail address is kept by the invitation and the administrator, and an identity
    # provider is connected by signing in through it, not from a page of connections.
    path("konto/email/", accounts.not_offered, name="account_email"),
    path("konto/confirm-email/", accounts.not_offered, name="account_email_verification_sent"),
    path("konto/confirm-email/<str:key>/", accounts.not_offered, name="account_confirm_email"),
    path("konto/3rdparty/", accounts.not_offered, name="socialaccount_connections"),
    path(
        "konto/oidc/<str:provider_id>/login/",
        accounts.with_identity_providers_in_csp(oidc_views.login),
        name="openid_connect_login",
    ),
    # The second step of the log-in offers only the factors the person has; the last security key of someone whose
    # organisation requires a second factor is not removed (config.accounts). Both at allauth's own addresses.
    path("konto/2fa/authenticate/", accounts.second_factor, name="mfa_authenticate"),
    path("konto/2fa/webauthn/keys/<int:pk>/remove/", accounts.remove_security_key, name="mfa_remove_webauthn"),
    path("konto/", include("allauth.urls")),
    # The log-in under the name allauth reverses, after its own (of two patterns with one name, the last is
    # reversed), so that its redirects to the log-in land on the portal's address.
    path("logga-in/", log_in, name="account_login"),
    path("", include(activities_urls)),
    path("", include(followup_urls)),
    path("", include(workspace_urls)),
    path("", include(invitation_urls)),
    path("", include(todo_urls)),
    path("", include(style_urls)),
    # Last: the public pages start with a municipality's slug.
    path("", include("public.urls")),
]
