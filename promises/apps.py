from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _sync_after_save(sender, instance, raw=False, **kwargs):
    from .models import sync_addresses

    if not raw:
        sync_addresses(instance)


def _sync_after_municipalities_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    from .models import Promise, sync_addresses

    if not action.startswith("post_"):
        return
    if not reverse:
        sync_addresses(instance)
    else:
        # A municipality's promises changed from the municipality's side (rare: the admin's reverse edits).
        for promise in Promise.objects.filter(pk__in=pk_set or ()):
            sync_addresses(promise)


def _renew_scopes(sender, raw=False, **kwargs):
    """Any write that can change someone's scope makes the cached scopes stale (promises.scope)."""
    from .scope import renew_memberships_version

    if not raw:
        renew_memberships_version()


def _renew_scopes_after_m2m(sender, action, **kwargs):
    if action.startswith("post_"):
        _renew_scopes(sender)


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Citizen promises")

    def ready(self):
        # Keeps the data versions that cached pages and figures are keyed on in step with every write; the apps
        # above register their own models the same way.
        from . import versions
        from .models import Promise

        versions.connect()
        # Cached scopes (promises.scope) follow memberships, organisations' municipalities and second-factor rule,
        # and municipalities (a deleted one takes its organisations' links with it, through the links' delete).
        from .models import Membership, Municipality, Organisation

        links = Organisation.municipalities.through
        for model in (Membership, Organisation, Municipality, links):
            post_save.connect(_renew_scopes, sender=model, dispatch_uid=f"promises.scope.save.{model.__name__}")
            post_delete.connect(_renew_scopes, sender=model, dispatch_uid=f"promises.scope.delete.{model.__name__}")
        m2m_changed.connect(_renew_scopes_after_m2m, sender=links, dispatch_uid="promises.scope.m2m")
        # A promise's addresses (PromiseAddress) follow its year, slug and municipalities.
        post_save.connect(_sync_after_save, sender=Promise, dispatch_uid="promises.addresses.post_save")
        m2m_changed.connect(
            _sync_after_municipalities_change,
            sender=Promise.municipalities.through,
            dispatch_uid="promises.addresses.m2m",
        )
