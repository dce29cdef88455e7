from django import forms
from django.utils.translation import gettext_lazy as _

from promises.form_messages import PortalMessages


class SubscribeForm(PortalMessages, forms.Form):
    """An address and what to follow: the whole municipality or one of its public promises."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    follow = forms.ChoiceField(label=_("What do you want news about?"))

    def __init__(self, *args, municipality, promises, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.promises = {str(promise.pk): promise for promise in promises}
        self.fields["follow"].choices = [
            ("all", _("Everything in %(municipality)s") % {"municipality": municipality.name}),
            *((pk, promise.title) for pk, promise in self.promises.items()),
        ]
        self.fields["follow"].initial = "all"

    @property
    def promise(self):
        return self.promises.get(self.cleaned_data["follow"])
