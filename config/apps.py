from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the portal's site as ``admin.site`` (config.admin_site)."""

    default_site = "config.admin_site.PortalAdminSite"


class PortalConfig(AppConfig):
    """The project itself, above every app: what it connects at start-up, once every app is ready."""

    name = "config"
    label = "portal"
    verbose_name = "Medborgarlöften"

    def ready(self):
        from allauth.socialaccount.models import SocialApp, SocialToken
        from django.contrib import admin
        from django.urls import register_converter

        from followup.converters import TertialConverter

        # The security log's receivers: log-ins, failures and lock-outs.
        from . import security_log  # noqa: F401

        # Identity providers are registered as promises.IdentityProvider (their secret named, never stored): allauth's
        # own apps and tokens would be a second, unused way, and tokens are not kept (SOCIALACCOUNT_STORE_TOKENS).
        for model in (SocialApp, SocialToken):
            if admin.site.is_registered(model):
                admin.site.unregister(model)

        # Before any URLconf is read: a tertial in a URL is its code, e.g. 2020T1.
        register_converter(TertialConverter, "tertial")
