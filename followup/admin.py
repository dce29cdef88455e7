from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from promises import locks
from promises.admin import AdministratorsAdminMixin, AdministratorsInlineMixin, ReadableHistoryAdmin

from .models import Assessment, Council, Indicator, IndicatorValue, Publication, TertialReport


@admin.register(Council)
class CouncilAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


class AssessmentInline(AdministratorsInlineMixin, admin.TabularInline):
    model = Assessment
    extra = 0
    fields = ["activity", "status", "comment", "comment_public", "verdict", "verdict_reason", "verdict_explanation"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PublicationInline(AdministratorsInlineMixin, admin.TabularInline):
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
class TertialReportAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    """Reports are read here; their workflow (submit, approve, publish) belongs to the follow-up pages."""

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


class IndicatorValueFormSet(BaseInlineFormSet):
    """A value dated in an approved follow-up is not deleted, as it is not changed (IndicatorValue.clean)."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            lock = form.instance.locked_by() if form.instance.pk else None
            if lock is not None:
                raise ValidationError(locks.locked_message(lock))


class IndicatorValueInline(AdministratorsInlineMixin, admin.TabularInline):
    model = IndicatorValue
    formset = IndicatorValueFormSet
    extra = 1
    fields = ["year", "number", "measured_on", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    list_display = ["name", "promise", "unit", "better", "source"]
    list_filter = ["promise__year", "promise__municipalities", "better"]
    search_fields = ["name", "source"]
    list_select_related = ["promise"]
    inlines = [IndicatorValueInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting the indicator would delete its values, and those of an approved follow-up are kept.
        if obj is not None and any(value.locked_by() for value in obj.values.all()):
            return False
        return super().has_delete_permission(request, obj)
