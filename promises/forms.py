"""Forms for promises, focus areas, places, councils' municipalities and people, as the coordinator workspace uses them.

Two rules shape every form here:

- **choices stay in scope**: a coordinator picks only municipalities they coordinate, organisations and places of
  those municipalities, and gives only the roles promises.memberships lets them give;
- **links outside the scope are kept**: a promise, activity or council shared with a neighbouring municipality
  links objects the user may not pick. Saving the form never drops them: they are shown read-only, by name, and
  added back to what the user chose (:class:`KeepsLinksOutsideScope`).
"""

import datetime
import hashlib
import json

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import memberships
from .fields import BigIntIdChoiceField, BigIntIdMultipleChoiceField
from .form_messages import PortalMessages
from .models import (
    FocusArea,
    IdentityProvider,
    Membership,
    Municipality,
    MunicipalitySettings,
    Organisation,
    Place,
    Promise,
    Retirable,
)
from .privacy import validate_no_identity_number
from .scope import Role

NO_PEOPLE = _("Describe the work, never people: no names or personal identity numbers.")


def date_hint(open_days, *, with_time=False):
    """A date field's hint naming the days it takes ("Ange ett datum mellan 1 jan. 2020 och 31 dec. 2020"), or
    what to do when none is open. ``open_days`` is ``(first, last)`` or None. ``with_time``: the field takes a day
    and a time of day (a planned event's start), and the hint says so."""
    if open_days is None:
        return _("No day can be chosen now: the period has not begun, or its follow-up is approved.")
    first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in open_days)
    if with_time:
        if first == last:
            return _("Give a time of day on %(day)s.") % {"day": first}
        return _("Give a day between %(first)s and %(last)s, and the time of day.") % {"first": first, "last": last}
    if first == last:
        return _("Give the date %(day)s.") % {"day": first}
    return _("Give a date between %(first)s and %(last)s.") % {"first": first, "last": last}


class DrawnHint:
    """A field's help text worked out only when it is drawn. Django's lazy strings would not do: a bound field
    asks ``field.help_text or ""`` as the form validates, which evaluates them."""

    def __init__(self, text):
        self.text = text

    def __bool__(self):
        return True

    def __str__(self):
        return str(self.text())


class RefusesStaleEdits:
    """A form mixin: an edit names the object as the form showed it, and is refused when someone changed the object
    meanwhile, instead of overwriting their change without either of them knowing.

    ``guard(stored, shown)`` is called when the form edits an existing object: ``stored`` holds the values that
    count (as stored now), ``shown`` the same as [(label, value)] for the page. The form carries a fingerprint of
    ``stored`` in the hidden field ``seen``; when the one sent differs from the one stored, the form is invalid,
    ``stale`` holds ``shown`` (the newer version, for the page) and what the user typed stays in the form, now naming
    the newer version, so that saving again replaces it knowingly.
    """

    STALE_MESSAGE = _(
        "Someone else changed this while you were editing it, so nothing was saved. It now reads as shown; your "
        "changes are still in the form. Save again to replace it with them."
    )
    stale = None

    @staticmethod
    def fingerprint(stored):
        """The value of the hidden field ``seen`` for an object stored as ``stored``."""
        return hashlib.sha256(json.dumps(stored, sort_keys=True, default=str).encode()).hexdigest()

    @classmethod
    def fingerprint_of_history(cls, obj):
        """The value of ``seen`` for an object guarded by its history (:meth:`guard_by_history`)."""
        entry = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return cls.fingerprint({"entry": entry})

    def guard(self, stored, shown):
        self._fingerprint = self.fingerprint(stored)
        self._shown = shown
        self.fields["seen"] = forms.CharField(widget=forms.HiddenInput, initial=self._fingerprint)

    def guard_by_history(self):
        """:meth:`guard` for an object with history: its version is its latest history entry.

        On a POST the object's row is locked for the rest of the request first, so that of two saves sent at once
        the second sees the first's entry and is refused.
        """
        if not self.instance.pk:
            return
        if self.is_bound:
            type(self.instance).objects.select_for_update().filter(pk=self.instance.pk).first()
        entry = self.instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
        self.guard({"entry": entry}, self._as_stored())

    def _as_stored(self):
        """[(label, value)] of the form's fields as the object is stored now, for the page after a refusal."""
        shown = []
        for name, field in self.fields.items():
            if field.widget.is_hidden or not hasattr(self.instance, name):
                continue
            value = getattr(self.instance, name)
            if hasattr(value, "all"):
                value = ", ".join(str(item) for item in value.all())
            elif hasattr(self.instance, f"get_{name}_display"):
                value = getattr(self.instance, f"get_{name}_display")()
            shown.append((field.label, "" if value is None else value))
        return shown

    def refuse_if_stale(self):
        if "seen" not in self.fields or not self.is_bound:
            return
        if self.data.get(self.add_prefix("seen")) != self._fingerprint:
            self.stale = self._shown
            data = self.data.copy()
            data[self.add_prefix("seen")] = self._fingerprint
            self.data = data
            self.add_error(None, self.STALE_MESSAGE)


