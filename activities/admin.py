from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from promises.admin import (
    AdministratorsAdminMixin,
    AdministratorsInlineMixin,
    PromiseAdmin,
    ReadableHistoryAdmin,
    RetiredFilter,
    RetiredNotDeletedAdmin,
)
from promises.fields import BIGINT
from promises.models import Municipality, Organisation, Promise
from promises.scope import scope_for

from .forms import ActivityAdminForm, EventAdminForm, RecordAdminForm
from .models import Activity, ActivityKind, ActivityRecord, PlannedEvent


@admin.register(ActivityKind)
class ActivityKindAdmin(RetiredNotDeletedAdmin, AdministratorsAdminMixin, ReadableHistoryAdmin):
    """A catalogue shared by every municipality, kept by the national administrators."""

    list_display = ["name", "slug", "retired_at"]
    list_filter = [RetiredFilter]
    readonly_fields = ["retired_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ActivityInline(AdministratorsInlineMixin, admin.StackedInline):
    model = Activity
    extra = 0
    fields = [
        ("order", "title"),
        ("focus_area", "kind", "recurrence"),
        ("target_count", "unit", "unit_singular"),
        ("target_window_start", "target_window_end", "target_per_municipality"),
        "is_internal",
        "target_places",
        "lead_organisation",
        "partner_organisations",
    ]
    filter_horizontal = ["target_places", "partner_organisations"]
    show_change_link = True

    form = ActivityAdminForm


# A promise's activities are edited on its page, below its focus areas.
PromiseAdmin.inlines = [*PromiseAdmin.inlines, ActivityInline]


class RecordInline(AdministratorsInlineMixin, admin.TabularInline):
    model = ActivityRecord
    extra = 0
    fields = ["occurred_on", "place", "place_text", "quantity", "summary", "recorded_by", "voided_at"]
    readonly_fields = ["recorded_by", "voided_at"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        # Existing records are corrected one at a time, where the lock on approved tertials is checked.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    form = ActivityAdminForm
    list_display = [
        "title",
        "promise",
        "kind",
        "target_count",
        "unit",
        "recurrence",
        "is_internal",
        "lead_organisation",
    ]
    list_filter = [
        "promise__year",
        "promise__municipalities",
        "kind",
        ("lead_organisation", admin.RelatedOnlyFieldListFilter),
        "recurrence",
        "is_internal",
        "promise__status",
    ]
    search_fields = ["title", "description", "promise__title"]
    list_select_related = ["promise", "kind", "lead_organisation"]
    filter_horizontal = ["partner_organisations", "target_places"]
    inlines = [RecordInline]

    def get_inlines(self, request, obj):
        # Records belong to an activity that exists: on the add page their rules (period, lock) cannot be checked.
        return self.inlines if obj is not None else []

    fieldsets = [
        (None, {"fields": ["promise", "focus_area", "order", "title", "kind", "description", "is_internal"]}),
        (
            _("Target"),
            {
                "fields": [
                    ("target_count", "unit", "unit_singular"),
                    "target_places",
                    "recurrence",
                    ("target_window_start", "target_window_end"),
                    "target_per_municipality",
                ]
            },
        ),
        (_("Organisations"), {"fields": ["lead_organisation", "partner_organisations"]}),
    ]

    def save_formset(self, request, form, formset, change):
        records = formset.save(commit=False)
        for record in records:
            if isinstance(record, ActivityRecord) and not record.recorded_by_id:
                record.recorded_by = request.user
            record.save()
        formset.save_m2m()


class VoidedFilter(admin.SimpleListFilter):
    title = _("voided")
    parameter_name = "voided"

    def lookups(self, request, model_admin):
        return [("no", _("Counted")), ("yes", _("Voided"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.active()
        if self.value() == "yes":
            return queryset.voided()
        return queryset


class ScopedChoiceFilter(admin.SimpleListFilter):
    """A filter offering only the choices within the user's scope, read from the small tables.

    Django's related-field filters either list every row of the country (290 municipalities) or, as
    ``RelatedOnlyFieldListFilter``, find the choices with a DISTINCT over every record in the list, which read
    the national records table on every page view (10 ms at full size).
    """

    lookup = ""  # the records' lookup the chosen id filters on

    def choices_for(self, user):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in self.choices_for(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # ASCII digits that a bigint column holds; anything else names nothing.
        if not (value.isascii() and value.isdigit()) or int(value) not in BIGINT:
            return queryset.none()
        return queryset.filter(**{self.lookup: int(value)})


class MunicipalityFilter(ScopedChoiceFilter):
    title = _("municipality")
    parameter_name = "municipality"
    lookup = "activity__promise__municipalities"

    def choices_for(self, user):
        return Municipality.objects.in_scope_of(user).order_by("name").values_list("pk", "name")


class LeadOrganisationFilter(ScopedChoiceFilter):
    title = _("lead organisation")
    parameter_name = "lead_organisation"
    lookup = "activity__lead_organisation"

    def choices_for(self, user):
        organisations = Organisation.objects.order_by("name")
        if not scope_for(user).is_administrator:
            organisations = organisations.filter(municipalities__in=Municipality.objects.in_scope_of(user)).distinct()
        return organisations.values_list("pk", "name")


class PromiseYearFilter(admin.SimpleListFilter):
    """The records of one year's promises, by default the newest year up to now, or of all years (``year=all``).

    A coordinator's list of ten years of records, newest first, would make the database walk the national
    records table by date until it had found a page of theirs (13 ms at national size, and growing with the
    country); one year's activities are few, so their records are found by index and sorted (under 1 ms).
    """

    title = _("year")
    parameter_name = "year"
    ALL = "all"

    def _years(self, request):
        """{year: whether a signed or closed promise has it}, newest first, for the user's municipalities."""
        if not hasattr(self, "_scope_years"):
            years = {}
            promises = Promise.objects.in_scope_of(request.user)
            for year, status in promises.values_list("year", "status").order_by("-year"):
                years[year] = years.get(year, False) or status in Promise.PUBLIC_STATUSES
            self._scope_years = years
        return self._scope_years

    def default_year(self, request):
        """The newest year up to now with a signed promise: the one records are being logged for."""
        years = self._years(request)
        this_year = timezone.localdate().year
        return next((year for year, signed in years.items() if signed and year <= this_year), this_year)

    def lookups(self, request, model_admin):
        self._default = str(self.default_year(request))
        return [(str(year), str(year)) for year in self._years(request)] + [(self.ALL, _("All years"))]

    def choices(self, changelist):
        chosen = self.value() or self._default
        for value, label in self.lookup_choices:
            yield {
                "selected": chosen == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or str(self.default_year(request))
        if value == self.ALL:
            return queryset
        if not value.isdigit() or len(value) > 4:
            return queryset.none()
        # The year's activity ids as a list, not a join to promises: with the join the planner hashed the
        # records of every promise in scope (10 ms a query at national size).
        activities = Activity.objects.in_scope_of(request.user).filter(promise__year=int(value))
        return queryset.filter(activity_id__in=list(activities.values_list("pk", flat=True).order_by().distinct()))


class CappedCountPaginator(Paginator):
    """Counts at most CAP rows: a national records table must not be counted in full on every page view.

    Beyond the cap the list says "10 001" and offers the first hundred pages; filters and the date
    hierarchy narrow it down to the rest.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP + 1].count()


@admin.register(ActivityRecord)
class ActivityRecordAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    """Every record, for the national administrators; staff correct and void records in the staff pages."""

    list_display = ["occurred_on", "activity", "quantity", "place", "place_text", "recorded_by", "voided_at"]
    list_filter = [
        VoidedFilter,
        PromiseYearFilter,
        MunicipalityFilter,
        "activity__kind",
        LeadOrganisationFilter,
    ]
    search_fields = ["summary", "place_text", "activity__title"]
    date_hierarchy = "occurred_on"
    list_select_related = ["activity", "place", "recorded_by"]
    # Counting every row of a national table on each page view is what makes admin lists slow.
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Fifty rows, not Django's hundred: drawing the rows through the admin's templates is most of the page's cost
    # (docs/PERFORMANCE.md), and an administrator narrows the list with the filters rather than scrolling it.
    list_per_page = 50
    filter_horizontal = ["participating_organisations"]
    fields = [
        "activity",
        "occurred_on",
        ("place", "place_text"),
        ("quantity", "confirm_quantity"),
        "participating_organisations",
        "summary",
        "recorded_by",
        ("voided_at", "voided_by", "void_reason"),
    ]
    readonly_fields = ["recorded_by", "voided_at", "voided_by", "void_reason"]
    form = RecordAdminForm

    def get_fields(self, request, obj=None):
        # The version the change form was made on, compared when it is saved (AdminRefusesStaleEdits).
        return [*self.fields, "seen"] if obj is not None else self.fields

    def has_change_permission(self, request, obj=None):
        # A voided record is closed, and one in an approved tertial is locked until the report returns to draft.
        if obj is not None and (obj.is_voided or obj.is_locked()):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


class CancelledFilter(admin.SimpleListFilter):
    title = _("cancelled")
    parameter_name = "cancelled"

    def lookups(self, request, model_admin):
        return [("no", _("Going ahead")), ("yes", _("Cancelled"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(cancelled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(cancelled_at__isnull=False)
        return queryset


@admin.register(PlannedEvent)
class PlannedEventAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    """Coordinators announce the events citizens may join; they show on the public pages and in the calendar."""

    list_display = ["starts_at", "title", "activity", "place", "cancelled_at"]
    list_filter = [
        CancelledFilter,
        "activity__promise__municipalities",
        "activity__kind",
        "activity__promise__year",
    ]
    search_fields = ["title", "description", "place_text", "activity__title"]
    date_hierarchy = "starts_at"
    list_select_related = ["activity", "place"]
    fields = [
        "activity",
        "title",
        ("starts_at", "ends_at"),
        ("place", "place_text"),
        "description",
        "cancelled_at",
        "record",
        "created_by",
    ]
    # Cancelling is the action below, so that the calendar learns of it; the record is linked by logging the event.
    readonly_fields = ["cancelled_at", "record", "created_by"]
    actions = ["cancel"]
    form = EventAdminForm

    def get_fields(self, request, obj=None):
        # The version the change form was made on, compared when it is saved (AdminRefusesStaleEdits).
        return [*self.fields, "seen"] if obj is not None else self.fields

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Cancel the selected events"), permissions=["change"])
    def cancel(self, request, queryset):
        events = list(queryset.filter(cancelled_at__isnull=True))
        for event in events:
            event.cancel()
        self.message_user(
            request,
            ngettext("%(count)d event was cancelled.", "%(count)d events were cancelled.", len(events))
            % {"count": len(events)},
            messages.SUCCESS,
        )
