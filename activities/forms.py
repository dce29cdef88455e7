import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.fields import BigIntIdChoiceField, BigIntIdMultipleChoiceField
from promises.models import Municipality, Organisation, Place
from promises.privacy import validate_no_identity_number

from .models import MAX_QUANTITY, Activity, ActivityRecord

PRIVACY_NOTE = _(
    "Describe the work that was done, never people: no names, personal identity numbers or details that "
    "identify someone."
)


class RecordForm(forms.ModelForm):
    """Log a completed activity, or correct one: short enough to fill in on a phone in under a minute.

    The model's ``clean`` holds the rules (date inside the period and not in the future, place in the
    promise's municipalities, tertial not locked), so the admin and these pages refuse the same things.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    # Declared here so that 0 and negative numbers get the same "at least 1" message, not "at least 0".
    quantity = forms.IntegerField(
        label=ActivityRecord._meta.get_field("quantity").verbose_name.capitalize(),
        min_value=1,
        # No single activity is counted in hundreds of thousands: a larger number is a typing mistake.
        max_value=MAX_QUANTITY,
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
            self.fields["activity"].queryset = Activity.objects.filter(pk=activity.pk)
            self.fields["activity"].disabled = True
        else:
            self.fields["activity"].queryset = activities
            self.initial.setdefault("submission_key", uuid.uuid4())
            if activity is not None:
                self.initial.setdefault("activity", activity.pk)
                self.initial.setdefault("participating_organisations", [activity.lead_organisation_id])
                today = timezone.localdate()
                if activity.promise.period_start <= today <= activity.promise.period_end:
                    self.initial.setdefault("occurred_on", today)
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
        self.fields["place_text"].help_text = _("E.g. a school or a street; never a person.")

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        # Moving a record out of a locked tertial would change an approved report just as much.
        if self.instance.pk and self.instance.is_locked():
            raise forms.ValidationError(
                _("The follow-up of this record's tertial is approved, so the record is locked.")
            )
        return occurred_on


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for voiding"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        validators=[validate_no_identity_number],
        help_text=_("Why the record should no longer count, e.g. “logged twice”. Never name people."),
    )
