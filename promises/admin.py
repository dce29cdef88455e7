from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .fields import BigIntIdChoiceField, BigIntIdMultipleChoiceField
from .models import AccessibilityStatement, FocusArea, Membership, Municipality, Organisation, Place, Promise
from .scope import Role, scope_for

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")


class ScopedChoicesMixin:
    """Relations in the admin's forms offer only the choices inside the user's scope (see scoped_choices)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = scoped_choices(db_field.related_model, request.user)
        if limited is not None:
            kwargs["queryset"] = limited
        kwargs.setdefault("form_class", BigIntIdChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        limited = scoped_choices(db_field.related_model, request.user)
        if limited is not None:
            kwargs["queryset"] = limited
        kwargs.setdefault("form_class", BigIntIdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Limits an admin to the user's municipalities and roles, with the same rules as the staff pages.

    ``scope_path`` is the lookup from the model to a municipality id. Coordinators (and administrators)
    manage; other roles see nothing here unless ``view_roles`` says so. Objects outside the scope answer
    404, as everywhere else in the portal, rather than the admin's usual "does not exist" redirect.
    """

    scope_path = "municipalities"
    view_roles = (Role.COORDINATOR,)
    manage_roles = (Role.COORDINATOR,)
    administrators_only = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = scope_for(request.user)
        if scope.is_administrator:
            return queryset
        ids = queryset.filter(scope.municipality_filter(self.scope_path, *self.view_roles)).values("pk")
        return queryset.filter(pk__in=ids)

    def _has_role(self, request, roles):
        return scope_for(request.user).has_role(*roles)

    def _manages(self, request):
        if self.administrators_only:
            return scope_for(request.user).is_administrator
        return self._has_role(request, self.manage_roles)

    def has_module_permission(self, request):
        return self._has_role(request, self.view_roles)

    def has_view_permission(self, request, obj=None):
        return self._has_role(request, self.view_roles) or self._manages(request)

    def has_add_permission(self, request, *args):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request)

    def has_delete_permission(self, request, obj=None):
        # Public records are kept: only an administrator deletes, and the database protects what is used.
        return scope_for(request.user).is_administrator

    def _404_outside_scope(self, request, object_id):
        if not object_id:
            return
        try:
            found = self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            found = False  # not an id at all, e.g. /admin/promises/promise/abc/change/
        if not found:
            raise Http404(_("Not found."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._404_outside_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._404_outside_scope(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._404_outside_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_outside_scope(request, object_id)
        # History is the record of what happened: it is read, never edited or "reverted" from a page.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInlineMixin(ScopedChoicesMixin):
    """Inlines follow their parent's permissions and offer only choices inside the user's scope."""

    def _manages(self, request):
        return scope_for(request.user).has_role(Role.COORDINATOR)

    def has_view_permission(self, request, obj=None):
        return self._manages(request)

    def has_add_permission(self, request, obj=None):
        return self._manages(request)

    def has_change_permission(self, request, obj=None):
        return self._manages(request)

    def has_delete_permission(self, request, obj=None):
        return self._manages(request)


def scoped_choices(model, user):
    """The choices a user may pick for a relation to ``model`` in a form, or None when not limited.

    A coordinator picks among what lies in the municipalities they coordinate: each model says which rows those
    are with its ``in_scope_of`` QuerySet method. Users have no such method (their model is Django's), so they
    are limited here.
    """
    scope = scope_for(user)
    if scope.is_administrator:
        return None
    if model is get_user_model():
        # Colleagues already in the coordinator's municipalities, and new users not yet in any organisation;
        # never the staff of other municipalities.
        coordinated = scope.municipalities_where(Role.COORDINATOR)
        return model.objects.filter(
            Q(memberships__organisation__municipalities__in=coordinated) | Q(memberships__isnull=True),
            is_active=True,
        ).distinct()
    in_scope_of = getattr(model._default_manager, "in_scope_of", None)
    if in_scope_of is None:
        return None
    choices = in_scope_of(user, Role.COORDINATOR)
    if model is Place:
        choices = choices.select_related("municipality")
    elif hasattr(model, "promise"):
        choices = choices.select_related("promise")
    return choices


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "pk"
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}

    def has_add_permission(self, request, *args):
        return scope_for(request.user).is_administrator

    def has_change_permission(self, request, obj=None):
        return scope_for(request.user).is_administrator


@admin.register(Place)
class PlaceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "municipality"
    list_display = ["name", "kind", "parent", "municipality"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name"]
    list_select_related = ["municipality", "parent"]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind", "municipalities"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]

    def has_add_permission(self, request, *args):
        return scope_for(request.user).is_administrator

    def has_change_permission(self, request, obj=None):
        return scope_for(request.user).is_administrator


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path = "organisation__municipalities"
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]


class FocusAreaInline(ScopedInlineMixin, admin.StackedInline):
    model = FocusArea
    extra = 0
    fields = ["order", "title", "description"]


@admin.register(Promise)
class PromiseAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "year", "status", "signed_on", "period_start", "period_end", "activity_count"]
    list_filter = ["status", "year", "municipalities"]
    search_fields = ["title", "situation", "pledge"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["municipalities", "signatories"]
    # The apps above add their own inlines (activities.admin adds the activities), so nothing here imports them.
    inlines = [FocusAreaInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "municipalities", "year", "status"]}),
        (_("Period and signing"), {"fields": [("period_start", "period_end"), "signed_on", "signatories"]}),
        (
            _("Texts"),
            {"fields": ["situation", "pledge", "expected_effects", "follow_up", "communication"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, promise):
        return promise.activity_total


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(admin.ModelAdmin):
    """One statement per installation, kept up to date by the national operator."""

    list_display = ["service", "public_body", "compliance", "assessed_on", "updated_at"]
    fieldsets = [
        (None, {"fields": ["public_body", "service", "compliance"]}),
        (_("Shortcomings"), {"fields": ["shortcomings"]}),
        (_("Assessment"), {"fields": ["assessed_on", "method", "method_description"]}),
        (_("Feedback and enforcement"), {"fields": ["feedback", "feedback_email", "enforcement_url"]}),
    ]

    def has_module_permission(self, request):
        return scope_for(request.user).is_administrator

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).is_administrator

    def has_add_permission(self, request):
        # There is one statement: a second would leave the public page guessing which one is true.
        return scope_for(request.user).is_administrator and not AccessibilityStatement.objects.exists()

    def has_change_permission(self, request, obj=None):
        return scope_for(request.user).is_administrator

    def has_delete_permission(self, request, obj=None):
        return False
