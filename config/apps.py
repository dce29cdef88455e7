from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class PortalAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the portal's site as ``admin.site`` (config.admin_site)."""

    default_site = "config.admin_site.PortalAdminSite"


class PortalTasksConfig(TasksAppConfig):
    """django-tasks-db's queue, named in the admin in the reader's language: its own name, "Tasks Database Backend",
    is not marked for translation (an app's name is not part of any migration, so this changes nothing stored)."""

    verbose_name = _("Background tasks")


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
