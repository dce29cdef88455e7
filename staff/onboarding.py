"""A new municipality in one step (issue 16 item 5): an administrator creates the municipality with its districts,
its two organisations (the municipality, and a police area, new or one that already serves its neighbours), its
follow-up forum if it has one, and invites its first coordinator. Everything is saved, or nothing is. The kinds of
the national catalogue (activities.catalogue) that the installation lacks are created with it.

The repository holds no official list of the 290 kommunkoder, so a code is checked for its shape and for starting
with one of today's county (län) codes, the way every real code does.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from activities.catalogue import ensure_kinds
from followup.forum import DEFAULT_DECISION, DEFAULT_KIND, Decision, ForumKind
from followup.models import Council
from promises import memberships
from promises.form_messages import PortalMessages
from promises.models import Municipality, MunicipalitySettings, Organisation, Place
from promises.privacy import validate_no_identity_number
from promises.scope import Role

# Today's county codes (SCB): the first two digits of every kommunkod.
COUNTY_CODES = {
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
}  # fmt: skip
MAX_DISTRICTS = 60
# Addresses a municipality's slug would shadow: the onboarding page itself, and the public site's own pages.
RESERVED_SLUGS = {"ny", "tillganglighet", "arbetsyta", "admin", "api", "logga-in", "static"}


class OnboardingForm(PortalMessages, forms.Form):
    name = forms.CharField(label=_("Municipality's name"), max_length=100, help_text=_("E.g. Strängnäs."))
    code = forms.CharField(
        label=_("Municipality code (kommunkod)"),
        max_length=4,
        help_text=_("Four digits from SCB's list, e.g. 0486 for Strängnäs."),
    )
    districts = forms.CharField(
        label=_("Districts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, e.g. Mariefred. The coordinator can add sites and more districts later."),
    )
    municipal_organisation = forms.CharField(
        label=_("The municipality's organisation"),
        max_length=150,
        required=False,
        help_text=_("Left empty: “<name> kommun”."),
    )
    police_area = forms.ChoiceField(
        label=_("Police area"),
        required=False,
        help_text=_("A police area that already serves a neighbouring municipality, or a new one named below."),
    )
    new_police_area = forms.CharField(
        label=_("New police area's name"),
        max_length=150,
        required=False,
        help_text=_("E.g. Lokalpolisområde Strängnäs. Used when no existing police area is chosen."),
    )
    forum_name = forms.CharField(
        label=_("Follow-up forum's name"),
        max_length=200,
        required=False,
        help_text=_("The council that follows up the promises, e.g. Folkhälsorådet i Berg. Optional."),
    )
    forum_kind = forms.ChoiceField(label=_("Kind of forum"), choices=ForumKind.choices, initial=DEFAULT_KIND)
    forum_decision = forms.ChoiceField(
        label=_("Decision on a follow-up"), choices=Decision.choices, initial=DEFAULT_DECISION
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_("Shown on the public pages; the coordinator can change it."),
    )
    coordinator_email = forms.EmailField(
        label=_("First coordinator's e-mail"),
        help_text=_("They receive an invitation to coordinate the municipality; it expires after 14 days."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.police_areas = {
            str(pk): name
            for pk, name in Organisation.objects.filter(kind=Organisation.Kind.POLICE)
            .order_by("name")
            .values_list("pk", "name")
        }
        self.fields["police_area"].choices = [("", _("A new police area")), *self.police_areas.items()]
        for name in ("name", "districts", "municipal_organisation", "new_police_area", "forum_name"):
            self.fields[name].validators.append(validate_no_identity_number)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not slugify(name):
            raise forms.ValidationError(_("Give the municipality's name in letters."))
        if Municipality.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("There is already a municipality with this name."))
        if slugify(name) in RESERVED_SLUGS or Municipality.objects.filter(slug=slugify(name)).exists():
            raise forms.ValidationError(_("The address of another municipality is already made from this name."))
        return name

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not (len(code) == 4 and code.isdigit()):
            raise forms.ValidationError(_("A municipality code is four digits, e.g. 0486."))
        if code[:2] not in COUNTY_CODES:
            raise forms.ValidationError(
                _("No county has the code %(county)s: check the code in SCB's list.") % {"county": code[:2]}
            )
        if Municipality.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Another municipality already has this code."))
        return code

    def clean_districts(self):
        names, seen = [], set()
        for line in self.cleaned_data["districts"].splitlines():
            name = " ".join(line.split())
            if not name or name.lower() in seen:
                continue
            if len(name) > 100:
                raise forms.ValidationError(
                    _("A district's name has at most 100 characters: %(name)s") % {"name": name}
                )
            seen.add(name.lower())
            names.append(name)
        if len(names) > MAX_DISTRICTS:
            raise forms.ValidationError(_("At most %(count)s districts at a time.") % {"count": MAX_DISTRICTS})
        return names

    def clean_police_area(self):
        chosen = self.cleaned_data["police_area"]
        if chosen and chosen not in self.police_areas:
            raise forms.ValidationError(_("Choose a police area from the list."))
        return chosen

    def clean_coordinator_email(self):
        return self.cleaned_data["coordinator_email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if name and not cleaned.get("municipal_organisation"):
            cleaned["municipal_organisation"] = f"{name} kommun"
        organisation = cleaned.get("municipal_organisation")
        if organisation and Organisation.objects.filter(name__iexact=organisation).exists():
            field = "municipal_organisation" if self.data.get("municipal_organisation") else "name"
            self.add_error(field, _("An organisation named %(name)s already exists.") % {"name": organisation})
        if not cleaned.get("police_area"):
            police = " ".join((cleaned.get("new_police_area") or "").split())
            if not police and "new_police_area" not in self.errors:
                self.add_error("new_police_area", _("Choose a police area, or name a new one."))
            elif police and Organisation.objects.filter(name__iexact=police).exists():
                self.add_error(
                    "new_police_area", _("An organisation named %(name)s already exists.") % {"name": police}
                )
            cleaned["new_police_area"] = police
        forum = " ".join((cleaned.get("forum_name") or "").split())
        if forum and Council.objects.filter(name__iexact=forum).exists():
            self.add_error("forum_name", _("A forum with this name already exists."))
        cleaned["forum_name"] = forum
        email = cleaned.get("coordinator_email")
        if email and get_user_model().objects.filter(is_superuser=True, email__iexact=email).exists():
            self.add_error("coordinator_email", _("An administrator needs no invitation: give the coordinator's own."))
        return cleaned


@transaction.atomic
def onboard(*, by, data, link_for):
    """Creates everything the form describes and sends the invitation; any failure leaves nothing behind.

    The first municipality of an installation also brings the national catalogue of activity kinds, which nobody
    but an administrator could add otherwise: without it no activity, imported or typed, could be made."""
    ensure_kinds()
    municipality = Municipality.objects.create(name=data["name"], slug=slugify(data["name"]), code=data["code"])
    Place.objects.bulk_create(
        Place(municipality=municipality, name=name, kind=Place.Kind.DISTRICT) for name in data["districts"]
    )
    own = Organisation.objects.create(name=data["municipal_organisation"], kind=Organisation.Kind.MUNICIPALITY)
    own.municipalities.add(municipality)
    if data["police_area"]:
        police = Organisation.objects.get(pk=data["police_area"], kind=Organisation.Kind.POLICE)
    else:
        police = Organisation.objects.create(name=data["new_police_area"], kind=Organisation.Kind.POLICE)
    police.municipalities.add(municipality)
    if data["forum_name"]:
        council = Council(name=data["forum_name"], kind=data["forum_kind"], decision=data["forum_decision"])
        council._history_user = by
        council.save()
        council.municipalities.add(municipality)
    if data.get("contact_email"):
        settings = MunicipalitySettings(municipality=municipality, contact_email=data["contact_email"].lower())
        settings._history_user = by
        settings.save()
    invitation = memberships.invitation_send(
        by=by, email=data["coordinator_email"], organisation=own, role=Role.COORDINATOR, link_for=link_for
    )
    return municipality, invitation
