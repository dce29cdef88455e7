import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from promises import locks
from promises.fields import BigIntIdChoiceField, BigIntIdMultipleChoiceField
from promises.form_messages import PortalMessages
from promises.forms import DrawnHint, KeepsLinksOutsideScope, RefusesStaleEdits, date_hint, offer_only_current
from promises.models import Municipality, Organisation, Place
from promises.scope import Role, scope_for

from .models import Activity, ActivityRecord, PlannedEvent

PRIVACY_NOTE = _(
    "Describe the work that was done, never people: no names, personal identity numbers or details that "
    "identify someone."
)


class QuantityField(forms.IntegerField):
    """A whole number in the digits 0–9.

    The input is NFKC-normalised first, so full-width digits (１２, typed on some phone keyboards) are read as the
    same number; digits of other scripts (Arabic-Indic ١٢ and the like), which ``int()`` would quietly accept, are
    refused with a message: a count stored in a digit nobody here reads is a mistake.
    """

    default_error_messages = {"digits": _("Write the number with the digits 0–9.")}

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
            if any(character.isdigit() and not character.isascii() for character in value):
                raise ValidationError(self.error_messages["digits"], code="digits")
        return super().to_python(value)


def quantity_to_confirm(activity):
    """The largest quantity one record of ``activity`` takes without asking whether it is right: the setting
    RECORD_QUANTITY_CONFIRM_ABOVE, or ten times the activity's count target when that is lower."""
    limit = settings.RECORD_QUANTITY_CONFIRM_ABOVE
    if activity is not None and activity.target_count:
        limit = min(limit, 10 * activity.target_count)
    return limit


def confirm_quantity_field():
    return forms.BooleanField(label=_("Yes, the quantity is right"), required=False)


def confirm_quantity_message(quantity, activity):
    number = formats.number_format(quantity, force_grouping=True)
    if activity is not None and activity.unit:
        return _("You are recording %(quantity)s %(unit)s: is that right?") % {
            "quantity": number,
            "unit": activity.unit,
        }
    return _("You are recording the quantity %(quantity)s: is that right?") % {"quantity": number}


class QuantityRulesMixin:
    """The bounds of one record's quantity, the same in the log form, the records import and the admin: at most
    RECORD_QUANTITY_CEILING, and above :func:`quantity_to_confirm` only once the person ticks "the quantity is
    right" (``confirm_quantity``). A correction that keeps the stored quantity is not asked again."""

    def clean_quantity(self):
        quantity = self.cleaned_data.get("quantity")
        ceiling = settings.RECORD_QUANTITY_CEILING
        if quantity is not None and quantity > ceiling:
            raise ValidationError(
                _("One record holds at most %(ceiling)s. Is there a typing mistake?")
                % {"ceiling": formats.number_format(ceiling, force_grouping=True)}
            )
        return quantity

    def _check_quantity_confirmed(self, cleaned):
        quantity = cleaned.get("quantity")
        activity = cleaned.get("activity") or (self.instance.activity if self.instance.activity_id else None)
        if quantity is None or activity is None or quantity <= quantity_to_confirm(activity):
            return
        if self.instance.pk and self.instance.quantity == quantity:
            return
        if not cleaned.get("confirm_quantity"):
            self.needs_quantity_confirmation = True
            self.add_error(
                "confirm_quantity",
                "{} {}".format(confirm_quantity_message(quantity, activity), _("Tick the box to confirm.")),
            )


def own_organisations(user, activity):
    """The organisations to tick on the log form: those of the user's memberships that take part in the activity
    (its lead or a partner), so that a police officer's record names the police. When none of them takes part, as
    for a coordinator logging another organisation's work, the activity's lead."""
    taking_part = {activity.lead_organisation_id, *(each.pk for each in activity.partner_organisations.all())}
    own = sorted(scope_for(user).organisation_ids & taking_part)
    return own or [activity.lead_organisation_id]


def _known(activity, to_python):
    """A field's ``to_python`` that answers ``activity`` for its own id without a query, and asks ``to_python``
    for anything else."""

    def known_or_read(value):
        if value not in EMPTY_VALUES and str(value) == str(activity.pk):
            return activity
        return to_python(value)

    return known_or_read


