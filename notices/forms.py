from django import forms
from django.utils.translation import gettext_lazy as _

from promises.form_messages import PortalMessages

from .models import LANGUAGE_CHOICES, STAFF_KINDS, Kind, StaffPreference


class StaffPreferenceForm(PortalMessages, forms.Form):
    """A person's language and, for each notice, whether it comes by e-mail and in the portal (on by default)."""

    language = forms.ChoiceField(label=_("Language of e-mail and notices"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, preference: StaffPreference, **kwargs):
        super().__init__(*args, **kwargs)
        self.preference = preference
        self.fields["language"].initial = preference.language
        for kind in STAFF_KINDS:
            label = Kind(kind).label
            self.fields[f"{kind}_email"] = forms.BooleanField(
                label=_("%(notice)s: by e-mail") % {"notice": label},
                required=False,
                initial=preference.wants(kind, "email"),
            )
            self.fields[f"{kind}_portal"] = forms.BooleanField(
                label=_("%(notice)s: in the portal") % {"notice": label},
                required=False,
                initial=preference.wants(kind, "portal"),
            )

    def save(self) -> StaffPreference:
        preference = self.preference
        preference.language = self.cleaned_data["language"]
        preference.email_off = [kind.value for kind in STAFF_KINDS if not self.cleaned_data[f"{kind}_email"]]
        preference.portal_off = [kind.value for kind in STAFF_KINDS if not self.cleaned_data[f"{kind}_portal"]]
        preference.save()
        return preference