def offer_only_current(form):
    """Narrows every choice of a retired kind of thing (places, organisations, activity kinds) to those not retired,
    and what the form's object already names: a retired place is offered for nothing new, but a record made there
    keeps it when it is corrected."""
    instance = getattr(form, "instance", None)
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not issubclass(queryset.model, Retirable):
            continue
        kept = []
        if instance is not None and instance.pk:
            try:
                model_field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None and model_field.many_to_many:
                kept = [obj.pk for obj in getattr(instance, name).all()]
            elif model_field is not None and model_field.many_to_one:
                kept = [getattr(instance, model_field.attname)]
        field.queryset = queryset.filter(Q(retired_at__isnull=True) | Q(pk__in=[pk for pk in kept if pk]))


class OffersOnlyCurrentChoices:
    """A form mixin: :func:`offer_only_current` once the form's fields are made."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_only_current(self)


class KeepsLinksOutsideScope:
    """A ModelForm mixin: many-to-many fields offer the user's choices and keep the links outside them.

    ``limit_to(name, queryset)`` narrows a field's choices; what the instance already links outside them is
    remembered in ``kept`` ({field name: [objects]}) and added back to the field's value when the form is cleaned.
    Templates show ``kept_links`` so the user knows the object is shared.
    """

    def limit_to(self, name, queryset):
        field = self.fields[name]
        field.queryset = queryset
        current = list(getattr(self.instance, name).all()) if self.instance.pk else []
        allowed = set(queryset.filter(pk__in=[obj.pk for obj in current]).values_list("pk", flat=True))
        kept = [obj for obj in current if obj.pk not in allowed]
        if kept:
            self.kept[name] = kept
        if self.instance.pk:
            self.initial[name] = [obj.pk for obj in current if obj.pk in allowed]

    @property
    def kept(self):
        if not hasattr(self, "_kept"):
            self._kept = {}
        return self._kept

    @property
    def kept_links(self):
        """[(the field's label, the names it keeps)], for the template."""
        return [(self.fields[name].label, [str(obj) for obj in objects]) for name, objects in self.kept.items()]

    def keep_links(self, cleaned):
        for name, objects in self.kept.items():
            if name in cleaned:
                cleaned[name] = [*cleaned[name], *objects]
        return cleaned


def _coordinated_municipalities(user):
    return Municipality.objects.in_scope_of(user, Role.COORDINATOR).order_by("name")


class DateListField(forms.CharField):
    """End dates of a custom follow-up plan, one per line as YYYY-MM-DD; stored as a list of ISO dates."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *args, encoder=None, decoder=None, **kwargs):
        # The model's JSONField offers these; the list is made here, so neither is needed.
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        days = []
        for line in text.replace(",", "\n").split():
            try:
                days.append(datetime.date.fromisoformat(line.strip()).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date written as YYYY-MM-DD."), code="invalid", params={"value": line}
                ) from None
        return days


class PromiseForm(PortalMessages, RefusesStaleEdits, KeepsLinksOutsideScope, forms.ModelForm):
    """A draft promise: its texts, period, municipalities and signatories.

    The municipalities offered are those the user coordinates; a neighbour is added by a request its own
    coordinator accepts (promises.services.promise_link_request), never picked here.
    """

    class Meta:
        model = Promise
        fields = [
            "title",
            "slug",
            "year",
            "period_start",
            "period_end",
            "followup_plan",
            "followup_period_ends",
            "municipalities",
            "signatories",
            "situation",
            "pledge",
            "expected_effects",
            "follow_up",
            "communication",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "municipalities": forms.CheckboxSelectMultiple,
            "signatories": forms.CheckboxSelectMultiple,
            "situation": forms.Textarea(attrs={"rows": 6}),
            "pledge": forms.Textarea(attrs={"rows": 6}),
            "expected_effects": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
            "communication": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "followup_period_ends": DateListField,
            "municipalities": BigIntIdMultipleChoiceField,
            "signatories": BigIntIdMultipleChoiceField,
        }
        help_texts = {
            "slug": _(
                "The last part of the promise's address, e.g. “medborgarlofte-2021”. Left empty, it is made "
                "from the title."
            ),
            "municipalities": _(
                "The municipalities you coordinate that make the promise. Another municipality "
                "is asked to join on the promise's page."
            ),
            "signatories": _("The organisations that sign the promise, e.g. the municipality and the police area."),
            "followup_period_ends": _(
                "Only for custom periods: the last day of each follow-up period, one per line (YYYY-MM-DD), e.g. "
                "2021-08-31 for a report on January–August. The last period ends with the promise's period."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["slug"].required = False
        # Left out (an older form, an import), the plan stays tertials: the default every promise had before.
        self.fields["followup_plan"].required = False
        coordinated = _coordinated_municipalities(user)
        self.limit_to("municipalities", coordinated)
        self.limit_to("signatories", Organisation.objects.in_scope_of(user, Role.COORDINATOR).order_by("name"))
        if not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year + 1 if today.month >= 9 else today.year)
            if coordinated.count() == 1:
                self.initial.setdefault("municipalities", [coordinated.get().pk])
        for name in ("situation", "pledge", "expected_effects", "follow_up", "communication"):
            self.fields[name].help_text = self.fields[name].help_text or NO_PEOPLE
        self.guard_by_history()
        offer_only_current(self)

    def clean(self):
        cleaned = self.keep_links(super().clean())
        self.refuse_if_stale()
        if not cleaned.get("followup_plan") and "followup_plan" not in self.errors:
            cleaned["followup_plan"] = self.instance.followup_plan or Promise.FollowUpPlan.TERTIALS
        municipalities = cleaned.get("municipalities") or []
        if "municipalities" in self.fields and not municipalities:
            self.add_error("municipalities", _("Choose at least one municipality."))
        year, start, end = cleaned.get("year"), cleaned.get("period_start"), cleaned.get("period_end")
        if year and start and end and not start.year <= year <= end.year:
            self.add_error("year", _("The year must lie within the promise's period."))
        title, slug = cleaned.get("title"), cleaned.get("slug")
        if title and not slug:
            slug = slugify(title)[:100] or "medborgarlofte"
            cleaned["slug"] = slug
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
                _("One of the municipalities already has a promise for %(year)s with this address name.")
                % {"year": year},
            )
        refuse_windows_outside(self, cleaned)
        return cleaned

    def _post_clean(self):
        if self.cleaned_data.get("slug"):
            self.instance.slug = self.cleaned_data["slug"]
        super()._post_clean()


class SignedPromiseForm(PortalMessages, RefusesStaleEdits, forms.ModelForm):
    """A signed or closed promise: its texts, and its period where no approved follow-up would move.

    What was signed (the parties, the municipalities, the year) is no longer edited; the period is checked by
    the model against the approved follow-ups (Promise.clean).
    """

    class Meta:
        model = Promise
        fields = [
            "title",
            "period_start",
            "period_end",
            "situation",
            "pledge",
            "expected_effects",
            "follow_up",
            "communication",
        ]
        widgets = PromiseForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.guard_by_history()
        offer_only_current(self)

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        refuse_windows_outside(self, cleaned)
        return cleaned


def refuse_windows_outside(form, cleaned):
    """Refuses a period that would leave an activity's target window (issue 15: a winter season) outside it."""
    start, end = cleaned.get("period_start"), cleaned.get("period_end")
    if not (form.instance.pk and start and end):
        return
    # Through the reverse relation: promises sits below activities and does not import it.
    outside = (
        form.instance.activities.filter(target_window_start__isnull=False)
        .exclude(target_window_start__gte=start, target_window_end__lte=end)
        .values_list("title", flat=True)
        .first()
    )
    if outside is not None:
        form.add_error(
            "period_end",
            _("The activity “%(title)s” has a target for days outside this period. Change its target first.")
            % {"title": outside},
        )


class SignForm(PortalMessages, forms.Form):
    signed_on = forms.DateField(
        label=_("Date of signing"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the parties signed the promise."),
    )

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date of signing cannot be in the future."))
        return day


class CloseForm(PortalMessages, forms.Form):
    """Closing asks for nothing but the confirmation itself."""


class ReasonForm(PortalMessages, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_identity_number],
        help_text=_("Kept in the history."),
    )


class LinkRequestForm(PortalMessages, forms.Form):
    municipality = BigIntIdChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        empty_label=_("Choose a municipality"),
        help_text=_("Its coordinator is asked to confirm before the promise can be signed."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = choices


class FocusAreaForm(PortalMessages, forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["title", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"order": _("Focus areas are listed from the lowest number up.")}

    def __init__(self, *args, promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.promise = promise

    def clean_title(self):
        title = self.cleaned_data["title"]
        taken = FocusArea.objects.filter(promise=self.instance.promise, title__iexact=title)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("The promise already has a focus area with this title."))
        return title


class PlaceForm(PortalMessages, RefusesStaleEdits, forms.ModelForm):
    """A district or a named site of a municipality the user coordinates; a site may lie in a district."""

    class Meta:
        model = Place
        fields = ["municipality", "name", "kind", "parent"]
        widgets = {"kind": forms.RadioSelect}
        field_classes = {"municipality": BigIntIdChoiceField, "parent": BigIntIdChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        coordinated = _coordinated_municipalities(user)
        self.fields["municipality"].queryset = coordinated
        self.fields["municipality"].empty_label = None if coordinated.count() == 1 else _("Choose a municipality")
        self.fields["parent"].queryset = Place.objects.filter(
            municipality__in=coordinated, kind=Place.Kind.DISTRICT
        ).select_related("municipality")
        self.fields["parent"].label_from_instance = lambda place: f"{place.name} ({place.municipality})"
        self.fields["parent"].empty_label = _("No district")
        if self.instance.pk:
            # A place's municipality is what its records were counted for: moving it would move them.
            self.fields["municipality"].disabled = True
            place = self.instance
            self.guard(
                {"name": place.name, "kind": place.kind, "parent": place.parent_id},
                [
                    (_("Name"), place.name),
                    (_("Kind"), place.get_kind_display()),
                    (_("District"), place.parent.name if place.parent_id else "–"),
                ],
            )
        offer_only_current(self)

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        municipality, name = cleaned.get("municipality"), cleaned.get("name")
        if cleaned.get("kind") == Place.Kind.DISTRICT and cleaned.get("parent"):
            self.add_error("parent", _("A district does not lie in another district."))
        if cleaned.get("kind") == Place.Kind.SITE and self.instance.pk and self.instance.sites.exists():
            self.add_error("kind", _("Sites lie in this district, so it stays a district."))
        if municipality and name:
            taken = Place.objects.filter(municipality=municipality, name__iexact=name)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("name", _("The municipality already has a place with this name."))
        return cleaned


# People -----------------------------------------------------------------------------------------------------


def _offer(field, choices, *, empty_label=None):
    """Shows only ``choices`` ([(value, label)]) in the field's widget while the field itself accepts more.

    The people forms offer what the user may give, but read any organisation whose people the user sees and any
    role: a choice they were not offered (a forged or stale form) then reaches the rules, which refuse it with their
    own message beside the field and write the attempt to the security log (:func:`memberships.attempt_refusal`).
    """
    field.widget.choices = ([("", empty_label)] if empty_label else []) + list(choices)


def _refused_field(user, organisation, own):
    """Where a refusal is shown: beside the address for oneself, the organisation when no role may be given in it
    at all, and otherwise beside the role."""
    if own:
        return "email"
    return "role" if memberships.grantable_roles(user, organisation) else "organisation"


class InvitationForm(PortalMessages, forms.Form):
    """An invitation by e-mail to a role in one of the user's organisations; the rules decide what is offered."""

    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives a link to accept; the role is theirs once they have accepted."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = BigIntIdChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A retired organisation takes no new people.
        organisations = [organisation for organisation in grantable_organisations(user) if not organisation.is_retired]
        self.fields["organisation"].queryset = people_of(user).current()
        _offer(
            self.fields["organisation"],
            [(organisation.pk, organisation.name) for organisation in organisations],
            empty_label=_("Choose an organisation") if len(organisations) > 1 else None,
        )
        # Whether there is anything to invite to: every municipality of some organisation coordinated by the user.
        self.offers_organisations = bool(organisations)
        roles = {role for organisation in organisations for role in memberships.grantable_roles(user, organisation)}
        _offer(self.fields["role"], [(role.value, role.label) for role in Role if role in roles])

    def clean(self):
        cleaned = super().clean()
        organisation, role, email = cleaned.get("organisation"), cleaned.get("role"), cleaned.get("email")
        if organisation and role:
            own = bool(email) and email.strip().lower() == (self.user.email or "").lower()
            message = memberships.attempt_refusal(
                by=self.user, organisation=organisation, role=role, to_user=self.user if own else None, action="invite"
            )
            if message:
                self.add_error(_refused_field(self.user, organisation, own), message)
            elif email and Membership.objects.filter(organisation=organisation).of_address(email).exists():
                self.add_error(
                    "email",
                    _("This person is already a member of %(organisation)s: change their role in the list instead.")
                    % {"organisation": organisation},
                )
        return cleaned


class MembershipRoleForm(PortalMessages, RefusesStaleEdits, forms.Form):
    """Another role for a member; the rules decide which roles are offered (and refuse the others, logged)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_no_identity_number],
        help_text=_("Kept in the membership's history."),
    )

    def __init__(self, *args, user, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.membership = user, membership
        roles = memberships.grantable_roles(user, membership.organisation)
        _offer(self.fields["role"], [(role.value, role.label) for role in Role if role in roles])
        self.initial.setdefault("role", membership.role)
        self.guard({"role": membership.role}, [(_("Role"), membership.get_role_display())])

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        return cleaned

    def clean_role(self):
        role = self.cleaned_data["role"]
        message = memberships.attempt_refusal(
            by=self.user,
            organisation=self.membership.organisation,
            role=role,
            to_user=self.membership.user,
            action="change",
        )
        if message:
            raise forms.ValidationError(message)
        return role


class InvitedAccountForm(PortalMessages, SetPasswordMixin, forms.Form):
    """A new person's account, made as they accept an invitation: their name and a password of their choosing.

    The user name is the invited e-mail address, so the person logs in with the address the invitation reached. The
    password is checked by AUTH_PASSWORD_VALIDATORS, against the name and address too.
    """

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        validators=[validate_no_identity_number],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        validators=[validate_no_identity_number],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(label1=_("Password"), label2=_("Password again"))

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        # Plain sentences: Django's own help text is an HTML list, which cannot stand inside the help paragraph.
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())
        self.fields["password2"].help_text = _("The same password once more, so that a typing mistake is caught.")

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        # Beside the first password field, where it was typed (Django's default is the second).
        self.validate_password_for_user(self.account(), "password1")
        return cleaned

    def account(self):
        """The account as it will be made (not saved): what the password is checked against."""
        return get_user_model()(
            username=self.email,
            email=self.email,
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )


def grantable_organisations(user):
    """The organisations in which the user may give some role: every municipality they serve coordinated by them."""
    organisations = Organisation.objects.in_scope_of(user, Role.COORDINATOR).prefetch_related("municipalities")
    ids = [organisation.pk for organisation in organisations if memberships.grantable_roles(user, organisation)]
    return Organisation.objects.filter(pk__in=ids).prefetch_related("municipalities").order_by("name")


def people_of(user):
    """The organisations whose people the user sees: those serving a municipality the user coordinates."""
    return Organisation.objects.in_scope_of(user, Role.COORDINATOR).order_by("name")


class MunicipalitySettingsForm(PortalMessages, RefusesStaleEdits, forms.ModelForm):
    """What a coordinator keeps about their municipality: the contact residents reach and what its accessibility
    statement says beyond the national one. An edit on a form someone saved meanwhile is refused."""

    class Meta:
        model = MunicipalitySettings
        fields = ["contact_email", "contact_phone", "accessibility_statement"]
        widgets = {"accessibility_statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        settings = self.instance
        self.guard(
            {name: getattr(settings, name) for name in self.Meta.fields},
            [
                (_("Contact e-mail"), settings.contact_email or "–"),
                (_("Contact phone"), settings.contact_phone or "–"),
                (_("What differs in the accessibility statement"), settings.accessibility_statement or "–"),
            ],
        )

    def clean_contact_email(self):
        return self.cleaned_data["contact_email"].strip().lower()

    def clean_contact_phone(self):
        return " ".join(self.cleaned_data["contact_phone"].split())

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        return cleaned


TAKEN_SHORT_NAME = _("Another identity provider already has this short name: choose another.")


class IdentityProviderForm(PortalMessages, forms.ModelForm):
    """An organisation's OpenID Connect provider as an administrator registers it (docs/OPERATIONS.md "Accounts"):
    the organisation is one of the municipality's, and the secret is only named, never typed in."""

    class Meta:
        model = IdentityProvider
        fields = ["organisation", "name", "slug", "issuer", "client_id", "secret_variable", "allowed_domains"]
        labels = {"slug": _("Short name")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(municipalities=municipality).current().order_by("name")
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = None
        self.fields["organisation"].help_text = _("Its members, and the people invited to it, may log in through it.")
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Part of the provider's addresses in the portal, e.g. strangnas-kommun. Left empty: made from the name."
        )
        self.fields["issuer"].widget.attrs["autocapitalize"] = "none"

    def clean_issuer(self):
        return self.cleaned_data["issuer"].strip().rstrip("/")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug and IdentityProvider.objects.filter(slug=slug).exists():
            raise forms.ValidationError(TAKEN_SHORT_NAME)
        return slug

    def clean_allowed_domains(self):
        domains = []
        for part in self.cleaned_data["allowed_domains"].replace(";", ",").split(","):
            domain = part.strip().lower().lstrip("@")
            if not domain:
                continue
            if "." not in domain or any(
                not label or not label.replace("-", "").isalnum() for label in domain.split(".")
            ):
                raise forms.ValidationError(_("%(domain)s is not a domain, e.g. strangnas.se.") % {"domain": domain})
            domains.append(domain)
        if not domains:
            raise forms.ValidationError(_("Give at least one domain, e.g. strangnas.se."))
        return ", ".join(dict.fromkeys(domains))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name") and "slug" not in self.errors:
            slug = slugify(cleaned["name"])[:50]
            if not slug:
                self.add_error("name", _("Give the name in letters."))
            elif IdentityProvider.objects.filter(slug=slug).exists():
                self.add_error("slug", TAKEN_SHORT_NAME)
            cleaned["slug"] = slug
            self.instance.slug = slug
        return cleaned
