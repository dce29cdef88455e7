from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Citizen promises")

    def ready(self):
        # Keeps the data versions that cached pages and figures are keyed on in step with every write; the apps
        # above register their own models the same way.
        from . import versions

        versions.connect()
