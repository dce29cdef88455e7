from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from promises import locks, versions

        from .models import Assessment, Council, Indicator, IndicatorValue, Publication, TertialReport

        versions.register_under_promise(TertialReport, path="reports", parent="promise_id")
        versions.register_under_promise(Indicator, path="indicators", parent="promise_id")
        versions.register_under_promise(Assessment, path="reports__assessments", parent="report_id")
        versions.register_under_promise(Publication, path="reports__publications", parent="report_id")
        versions.register_under_promise(IndicatorValue, path="indicators__values", parent="indicator_id")
        versions.register_reference(Council)
        versions.register_links(Council.municipalities.through)
        # An approved report locks what it was judged on (DESIGN §5): the rule is follow-up's, the lower apps ask.
        locks.register(TertialReport.objects.locks_of)
