from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from promises.admin import ScopedAdminMixin, ScopedInlineMixin
from promises.scope import Role

from .models import Assessment, Council, Indicator, IndicatorValue, Publication, TertialReport


@admin.register(Council)
class CouncilAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_roles = (Role.COORDINATOR, Role.COUNCIL)
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


class AssessmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Assessment
    extra = 0
    fields = ["activity", "status", "comment", "comment_public", "verdict", "verdict_reason", "verdict_explanation"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PublicationInline(ScopedInlineMixin, admin.TabularInline):
    """The published editions, shown only: an edition is never changed once published."""

    model = Publication
    extra = 0
    fields = ["edition", "published_at", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TertialReport)
class TertialReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Reports are read here; their workflow (submit, approve, publish) belongs to the follow-up pages."""

    scope_path = "promise__municipalities"
    view_roles = (Role.COORDINATOR, Role.COUNCIL)
    manage_roles = ()
    administrators_only = True
    list_display = ["promise", "year", "number", "status", "meeting_date", "approved_at", "published_at"]
    list_filter = ["status", "year", "number", "promise__municipalities"]
    search_fields = ["promise__title", "summary"]
    list_select_related = ["promise"]
    readonly_fields = ["revision", "snapshot", "approved_by", "approved_at", "published_at", "correction_reason"]
    inlines = [AssessmentInline, PublicationInline]

    # Reports move only through their workflow (followup.services): there an approval freezes a snapshot and
    # every step checks the revision. An edit here would bypass both, so the admin only shows them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorValueInline(ScopedInlineMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 1
    fields = ["year", "number", "measured_on", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_path = "promise__municipalities"
    list_display = ["name", "promise", "unit", "better", "source"]
    list_filter = ["promise__year", "promise__municipalities", "better"]
    search_fields = ["name", "source"]
    list_select_related = ["promise"]
    inlines = [IndicatorValueInline]
