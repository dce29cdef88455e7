from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "promises"
    verbose_name = _("Citizen promises")

    def ready(self):
        # Connects the security log's signal receivers (log-ins, failures, lock-outs).
        from config import security_log  # noqa: F401

        # Keeps the data versions that cached pages and figures are keyed on in step with every write.
        from . import versions

        versions.connect()
