from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save
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


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Citizen promises")

    def ready(self):
        # Keeps the data versions that cached pages and figures are keyed on in step with every write; the apps
        # above register their own models the same way.
        from . import versions
        from .models import Promise

        versions.connect()
        # A promise's addresses (PromiseAddress) follow its year, slug and municipalities.
        post_save.connect(_sync_after_save, sender=Promise, dispatch_uid="promises.addresses.post_save")
        m2m_changed.connect(
            _sync_after_municipalities_change,
            sender=Promise.municipalities.through,
            dispatch_uid="promises.addresses.m2m",
        )