class RecordForm(PortalMessages, RefusesStaleEdits, QuantityRulesMixin, forms.ModelForm):
    """Log a completed activity, or correct one: short enough to fill in on a phone in under a minute.

    The model's ``clean`` holds the rules (date inside the period and not in the future, place in the
    promise's municipalities, tertial not locked), so the admin and these pages refuse the same things. A
    correction names the record's latest history entry, so that one made on a form someone else has since
    overtaken is refused with the newer values shown (RefusesStaleEdits).
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    # Shown only when the quantity needs confirming (QuantityRulesMixin).
    confirm_quantity = confirm_quantity_field()
    # Declared here so that 0 and negative numbers get the same "at least 1" message, not "at least 0".
    # The ceiling (RECORD_QUANTITY_CEILING) is checked in clean_quantity, with a message of its own; the model's
    # MAX_QUANTITY is the bound no setting lifts.
    quantity = QuantityField(
        label=capfirst(ActivityRecord._meta.get_field("quantity").verbose_name),
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = ActivityRecord
        fields = [
            "activity",
            "occurred_on",
            "quantity",
            "place",
            "place_text",
            "participating_organisations",
            "summary",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participating_organisations": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {
            "activity": BigIntIdChoiceField,
            "place": BigIntIdChoiceField,
            "participating_organisations": BigIntIdMultipleChoiceField,
        }
        error_messages = {
            "activity": {"invalid_choice": _("You cannot log records for this activity.")},
        }

    def __init__(self, *args, user, activities, activity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # A correction keeps its activity: moving a record to another activity is voiding and logging anew.
            del self.fields["submission_key"]
            activity = self.instance.activity
        # The activity whose promise's municipalities the places, and whose open days the dates, are chosen from.
        self.places_of = activity
        if self.instance.pk:
            self.fields["activity"].queryset = Activity.objects.filter(pk=activity.pk)
            self.fields["activity"].disabled = True
        else:
            self.fields["activity"].queryset = activities
            if activity is not None:
                # The page's activity, read once by the view from the same queryset: not read again to validate.
                self.fields["activity"].to_python = _known(activity, self.fields["activity"].to_python)
            self.initial.setdefault("submission_key", uuid.uuid4())
            if activity is not None:
                self.initial.setdefault("activity", activity.pk)
                if not self.is_bound:
                    self.initial.setdefault("participating_organisations", own_organisations(user, activity))
                    open_days = self.open_days
                    if open_days and open_days[0] <= timezone.localdate() <= open_days[1]:
                        self.initial.setdefault("occurred_on", timezone.localdate())
        self.fields["activity"].empty_label = None if activity else _("Choose an activity")
        if activity is not None:
            municipalities = activity.promise.municipalities.all()
        else:
            municipalities = Municipality.objects.in_scope_of(user)
        self.fields["place"].queryset = Place.objects.filter(municipality__in=municipalities).order_by("kind", "name")
        self.fields["place"].empty_label = _("No particular place")
        self.fields["participating_organisations"].queryset = (
            Organisation.objects.filter(municipalities__in=municipalities).distinct().order_by("name")
        )
        self.fields["quantity"].help_text = (
            _("How many, counted in %(unit)s.") % {"unit": activity.unit} if activity and activity.unit else ""
        )
        self.fields["summary"].help_text = PRIVACY_NOTE
        if activity is not None:
            # Read only when the field is drawn: a POST that saves never asks for the locks a second time.
            self.fields["occurred_on"].help_text = DrawnHint(lambda: date_hint(self.open_days))
        self.fields["place_text"].help_text = _("E.g. a school or a street; never a person.")
        self.guard_by_history()
        offer_only_current(self)
        self.needs_quantity_confirmation = bool(self.data.get("confirm_quantity")) if self.is_bound else False

    @cached_property
    def open_days(self):
        """The first and last day a record of the form's activity may be dated today (promises.locks.open_days)."""
        return locks.open_days(self.places_of.promise, today=timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        self._check_quantity_confirmed(cleaned)
        return cleaned

    def _get_validation_exclusions(self):
        """The model need not ask the database again whether the chosen activity and place exist: this form's
        choices, narrower than the model's, have just found them (one query fewer each)."""
        exclude = super()._get_validation_exclusions()
        chosen = {name for name in ("activity", "place") if self.cleaned_data.get(name) is not None}
        return exclude | chosen

    def _post_clean(self):
        # The place's choices are those of the page's activity's municipalities: the model's check that the place is
        # in the promise's municipalities is then already made (the model keeps it for every other path).
        activity, place = self.cleaned_data.get("activity"), self.cleaned_data.get("place")
        if self.places_of is not None and activity is not None and place is not None and activity == self.places_of:
            self.instance.place_checked_for = (activity.promise_id, place.pk)
        super()._post_clean()

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        # Moving a record out of a locked tertial would change an approved report just as much.
        if self.instance.pk and self.instance.is_locked():
            raise forms.ValidationError(
                _("The follow-up of this record's tertial is approved, so the record is locked.")
            )
        return occurred_on


class AdminRefusesStaleEdits(RefusesStaleEdits):
    """The admin's change forms of records and events: an edit made on a form someone has since overtaken is refused
    with a message naming the newer values, and nothing is saved.

    The admin renders only the fields its page lists, so the hidden ``seen`` is declared on the form and listed by
    the page (on change pages only: a new object has no version yet).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.guard_by_history()
        else:
            self.fields.pop("seen", None)

    def clean(self):
        cleaned = super().clean()
        self.refuse_if_stale()
        if self.stale:
            newer = "; ".join(f"{label}: {value}" for label, value in self.stale)
            self.add_error(None, _("It now reads: %(values)s") % {"values": newer})
        return cleaned


class EventAdminForm(AdminRefusesStaleEdits, forms.ModelForm):
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlannedEvent
        fields = ["activity", "title", "starts_at", "ends_at", "place", "place_text", "description"]


class VoidForm(PortalMessages, forms.Form):
    # The record's own field makes the form field: its guard, its length and their messages.
    reason = ActivityRecord._meta.get_field("void_reason").formfield(
        label=_("Reason for voiding"),
        required=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the record should no longer count, e.g. “logged twice”. Never name people."),
    )


class ActivityRulesMixin:
    """What every form of an activity checks beyond the model: its target places are places of its promise's
    municipalities, and they do not change once a follow-up of the promise is approved."""

    def check_target_places(self, cleaned):
        places = cleaned.get("target_places")
        promise_id = self.instance.promise_id
        if places is None or promise_id is None:
            return
        foreign = [place for place in places if not place.municipality.promises.filter(pk=promise_id).exists()]
        if foreign:
            self.add_error("target_places", _("Choose places of the promise's own municipalities."))
            return
        if self.instance.pk:
            before = set(Activity.objects.get(pk=self.instance.pk).target_places.values_list("pk", flat=True))
            lock = self.instance.target_places_locked_by() if before != {place.pk for place in places} else None
            if lock is not None:
                self.add_error("target_places", locks.locked_message(lock))


class ActivityAdminForm(ActivityRulesMixin, forms.ModelForm):
    """The admin's activity form: the administrators' full choice, with the rules every activity form keeps."""

    class Meta:
        model = Activity
        fields = [
            "promise",
            "focus_area",
            "order",
            "title",
            "kind",
            "description",
            "lead_organisation",
            "partner_organisations",
            "target_count",
            "unit",
            "unit_singular",
            "target_places",
            "recurrence",
            "target_window_start",
            "target_window_end",
            "target_per_municipality",
            "is_internal",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("promise") is not None:
            self.instance.promise = cleaned["promise"]
        self.check_target_places(cleaned)
        return cleaned


class ActivityForm(PortalMessages, RefusesStaleEdits, ActivityRulesMixin, KeepsLinksOutsideScope, forms.ModelForm):
    """A committed activity of ``promise``: what is to be done, by whom, and its target.

    Used by the workspace and the admin alike. Organisations and places are those of the promise's
    municipalities that the user coordinates; links to others (a shared promise's partners and places) are kept
    and shown. Once a follow-up of the promise is approved, the target it was judged on (count, unit,
    recurrence, places) and the promise it belongs to are locked (Activity.clean and :meth:`clean`).
    """

    class Meta:
        model = Activity
        fields = [
            "focus_area",
            "order",
            "title",
            "kind",
            "description",
            "lead_organisation",
            "partner_organisations",
            "target_count",
            "unit",
            "unit_singular",
            "target_places",
            "recurrence",
            "target_window_start",
            "target_window_end",
            "target_per_municipality",
            "is_internal",
        ]
        widgets = {
            "target_window_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_window_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "partner_organisations": forms.CheckboxSelectMultiple,
            "target_places": forms.CheckboxSelectMultiple,
            "recurrence": forms.RadioSelect,
        }
        field_classes = {
            "focus_area": BigIntIdChoiceField,
            "kind": BigIntIdChoiceField,
            "lead_organisation": BigIntIdChoiceField,
            "partner_organisations": BigIntIdMultipleChoiceField,
            "target_places": BigIntIdMultipleChoiceField,
        }

    def __init__(self, *args, promise, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.promise = promise
        self.promise = promise
        municipalities = promise.municipalities.all()
        self.fields["focus_area"].queryset = promise.focus_areas.order_by("order", "pk")
        self.fields["focus_area"].empty_label = _("No focus area")
        organisations = (
            Organisation.objects.in_scope_of(user, Role.COORDINATOR)
            .filter(
                pk__in=Organisation.municipalities.through.objects.filter(municipality__in=municipalities).values(
                    "organisation_id"
                )
            )
            .order_by("name")
        )
        lead = self.fields["lead_organisation"]
        if self.instance.pk and not organisations.filter(pk=self.instance.lead_organisation_id).exists():
            # Led by a neighbouring municipality's organisation: shown, kept, not the user's to change.
            lead.queryset = Organisation.objects.filter(pk=self.instance.lead_organisation_id)
            lead.disabled = True
            lead.help_text = _("Led by an organisation of another municipality of the promise.")
        else:
            lead.queryset = organisations
        self.limit_to("partner_organisations", organisations)
        places = (
            Place.objects.in_scope_of(user, Role.COORDINATOR)
            .filter(municipality__in=municipalities)
            .select_related("municipality")
            .order_by("municipality__name", "kind", "name")
        )
        self.limit_to("target_places", places)
        self.fields["target_places"].label_from_instance = lambda place: f"{place.name} ({place.municipality})"
        self.fields["unit"].help_text = _("What is counted, e.g. “trafikkontroller” or “nya grannsamverkansområden”.")
        if len(municipalities) < 2 and not self.instance.target_per_municipality:
            # A target per municipality means something only in a promise of several.
            del self.fields["target_per_municipality"]
        self.guard_by_history()
        offer_only_current(self)

    def clean(self):
        cleaned = self.keep_links(super().clean())
        self.refuse_if_stale()
        self.check_target_places(cleaned)
        return cleaned


class EventForm(PortalMessages, forms.ModelForm):
    """A planned public event of an activity of a current promise, inside that promise's period.

    A change carries the sequence of the event it was shown (``sequence_seen``), so that saving over someone else's
    newer change is refused (activities.services.event_change). The event's place stays offered even when it is
    one of another municipality of a shared promise, so that saving the form never drops it.
    """

    class Meta:
        model = PlannedEvent
        fields = ["activity", "title", "starts_at", "ends_at", "place", "place_text", "description"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"activity": BigIntIdChoiceField, "place": BigIntIdChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        activities = (
            Activity.objects.in_scope_of(user, Role.COORDINATOR)
            .of_current_promises()
            # An internal activity is not the public promise: its events cannot be announced (PlannedEvent.clean).
            .filter(is_internal=False)
            .select_related("promise")
            .order_by("-promise__year", "promise__title", "order", "pk")
        )
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda activity: f"{activity.title} ({activity.promise})"
        if self.instance.pk:
            # An event stays with its activity: the calendar and the record it may become know it by it.
            self.fields["activity"].disabled = True
            self.fields["activity"].queryset = Activity.objects.filter(pk=self.instance.activity_id)
            self.fields["sequence_seen"] = forms.IntegerField(widget=forms.HiddenInput, initial=self.instance.sequence)
        places = Place.objects.in_scope_of(user, Role.COORDINATOR)
        if self.instance.place_id:
            places = places | Place.objects.filter(pk=self.instance.place_id)
        self.fields["place"].queryset = places.select_related("municipality").order_by("name")
        self.fields["place"].empty_label = _("No particular place")
        self.fields["place"].label_from_instance = lambda place: f"{place.name} ({place.municipality})"
        self.fields["description"].help_text = _("Shown in the public calendar. Never name people.")
        # The days the event may take place (PlannedEvent.clean): its promise's period. Worked out when drawn, from
        # the activities offered, so a saving POST reads nothing more.
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = DrawnHint(self._period_hint)
        offer_only_current(self)

    def _period_hint(self):
        periods = {(activity.promise.period_start, activity.promise.period_end) for activity in self._offered}
        if len(periods) == 1:
            return date_hint(next(iter(periods)), with_time=True)
        return _("Inside the period of the activity's promise.")

    @cached_property
    def _offered(self):
        return list(self.fields["activity"].queryset)

    # One-line titles and dates inside the promise's period are the model's rules (PlannedEvent.clean), so that
    # the admin refuses the same.


class RecordAdminForm(AdminRefusesStaleEdits, QuantityRulesMixin, forms.ModelForm):
    """The admin's record form: refuses a stale edit, and the same bounds of the quantity as the log form."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    quantity = QuantityField(label=capfirst(ActivityRecord._meta.get_field("quantity").verbose_name), min_value=1)
    confirm_quantity = confirm_quantity_field()

    class Meta:
        model = ActivityRecord
        fields = [
            "activity",
            "occurred_on",
            "place",
            "place_text",
            "quantity",
            "participating_organisations",
            "summary",
        ]

    def clean(self):
        cleaned = super().clean()
        self._check_quantity_confirmed(cleaned)
        return cleaned
