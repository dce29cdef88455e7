"""Municipalities, organisations, memberships and the promises themselves."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .privacy import validate_no_identity_number
from .scope import Role, scope_for


class MunicipalityQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """The municipalities a member of staff works for (in these roles, if given); all for an administrator."""
        return self.filter(scope_for(user).municipality_filter("pk", *roles))

    def with_public_promises(self):
        return self.filter(promises__status__in=Promise.PUBLIC_STATUSES).distinct()


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits, e.g. 0486."))],
        help_text=_("Kommunkod: four digits, e.g. 0486 for Strängnäs."),
    )
    # Changes whenever anything its public pages show changes: the key of their cached copies (promises.versions).
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class PlaceQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """Places of the municipalities the user works for (in these roles, if given)."""
        return self.filter(scope_for(user).municipality_filter("municipality_id", *roles))


class Place(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        SITE = "site", _("Site")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="places", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.DISTRICT)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        limit_choices_to={"kind": "district"},
        verbose_name=_("district"),
        help_text=_("For a site: the district it lies in, if any."),
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["municipality__name", "kind", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="place_unique_name_per_municipality"),
            models.CheckConstraint(
                condition=Q(kind="site") | Q(parent__isnull=True), name="place_only_sites_have_a_district"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("The district must be in the same municipality.")})


class OrganisationQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """Organisations serving a municipality the user works for (in these roles, if given)."""
        scope = scope_for(user)
        if scope.is_administrator:
            return self
        links = Organisation.municipalities.through.objects.filter(scope.municipality_filter("municipality_id", *roles))
        return self.filter(pk__in=links.values("organisation_id"))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality, related_name="organisations", verbose_name=_("municipalities")
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class PromiseQuerySet(models.QuerySet):
    def public(self):
        """Promises citizens may read: signed or closed, never drafts."""
        return self.filter(status__in=self.model.PUBLIC_STATUSES)

    def current(self):
        """Signed promises still being worked on (not drafts, not closed)."""
        return self.filter(status=self.model.Status.SIGNED)

    def in_scope_of(self, user, *roles):
        """Promises of the municipalities the user works for (in these roles, if given); all for an administrator."""
        scope = scope_for(user)
        if scope.is_administrator:
            return self
        links = Promise.municipalities.through.objects.filter(scope.municipality_filter("municipality_id", *roles))
        return self.filter(pk__in=links.values("promise_id"))

    def visible_to(self, user):
        """What the user may read: everything public, plus the drafts of the municipalities they work for."""
        if scope_for(user).is_administrator:
            return self
        return self.filter(Q(status__in=self.model.PUBLIC_STATUSES) | Q(pk__in=self.in_scope_of(user).values("pk")))

    def in_year(self, year):
        return self.filter(year=year)


def _first_of_january():
    return datetime.date(datetime.date.today().year, 1, 1)


def _last_of_december():
    return datetime.date(datetime.date.today().year, 12, 31)


class Promise(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed")

    PUBLIC_STATUSES = (Status.SIGNED, Status.CLOSED)

    title = models.CharField(_("title"), max_length=200, validators=[validate_no_identity_number])
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Used in the address when a municipality has several promises in one year."),
    )
    municipalities = models.ManyToManyField(Municipality, related_name="promises", verbose_name=_("municipalities"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    period_start = models.DateField(
        _("period start"), default=_first_of_january, help_text=_("A promise applies from its signing.")
    )
    period_end = models.DateField(
        _("period end"), default=_last_of_december, help_text=_("Usually 31 December; may be extended.")
    )
    situation = models.TextField(
        _("situation picture"), blank=True, help_text=_("Lägesbild."), validators=[validate_no_identity_number]
    )
    pledge = models.TextField(
        _("pledge"),
        blank=True,
        help_text=_("What the parties promise to do."),
        validators=[validate_no_identity_number],
    )
    expected_effects = models.TextField(_("expected effects"), blank=True, validators=[validate_no_identity_number])
    follow_up = models.TextField(
        _("follow-up"),
        blank=True,
        help_text=_("Where and how progress is reviewed."),
        validators=[validate_no_identity_number],
    )
    communication = models.TextField(_("communication"), blank=True, validators=[validate_no_identity_number])
    # Empty where the source gives no date: a signed promise may not know its signing day, and nothing invents one.
    # Progress is judged from period_start either way (followup.progress), never from this date.
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.ManyToManyField(
        Organisation, related_name="signed_promises", blank=True, verbose_name=_("signatory organisations")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Changes whenever the promise, its activities, records, reports, events or indicators change: the key of
    # its cached figures (promises.versions). Not history: it says nothing a person did.
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)

    history = HistoricalRecords(excluded_fields=["data_version"])

    objects = PromiseQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="promise_period_ends_after_start"
            ),
            models.UniqueConstraint(fields=["year", "slug"], name="promise_unique_slug_per_year"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class FocusAreaQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        return self.filter(promise__in=Promise.objects.in_scope_of(user, *roles))


class FocusArea(models.Model):
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("promise")
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_no_identity_number])
    description = models.TextField(_("description"), blank=True, validators=[validate_no_identity_number])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "order", "pk"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [models.UniqueConstraint(fields=["promise", "title"], name="focus_area_unique_title_per_promise")]

    def __str__(self):
        return self.title


class AccessibilityStatement(models.Model):
    """The tillgänglighetsredogörelse that lag (2018:1937) requires, with the contents DIGG prescribes.

    There is one per installation; administrators edit it in the admin and every page links to it.
    """

    class Compliance(models.TextChoices):
        FULL = "full", _("Fully compliant")
        PARTIAL = "partial", _("Partially compliant")
        NONE = "none", _("Not compliant")

    class Method(models.TextChoices):
        SELF = "self", _("Self-assessment")
        THIRD_PARTY = "third_party", _("Assessment by a third party")

    public_body = models.CharField(
        _("public body"), max_length=200, help_text=_("Who is responsible for the service, e.g. the municipality.")
    )
    service = models.CharField(_("service"), max_length=200, default="Medborgarlöften")
    compliance = models.CharField(
        _("compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    shortcomings = models.TextField(
        _("known shortcomings"), blank=True, help_text=_("Content that is not accessible, and why.")
    )
    assessed_on = models.DateField(_("assessed on"))
    method = models.CharField(_("assessment method"), max_length=20, choices=Method.choices, default=Method.SELF)
    method_description = models.TextField(_("how it was assessed"), blank=True)
    feedback = models.TextField(
        _("how to give feedback"), help_text=_("Contact details for reporting problems or asking for content.")
    )
    feedback_email = models.EmailField(_("feedback e-mail"), blank=True)
    enforcement_url = models.URLField(
        _("DIGG's reporting page"), default="https://www.digg.se/tdosanmalan", max_length=300
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self):
        return str(_("Accessibility statement for %(service)s") % {"service": self.service})
