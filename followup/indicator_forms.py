"""Forms for a promise's indicators of expected effect and the values measured for them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.form_messages import PortalMessages

from .models import Indicator, IndicatorValue
from .selectors import period_of
from .tertials import Tertial

NO_PEOPLE_NOTE = _("Figures and sources only, never people: no names or personal identity numbers.")


class IndicatorForm(PortalMessages, forms.ModelForm):
    """A new indicator on ``promise``; its name must be free on that promise."""

    # Declared rather than generated so that a Swedish decimal comma ("12,5") is read as well as a point.
    target_value = forms.DecimalField(
        label=_("Target value"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Optional: the value the promise aims for, e.g. 30. Citizens see whether it is met."),
    )

    class Meta:
        model = Indicator
        fields = ["name", "unit", "source", "better", "target_value"]
        widgets = {"better": forms.RadioSelect}
        help_texts = {
            "name": _("E.g. “Reported narcotics offences, under 21”."),
            "unit": _("E.g. “offences” or “ng per person and day”."),
            "source": _("Where the figures come from, e.g. “Police statistics”."),
        }

    def __init__(self, *args, promise, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.promise = promise

    def clean_name(self):
        name = self.cleaned_data["name"]
        # The database holds the name unique per promise; checking here turns a clash into a message on the
        # field. "Bostadsinbrott" and "bostadsinbrott" would read as the same indicator, so case is ignored.
        taken = Indicator.objects.filter(promise=self.instance.promise, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This promise already has an indicator with that name."), code="unique")
        return name


class IndicatorValueForm(PortalMessages, forms.ModelForm):
    """One measured value of ``indicator``, for a tertial of the promise's period or for a day inside it.

    One value per indicator and tertial, and per indicator and day: a second one is refused, since the
    figures would contradict each other; a wrong value is corrected in the administration instead.
    """

    tertial = forms.ChoiceField(
        label=_("Tertial"),
        required=False,
        help_text=_("Either a tertial or a date."),
    )
    # Declared rather than generated so that a Swedish decimal comma ("12,5") is read as well as a point.
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = IndicatorValue
        fields = ["measured_on", "value", "note"]
        labels = {"measured_on": _("Date")}
        help_texts = {
            "measured_on": _(
                "For a value measured on one day, e.g. a wastewater sample. A date before the promise's period gives "
                "the baseline the trend starts from."
            )
        }
        widgets = {
            "measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["tertial", "measured_on", "value", "note"]

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        self.period = period_of(indicator.promise)
        today = timezone.localdate()
        # A value describes what happened, so a tertial that has not begun cannot have one yet.
        # A value is stored per tertial or per day: a promise followed up in other periods gives its values by date
        # (e.g. on a half-year's last day), so that no value is read as a tertial it does not describe.
        tertials = self.period.tertials() if isinstance(self.period.last_tertial(), Tertial) else []
        self.tertials = [tertial for tertial in tertials if tertial.start <= today]
        self.fields["tertial"].choices = [("", _("No tertial: a date is given"))] + [
            (tertial.code, tertial.label) for tertial in self.tertials
        ]
        self.fields["note"].help_text = NO_PEOPLE_NOTE

    def _update_errors(self, errors):
        # The model names a value's tertial by its year and number; the form asks for it as one field.
        if hasattr(errors, "error_dict"):
            for name in ("year", "number"):
                if name in errors.error_dict:
                    errors.error_dict.setdefault("tertial", []).extend(errors.error_dict.pop(name))
        super()._update_errors(errors)

    def clean_tertial(self):
        code = self.cleaned_data["tertial"]
        if not code:
            return None
        # The choices already limit the codes; parse only what the select offered.
        tertial = Tertial.parse(code)
        if self.instance.indicator.values.filter(year=tertial.year, number=tertial.number).exists():
            raise forms.ValidationError(
                _("There is already a value for %(tertial)s.") % {"tertial": tertial.label}, code="duplicate"
            )
        return tertial

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        if day is None:
            return None
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        # A day before the period is a baseline; after it, the value belongs to no report of this promise.
        if day > self.period.end:
            raise forms.ValidationError(
                _("The date cannot be after the promise period ends, %(end)s.") % {"end": self.period.end.isoformat()},
                code="outside_period",
            )
        if self.instance.indicator.values.filter(measured_on=day).exists():
            raise forms.ValidationError(_("There is already a value for this date."), code="duplicate")
        return day

    def clean(self):
        cleaned_data = super().clean()
        tertial = cleaned_data.get("tertial")
        day = cleaned_data.get("measured_on")
        # Only judge the pair when neither field has already been refused for its own reasons.
        if "tertial" in self.errors or "measured_on" in self.errors:
            return cleaned_data
        if tertial is None and day is None:
            message = _("Choose a tertial or give a date.")
            self.add_error("tertial", forms.ValidationError(message, code="required"))
            self.add_error("measured_on", forms.ValidationError(message, code="required"))
        elif tertial is not None and day is not None:
            message = _("Give either a tertial or a date, not both.")
            self.add_error("tertial", forms.ValidationError(message, code="both"))
            self.add_error("measured_on", forms.ValidationError(message, code="both"))
        elif tertial is not None:
            self.instance.year, self.instance.number = tertial.year, tertial.number
        return cleaned_data
