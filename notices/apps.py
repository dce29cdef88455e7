from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Notices")

    def ready(self):
        from django.db.models.signals import post_save

        from activities.models import PlannedEvent
        from followup.signals import report_changed

        from . import services

        def on_report_changed(sender, *, report, event, by, signal=None, **details):
            services.report_notify(report=report, event=event, by=by, **details)

        def on_event_saved(sender, *, instance, created, raw=False, **kwargs):
            if created and not raw:
                services.event_announced_notify(instance)

        report_changed.connect(on_report_changed, dispatch_uid="notices.report_changed", weak=False)
        post_save.connect(on_event_saved, sender=PlannedEvent, dispatch_uid="notices.event_announced", weak=False)
