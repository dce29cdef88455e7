from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from promises import versions

        from .models import Activity, ActivityKind, ActivityRecord, PlannedEvent

        versions.register_under_promise(Activity, path="activities", parent="promise_id")
        versions.register_under_promise(ActivityRecord, path="activities__records", parent="activity_id")
        versions.register_under_promise(PlannedEvent, path="activities__planned_events", parent="activity_id")
        versions.register_reference(ActivityKind)
        versions.register_links(
            Activity.partner_organisations.through,
            Activity.target_places.through,
            ActivityRecord.participating_organisations.through,
        )
