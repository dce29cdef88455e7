"""The forms of the imports: an uploaded sheet, a pasted promise, and the review of what the text was read as.

The review forms offer the same choices as the activity form of the workspace (kinds, the organisations and
places of the promise's municipalities that the user coordinates), computed once for the whole page; the draft
itself is then made through the workspace's own forms (activities.imports), which decide.
"""

from dataclasses import dataclass, field

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from promises.fields import BigIntIdChoiceField
from promises.form_messages import PortalMessages
from promises.forms import NO_PEOPLE
from promises.models import Municipality, Organisation, Place
from promises.scope import Role

from .models import Activity, ActivityKind
from .promise_sheet import MAX_ACTIVITIES, MAX_FOCUS_AREAS, MAX_UPLOAD_BYTES, quoted
from .published_text import MAX_LENGTH, split_promises

TOO_LARGE = _("The file is too large: at most %(size)s MB can be imported.")


class SheetUploadForm(PortalMessages, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_("Start from the template. At most 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE % {"size": MAX_UPLOAD_BYTES // 2**20})
        return upload


def coordinated_municipalities(user):
    return Municipality.objects.in_scope_of(user, Role.COORDINATOR).order_by("name")


class PastedPromiseForm(PortalMessages, forms.Form):
    municipality = BigIntIdChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        help_text=_("Its districts, sites and organisations are what the text is matched against."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only needed when the text names no year, as in its title “Medborgarlöfte 2022”."),
    )
    text = forms.CharField(
        label=_("The promise as published"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Copy the whole promise from polisen.se or the municipality's site, headings and bullet lists included. "
            "One promise at a time."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = coordinated_municipalities(user)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].empty_label = None if municipalities.count() == 1 else _("Choose a municipality")

    def clean_text(self):
        text = self.cleaned_data["text"]
        pieces = split_promises(text)
        if len(pieces) > 1:
            titles = ", ".join(quoted(piece.splitlines()[0].strip()) for piece in pieces)
            raise forms.ValidationError(
                _("The text holds %(count)s promises (%(titles)s). Paste one at a time.")
                % {"count": len(pieces), "titles": titles}
            )
        return text


class ReviewMetaForm(PortalMessages, forms.Form):
    """What the review page carries besides the forms: the municipality the text was read for, and the text
    that belongs to no field (shown again if the page comes back with errors)."""

    municipality = BigIntIdChoiceField(queryset=Municipality.objects.none(), widget=forms.HiddenInput)
    unplaced = forms.CharField(required=False, max_length=MAX_LENGTH, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = coordinated_municipalities(user)


@dataclass
class ReviewChoices:
    """The choices of every activity on the review page, read once: (value, label) pairs."""

    kinds: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    places: list = field(default_factory=list)
    focus_areas: list = field(default_factory=list)


def review_choices(*, municipality, user, focus_areas) -> ReviewChoices:
    """What the activity form would offer for a promise of ``municipality``: three queries."""
    organisations = (
        Organisation.objects.in_scope_of(user, Role.COORDINATOR).filter(municipalities=municipality).order_by("name")
    )
    places = Place.objects.in_scope_of(user, Role.COORDINATOR).filter(municipality=municipality)
    places = places.order_by("kind", "name")
    return ReviewChoices(
        kinds=[(str(kind.pk), kind.name) for kind in ActivityKind.objects.order_by("name")],
        organisations=[(str(o.pk), o.name) for o in organisations],
        places=[(str(p.pk), p.name) for p in places],
        focus_areas=[(str(index), title) for index, title in enumerate(focus_areas)],
    )


class ReviewFocusAreaForm(PortalMessages, forms.Form):
    title = forms.CharField(label=_("Focus area"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=NO_PEOPLE
    )


ReviewFocusAreaFormSet = forms.formset_factory(
    ReviewFocusAreaForm, extra=0, max_num=MAX_FOCUS_AREAS, absolute_max=MAX_FOCUS_AREAS, validate_max=True
)


class ReviewActivityForm(PortalMessages, forms.Form):
    """One commitment as the text was read: everything the activity form asks, to be checked and corrected."""

    include = forms.BooleanField(label=_("Include this activity in the draft"), required=False, initial=True)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=NO_PEOPLE
    )
    focus_area = forms.ChoiceField(label=_("Focus area"), required=False)
    kind = forms.ChoiceField(label=_("Activity kind"))
    lead_organisation = forms.ChoiceField(label=_("Lead organisation"))
    partner_organisations = forms.MultipleChoiceField(
        label=_("Partner organisations"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target_count = forms.IntegerField(
        label=_("Target count"),
        required=False,
        min_value=1,
        help_text=_("At least this many, over the whole period. Leave empty when the target is not a number."),
    )
    unit = forms.CharField(label=_("Unit"), required=False, max_length=100)
    target_places = forms.MultipleChoiceField(
        label=_("Target places"), required=False, widget=forms.CheckboxSelectMultiple
    )
    recurrence = forms.ChoiceField(label=_("Recurrence"), choices=Activity.Recurrence.choices, widget=forms.RadioSelect)

    def __init__(self, *args, choices: ReviewChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].choices = [("", _("No focus area")), *choices.focus_areas]
        self.fields["kind"].choices = [("", _("Choose a kind")), *choices.kinds]
        self.fields["lead_organisation"].choices = [("", _("Choose an organisation")), *choices.organisations]
        self.fields["partner_organisations"].choices = choices.organisations
        self.fields["target_places"].choices = choices.places

    def full_clean(self):
        super().full_clean()
        # An activity left out of the draft is not checked: nothing of it is saved.
        if self.is_bound and not self.cleaned_data.get("include"):
            self._errors = ErrorDict()

    @property
    def included(self) -> bool:
        """Whether the person left the activity in: its box as posted (or as first shown)."""
        return bool(self["include"].value())

    def activity_data(self) -> dict:
        """The cleaned values as the workspace's activity form takes them."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "focus_area": data["focus_area"],
            "kind": data["kind"],
            "lead_organisation": data["lead_organisation"],
            "partner_organisations": data["partner_organisations"],
            "target_count": "" if data["target_count"] is None else data["target_count"],
            "unit": data["unit"],
            "target_places": data["target_places"],
            "recurrence": data["recurrence"],
        }


ReviewActivityFormSet = forms.formset_factory(
    ReviewActivityForm, extra=0, max_num=MAX_ACTIVITIES, absolute_max=MAX_ACTIVITIES, validate_max=True
)
