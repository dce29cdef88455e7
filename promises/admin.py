import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, ManyToManyField
from django.http import Http404
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import memberships
from .fields import BigIntIdChoiceField, BigIntIdMultipleChoiceField
from .forms import OffersOnlyCurrentChoices
from .models import (
    AccessibilityStatement,
    FocusArea,
    IdentityProvider,
    Membership,
    Municipality,
    Organisation,
    Place,
    Promise,
)
from .privacy import validate_no_identity_number
from .scope import scope_for

admin.site.site_header = _("Medborgarlöften – administration")
admin.site.site_title = _("Medborgarlöften")
admin.site.index_title = _("Administration")


class AdministratorsAdminMixin:
    """The admin is the national administrators' tool: nobody else reaches it (DESIGN §6, README "Admin").

    Coordinators run their year in the staff workspace, which covers their work; closing the admin to them means
    one set of pages to keep within their scope. Administrators meet the same rules here as everyone in the
    workspace: locks on what approved follow-ups judged, four eyes on reports (which move only through their
    workflow, never here), and no role granted to oneself (see MembershipAdmin). Ids beyond what a database
    column holds are refused by the form, not passed to the query.
    """

    def _is_administrator(self, request):
        return scope_for(request.user).is_administrator

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request, *args):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        # The database protects what records and reports use (PROTECT); what is left may be deleted.
        return self._is_administrator(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BigIntIdChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", BigIntIdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Retired places, organisations and kinds are offered for nothing new (promises.forms.offer_only_current).
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (OffersOnlyCurrentChoices, form), {})

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type(formset.form.__name__, (OffersOnlyCurrentChoices, formset.form), {})
        return formset

    def _404_unknown(self, object_id):
        """A malformed id answers 404, as a missing one does, rather than the admin's redirect or a 500."""
        if object_id and not str(object_id).isdigit():
            raise Http404(_("Not found."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._404_unknown(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._404_unknown(object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._404_unknown(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_unknown(object_id)
        # History is the record of what happened: it is read, never edited or "reverted" from a page.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def readable(value):
    """A value as a history page shows it in words: names for people, local times, "–" for nothing."""
    if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
        return "–"
    if isinstance(value, DeletedObject):
        return _("removed %(kind)s no. %(id)s") % {"kind": value.model._meta.verbose_name, "id": value.pk}
    if isinstance(value, get_user_model()):
        return value.get_full_name() or value.get_username()
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


class ReadableHistoryContext(HistoricalRecordContextHelper):
    """The changes column of a history page in words: choices by their labels, linked objects by their names,
    people by name, times in Swedish local time and nothing as "–" (not "None" or "Deleted användare (pk=None)")."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, ManyToManyField):
            return ", ".join(str(readable(item)) for item in super().prepare_delta_change_value(change, value)) or "–"
        if field.choices and value not in (None, ""):
            return dict(field.flatchoices).get(value, value)
        return readable(value)


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """simple_history's admin with history pages readable in Swedish (templates/simple_history/)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContext(self.model, historical_record)


class AdministratorsInlineMixin(AdministratorsAdminMixin):
    """Inlines follow their page: administrators only."""

    def has_add_permission(self, request, obj=None):
        return self._is_administrator(request)


def uses_of(obj):
    """[(what, how many)] of the rows that name ``obj``, e.g. ("aktiviteter (ledande organisation)", 2).

    Read from the model's relations, so that a model added later (above this app) is counted without being named.
    """
    uses = []
    for relation in obj._meta.related_objects:
        related = relation.related_model
        if related.__name__.startswith("Historical"):
            continue  # history keeps what happened, and is kept whatever happens
        if relation.many_to_many:
            through = relation.through
            count = through.objects.filter(**{relation.field.m2m_reverse_field_name(): obj.pk}).count()
        else:
            count = related._base_manager.filter(**{relation.field.name: obj.pk}).count()
        if count:
            uses.append((f"{related._meta.verbose_name_plural} ({relation.field.verbose_name})", count))
    return uses


class RetiredNotDeletedAdmin:
    """For places, organisations and activity kinds: one that anything uses is not deleted (the records, activities
    and reports naming it would lose it, silently) but retired, with the action below."""

    actions = ["retire", "bring_back"]

    def _refusal(self, obj):
        uses = uses_of(obj)
        if not uses:
            return None
        named = ", ".join(f"{count} {what}" for what, count in uses)
        return _(
            "“%(name)s” is used by %(uses)s, so it cannot be deleted. Retire it instead: it is then offered for "
            "nothing new, and stays on what already uses it."
        ) % {"name": obj, "uses": named}

    def delete_view(self, request, object_id, extra_context=None):
        self._404_unknown(object_id)
        obj = self.get_object(request, object_id)
        refusal = self._refusal(obj) if obj is not None else None
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """What deleting would remove, in words; what anything uses is listed as protected, so nothing is deleted.

        An unused one takes only its own links (to municipalities) and history with it: the page names the object,
        not its link rows ("Organisation_municipalities object (39)").
        """
        objs = list(objs)
        _deleted, _count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        refusals = [refusal for refusal in map(self._refusal, objs) if refusal]
        if refusals:
            return [], {}, perms_needed, refusals
        opts = self.model._meta
        return (
            [f"{capfirst(opts.verbose_name)}: {obj}" for obj in objs],
            {opts.verbose_name_plural: len(objs)},
            perms_needed,
            [],
        )

    @admin.action(description=_("Retire the selected"), permissions=["change"])
    def retire(self, request, queryset):
        retired = list(queryset.current())
        for obj in retired:
            obj.retire()
        self.message_user(
            request,
            ngettext(
                "%(count)d was retired: offered for nothing new, still shown where it was used.",
                "%(count)d were retired: offered for nothing new, still shown where they were used.",
                len(retired),
            )
            % {"count": len(retired)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Bring the selected back into use"), permissions=["change"])
    def bring_back(self, request, queryset):
        back = list(queryset.retired())
        for obj in back:
            obj.retired_at = None
            obj.save(update_fields=["retired_at"])
        self.message_user(
            request,
            ngettext("%(count)d is offered again.", "%(count)d are offered again.", len(back)) % {"count": len(back)},
            messages.SUCCESS,
        )


class RetiredFilter(admin.SimpleListFilter):
    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", _("In use")), ("yes", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.current()
        if self.value() == "yes":
            return queryset.retired()
        return queryset


@admin.register(Municipality)
class MunicipalityAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(RetiredNotDeletedAdmin, AdministratorsAdminMixin, ReadableHistoryAdmin):
    list_display = ["name", "kind", "parent", "municipality", "retired_at"]
    list_filter = [RetiredFilter, "kind", "municipality"]
    readonly_fields = ["retired_at"]
    search_fields = ["name"]
    list_select_related = ["municipality", "parent"]


@admin.register(Organisation)
class OrganisationAdmin(RetiredNotDeletedAdmin, AdministratorsAdminMixin, ReadableHistoryAdmin):
    list_display = ["name", "kind", "requires_mfa", "retired_at"]
    list_filter = [RetiredFilter, "kind", "requires_mfa", "municipalities"]
    readonly_fields = ["retired_at"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(AdministratorsAdminMixin, admin.ModelAdmin):
    """An organisation's OpenID Connect provider (docs/OPERATIONS.md, "Log-in through an identity provider")."""

    list_display = ["name", "organisation", "issuer", "allowed_domains", "active"]
    list_filter = ["active"]
    search_fields = ["name", "issuer"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipForm(forms.ModelForm):
    """A membership as the admin edits it: the rules of promises.memberships, and the reason kept with it."""

    # The administrator using the form; set by MembershipAdmin.get_form.
    by = None

    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        validators=[validate_no_identity_number],
        help_text=_("Why the role is given or changed; kept in the membership's history."),
    )

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self):
        cleaned = super().clean()
        member = cleaned.get("user") or getattr(self.instance, "user", None)
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        role = cleaned.get("role")
        if member is not None and organisation is not None and role:
            message = memberships.refusal(by=self.by, organisation=organisation, role=role, to_user=member)
            if message:
                raise forms.ValidationError(message)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
    """Roles, granted and changed by the same rules as in the workspace (promises.memberships), with a reason."""

    form = MembershipForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    list_select_related = ["user", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person in one organisation: another person or organisation is another membership.
        return ["user", "organisation"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        return type(
            "MembershipFormFor", (super().get_form(request, obj, change=change, **kwargs),), {"by": request.user}
        )

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data["reason"]
        if change:
            stored = Membership.objects.get(pk=obj.pk)
            memberships.membership_change(by=request.user, membership=stored, role=obj.role, reason=reason)
        else:
            saved = memberships.membership_grant(
                by=request.user, user=obj.user, organisation=obj.organisation, role=obj.role, reason=reason
            )
            obj.pk = saved.pk

    def delete_model(self, request, obj):
        memberships.membership_end(by=request.user, membership=obj, reason=_("Removed in the administration"))

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)


class FocusAreaInline(AdministratorsInlineMixin, admin.StackedInline):
    model = FocusArea
    extra = 0
    fields = ["order", "title", "description"]


@admin.register(Promise)
class PromiseAdmin(AdministratorsAdminMixin, ReadableHistoryAdmin):
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

    # Signing, closing and reopening are steps of the promise's workflow (promises.services), in the workspace.
    readonly_fields = ["status", "signed_on"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class PromiseAdminForm(form):
            def clean(self):
                cleaned = super().clean()
                slug, year, municipalities = cleaned.get("slug"), cleaned.get("year"), cleaned.get("municipalities")
                if (
                    slug
                    and year
                    and municipalities
                    and Promise.objects.slug_taken(
                        slug=slug, year=year, municipality_ids=[m.pk for m in municipalities], exclude=self.instance.pk
                    )
                ):
                    self.add_error(
                        "slug",
                        _("One of the municipalities already has a promise for this year with this address name."),
                    )
                return cleaned

        return PromiseAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_total=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_total")
    def activity_count(self, promise):
        return promise.activity_total


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(ReadableHistoryAdmin):
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
