"""Municipalities, organisations, memberships and the promises themselves."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import locks
from .fields import (
    DESCRIPTION_LENGTH,
    PROMISE_TEXT_LENGTH,
    STATEMENT_TEXT_LENGTH,
    GuardedCharField,
    GuardedEmailField,
    GuardedSlugField,
    GuardedTextField,
    GuardedURLField,
)
from .scope import Role, scope_for


class MunicipalityQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """The municipalities a member of staff works for (in these roles, if given); all for an administrator."""
        return self.filter(scope_for(user).municipality_filter("pk", *roles))

    def with_public_promises(self):
        return self.filter(promises__status__in=Promise.PUBLIC_STATUSES).distinct()


class Municipality(models.Model):
    name = GuardedCharField(_("name"), max_length=100)
    slug = GuardedSlugField(_("slug"), max_length=100, unique=True)
    code = GuardedCharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality code is four digits, e.g. 0486."))],
        help_text=_("Kommunkod: four digits, e.g. 0486 for Strängnäs."),
    )
    # Changes whenever anything its public pages show changes: the key of their cached copies (promises.versions).
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)

    # Who changed a name, address or code, and when. The data version is a cache key, not something a person did.
    history = HistoricalRecords(excluded_fields=["data_version"])

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class RetirableQuerySet(models.QuerySet):
    """For what records and reports name (places, organisations, activity kinds): it is retired, never deleted."""

    def current(self):
        """Not retired: what new records, activities, events and memberships may choose."""
        return self.filter(retired_at__isnull=True)

    def retired(self):
        return self.filter(retired_at__isnull=False)


class Retirable(models.Model):
    """A place, organisation or activity kind that records and reports use cannot be deleted (they would lose it or
    change with it); it is retired instead: no longer offered for anything new, still shown where it was used."""

    retired_at = models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A retired one is no longer offered for anything new, but stays on what already uses it."),
    )

    class Meta:
        abstract = True

    @property
    def is_retired(self):
        return self.retired_at is not None

    def retire(self):
        if self.retired_at is None:
            self.retired_at = timezone.now()
            self.save(update_fields=["retired_at"])


PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{4,28}[0-9]$",
    _("Give a phone number of digits, spaces and dashes, e.g. 0152-291 00 or +46 152 291 00."),
)


class MunicipalitySettings(models.Model):
    """What a municipality's coordinators keep about it (issue 16): how residents reach it about the promises and
    their pages, and what its own accessibility statement says where it differs from the installation's.

    The contact is shown on the municipality's public pages and in its accessibility statement, which DIGG's model
    requires to name a channel. A row of its own rather than columns on Municipality, so that its history tells
    who changed a phone number or the statement, and when.
    """

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="settings", verbose_name=_("municipality")
    )
    contact_email = GuardedEmailField(
        _("contact e-mail"),
        max_length=254,
        blank=True,
        help_text=_("A shared address residents write to about the promises, e.g. trygghet@kommun.se."),
    )
    contact_phone = GuardedCharField(
        _("contact phone"),
        max_length=30,
        blank=True,
        validators=[PHONE_VALIDATOR],
        help_text=_("A switchboard or contact centre, not a person's own number."),
    )
    accessibility_statement = GuardedTextField(
        _("what differs in the accessibility statement"),
        max_length=STATEMENT_TEXT_LENGTH,
        blank=True,
        help_text=_(
            "Only what differs from the national statement for your municipality's pages, e.g. a document that is "
            "not accessible. Left empty, the national statement applies as it is."
        ),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality settings")
        verbose_name_plural = _("municipality settings")

    def __str__(self):
        return str(self.municipality)

    @property
    def has_contact(self):
        return bool(self.contact_email or self.contact_phone)


class PlaceQuerySet(RetirableQuerySet):
    def in_scope_of(self, user, *roles):
        """Places of the municipalities the user works for (in these roles, if given)."""
        return self.filter(scope_for(user).municipality_filter("municipality_id", *roles))


class Place(Retirable):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District")
        SITE = "site", _("Site")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="places", verbose_name=_("municipality")
    )
    name = GuardedCharField(_("name"), max_length=100)
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

    history = HistoricalRecords()

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


class OrganisationQuerySet(RetirableQuerySet):
    def in_scope_of(self, user, *roles):
        """Organisations serving a municipality the user works for (in these roles, if given)."""
        scope = scope_for(user)
        if scope.is_administrator:
            return self
        links = Organisation.municipalities.through.objects.filter(scope.municipality_filter("municipality_id", *roles))
        return self.filter(pk__in=links.values("organisation_id"))


class Organisation(Retirable):
    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    name = GuardedCharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality, related_name="organisations", verbose_name=_("municipalities")
    )
    # Set by an administrator: every member must set up a second factor before any staff page (config.accounts).
    requires_mfa = models.BooleanField(
        _("requires two-factor authentication"),
        default=False,
        help_text=_("Every member must set up a code from an authenticator app before they can use the portal."),
    )

    # Whose scope an organisation gives its members depends on its municipalities: their changes are kept too.
    history = HistoricalRecords(m2m_fields=[municipalities])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """Memberships of organisations serving a municipality the user works for (in these roles, if given)."""
        return self.filter(organisation__in=Organisation.objects.in_scope_of(user, *roles))

    def of_address(self, email):
        """Memberships of the accounts with this e-mail address, or with it as user name (as invited people have)."""
        return self.filter(Q(user__email__iexact=email) | Q(user__username__iexact=email))


class Membership(models.Model):
    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    # Who was given which role, by whom and why: granted, changed and ended only through promises.memberships.
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect identity provider, registered by an administrator (docs/OPERATIONS.md).

    The secret is never stored: the model names the environment variable that holds it. Only people whose verified
    address is in one of the allowed domains may log in through it (config.accounts.IdentityProviderAdapter).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="identity_providers", verbose_name=_("organisation")
    )
    slug = GuardedSlugField(
        _("short name"),
        max_length=50,
        unique=True,
        help_text=_("Part of the provider's addresses in the portal, e.g. strangnas-kommun."),
    )
    name = GuardedCharField(_("name"), max_length=100, help_text=_("Shown on the log-in button."))
    issuer = GuardedURLField(
        _("issuer"),
        max_length=200,
        help_text=_("The provider's issuer address; its /.well-known/openid-configuration is read."),
    )
    client_id = GuardedCharField(_("client id"), max_length=200)
    secret_variable = GuardedCharField(
        _("environment variable with the client secret"),
        max_length=100,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Capital letters, digits and underscores only."))],
        help_text=_("The name of the variable, e.g. OIDC_STRANGNAS_SECRET; the secret itself is never stored."),
    )
    allowed_domains = GuardedCharField(
        _("allowed e-mail domains"),
        max_length=500,
        help_text=_("Separated by commas, e.g. strangnas.se. Only verified addresses in these domains may log in."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self):
        return self.name

    @property
    def domains(self) -> set[str]:
        return {part.strip().lower().lstrip("@") for part in self.allowed_domains.split(",") if part.strip()}

    def allows(self, email: str) -> bool:
        """Whether the address is in one of the allowed domains (exactly: a subdomain is another domain)."""
        _local, at, domain = (email or "").rpartition("@")
        return bool(at and _local) and domain.lower() in self.domains

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the issuer: where the browser is sent to log in (CSP form-action allows it)."""
        from urllib.parse import urlsplit

        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"


class InvitationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Invitations that can still be accepted: neither accepted, withdrawn nor expired."""
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now())

    def in_scope_of(self, user, *roles):
        """Invitations to organisations serving a municipality the user works for (in these roles, if given)."""
        return self.filter(organisation__in=Organisation.objects.in_scope_of(user, *roles))


class Invitation(models.Model):
    """An invitation by e-mail to a role in an organisation; the membership exists only once it is accepted.

    The link in the e-mail carries a random token of which only a hash is stored, so a copy of the database
    cannot be used to accept anyone's invitation. An invitation expires, and can be withdrawn until accepted.
    """

    email = GuardedEmailField(_("e-mail address"), max_length=254)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    history = HistoricalRecords()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="invitation_accepted_or_withdrawn_not_both",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="invitation_accepted_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.organisation} ({self.get_role_display()})"

    @property
    def state(self):
        if self.accepted_at:
            return "accepted"
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


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

    def covering_year(self, year):
        """Promises found under ``year``: of that year, or of an earlier one whose period holds its first half.

        The same rule as :attr:`Promise.covered_years`, in SQL.
        """
        if not 1 <= year <= 9998:  # no promise has such a year, and no date could be made of it
            return self.none()
        return self.filter(
            Q(year=year)
            | Q(
                year__lt=year,
                period_start__lt=datetime.date(year, 1, 1),
                period_end__gte=datetime.date(year, 6, 30),
            )
        )

    def sharing_a_municipality_with(self, municipality_ids):
        """Promises of any of these municipalities."""
        links = Promise.municipalities.through.objects.filter(municipality_id__in=list(municipality_ids))
        return self.filter(pk__in=links.values("promise_id"))

    def slug_taken(self, *, slug, year, municipality_ids, exclude=None):
        """Whether one of these municipalities already has a promise with this slug in this year.

        Addresses are /<kommun>/<år>/<slug>/, so a slug must be free in each municipality and year, not across the
        country: two municipalities may both call their promise "medborgarlofte-2020". PromiseAddress holds it.
        """
        taken = PromiseAddress.objects.filter(municipality__in=list(municipality_ids), year=year, slug=slug)
        if exclude is not None:
            taken = taken.exclude(promise=exclude)
        return taken.exists()


def _first_of_january():
    return datetime.date(datetime.date.today().year, 1, 1)


def _last_of_december():
    return datetime.date(datetime.date.today().year, 12, 31)


class FollowUpPlan(models.TextChoices):
    """The follow-up plans of followup.periods, by the same values."""

    TERTIALS = "tertials", _("Tertials (January–April, May–August, September–December)")
    HALF_YEARS = "half_years", _("Half-years (January–June, July–December)")
    QUARTERS = "quarters", _("Quarters")
    YEARLY = "yearly", _("Once a year")
    CUSTOM = "custom", _("Custom periods (the end date of each)")


class Promise(models.Model):
    FollowUpPlan = FollowUpPlan

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        CLOSED = "closed", _("Closed")

    PUBLIC_STATUSES = (Status.SIGNED, Status.CLOSED)

    title = GuardedCharField(_("title"), max_length=200)
    slug = GuardedSlugField(
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
    # How the promise is followed up (followup.periods): chosen when it is drafted, fixed once a follow-up is approved.
    followup_plan = models.CharField(
        _("follow-up plan"),
        max_length=12,
        choices=FollowUpPlan.choices,
        default=FollowUpPlan.TERTIALS,
        help_text=_("How often the council follows up the promise."),
    )
    # For a custom plan: the last day of each follow-up period but the last, as ISO dates inside the period.
    followup_period_ends = models.JSONField(_("ends of the follow-up periods"), default=list, blank=True)
    situation = GuardedTextField(
        _("situation picture"), max_length=PROMISE_TEXT_LENGTH, blank=True, help_text=_("Lägesbild.")
    )
    pledge = GuardedTextField(
        _("pledge"), max_length=PROMISE_TEXT_LENGTH, blank=True, help_text=_("What the parties promise to do.")
    )
    expected_effects = GuardedTextField(_("expected effects"), max_length=PROMISE_TEXT_LENGTH, blank=True)
    follow_up = GuardedTextField(
        _("follow-up"), max_length=PROMISE_TEXT_LENGTH, blank=True, help_text=_("Where and how progress is reviewed.")
    )
    communication = GuardedTextField(_("communication"), max_length=PROMISE_TEXT_LENGTH, blank=True)
    # Empty where the source gives no date: a signed promise may not know its signing day, and nothing invents one.
    # Progress is judged from period_start either way (followup.progress), never from this date.
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.ManyToManyField(
        Organisation, related_name="signed_promises", blank=True, verbose_name=_("signatory organisations")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The promise this one was started from as next year's draft: a second click finds it instead of copying again.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
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
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if not errors and self.period_start and self.period_end:
            errors.update(self._plan_errors())
        if not errors and self.pk and self.period_start and self.period_end:
            errors.update(self._period_lock_errors())
        if errors:
            raise ValidationError(errors)

    def custom_period_ends(self) -> list[datetime.date]:
        """The stored end dates of a custom plan as dates, in order (unreadable entries left out)."""
        days = []
        for value in self.followup_period_ends or []:
            try:
                days.append(value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)))
            except ValueError:
                continue
        return sorted(set(days))

    def _plan_errors(self):
        """A custom plan needs end dates inside the period; the plan is fixed once a follow-up is approved."""
        errors = {}
        if self.followup_plan == FollowUpPlan.CUSTOM:
            ends = self.followup_period_ends or []
            days = self.custom_period_ends()
            if len(days) != len(ends):
                errors["followup_period_ends"] = _("Write each end date as YYYY-MM-DD, once.")
            elif not days:
                errors["followup_period_ends"] = _("A custom plan needs at least one end date before the period ends.")
            elif any(not self.period_start <= day < self.period_end for day in days):
                errors["followup_period_ends"] = _(
                    "Each end date must lie within the promise's period and before its last day."
                )
        elif self.followup_period_ends:
            self.followup_period_ends = []
        if not errors and self.pk:
            stored = Promise.objects.filter(pk=self.pk).values("followup_plan", "followup_period_ends").first()
            changed = stored is not None and (
                stored["followup_plan"] != self.followup_plan
                or (stored["followup_period_ends"] or []) != (self.followup_period_ends or [])
            )
            approved = locks.locks_of(self.pk) if changed else []
            if approved:
                errors["followup_plan"] = locks.locked_message(approved[0])
        return errors

    @property
    def covered_years(self) -> list[int]:
        """The years the promise is found under: its year, and each later year whose first half lies in its period.

        A later year counts only when the period began before it, so that the period is really longer than a year.

        A two-year promise 2021-01-01..2022-12-31 covers 2021 and 2022; a one-year promise extended to 31 January
        of the next year still covers its year alone.
        """
        last = self.period_end.year - (self.period_end < datetime.date(self.period_end.year, 6, 30))
        later = range(max(self.year, self.period_start.year) + 1, last + 1)
        return [self.year, *later]

    @property
    def years_label(self) -> str:
        """ "2021" or "2021–2022": how the public pages name the promise's years."""
        years = self.covered_years
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"

    def _period_lock_errors(self):
        """The period may not shrink so that a day of an approved follow-up falls outside it (DESIGN §5).

        An approved report was judged on the days of its period that lay inside the promise's period; a new
        start after the first such day, or a new end before the last, would move it. Extending the period, or
        moving it where no approved period lies, stays possible.
        """
        approved = locks.locks_of(self.pk)
        if not approved:
            return {}
        stored = Promise.objects.filter(pk=self.pk).values("period_start", "period_end").first()
        if stored is None:
            return {}
        errors = {}
        first, last = approved[0], approved[-1]
        if self.period_start > max(stored["period_start"], first.start):
            errors["period_start"] = locks.locked_message(first)
        if self.period_end < min(stored["period_end"], last.end):
            errors["period_end"] = locks.locked_message(last)
        return errors

    @property
    def municipality_names(self) -> str:
        return ", ".join(municipality.name for municipality in self.municipalities.all())


class PromiseAddress(models.Model):
    """Where a promise is found: one row per municipality of the promise, with its year and slug.

    The rows exist so that the database itself keeps a slug unique per municipality and year (a unique key
    across a many-to-many relation is otherwise beyond it). They are kept in step with every save of a promise
    and every change of its municipalities (:func:`sync_addresses`); a write that would give two promises one
    address fails with IntegrityError, which the services turn into a message.
    """

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="addresses")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="promise_addresses")
    year = models.PositiveSmallIntegerField()
    slug = GuardedSlugField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "slug"], name="promise_address_unique"),
        ]

    def __str__(self):
        return f"/{self.municipality.slug}/{self.year}/{self.slug}/"


def sync_addresses(promise) -> None:
    """The promise's addresses as its year, slug and municipalities say now."""
    wanted = {
        (municipality_id, year, promise.slug)
        for municipality_id in promise.municipalities.values_list("pk", flat=True)
        for year in promise.covered_years
    }
    stored = {
        (row["municipality_id"], row["year"], row["slug"]): row["pk"]
        for row in PromiseAddress.objects.filter(promise=promise).values("pk", "municipality_id", "year", "slug")
    }
    stale = [pk for key, pk in stored.items() if key not in wanted]
    if stale:
        PromiseAddress.objects.filter(pk__in=stale).delete()
    PromiseAddress.objects.bulk_create(
        PromiseAddress(promise=promise, municipality_id=municipality_id, year=year, slug=slug)
        for municipality_id, year, slug in wanted - set(stored)
    )


class PromiseLinkRequest(models.Model):
    """A request to share a draft promise with another municipality, which that municipality's coordinator decides.

    Neighbours often make one promise together (Stenungsund, Orust and Tjörn). A coordinator of one of them may
    ask to add another; the municipality joins the promise only when one of its own coordinators accepts, and the
    promise cannot be signed while a request is open. Until then the other municipality's people see nothing of
    the draft but the request.
    """

    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("promise")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="link_requests", verbose_name=_("municipality")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    accepted = models.BooleanField(_("accepted"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "pk"]
        verbose_name = _("request to share a promise")
        verbose_name_plural = _("requests to share a promise")
        constraints = [
            # One open request per promise and municipality; a refused one may be asked again.
            models.UniqueConstraint(
                fields=["promise", "municipality"],
                condition=Q(decided_at__isnull=True),
                name="link_request_one_open_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, accepted__isnull=True, decided_by__isnull=True)
                | Q(decided_at__isnull=False, accepted__isnull=False, decided_by__isnull=False),
                name="link_request_decided_with_who_and_what",
            ),
        ]

    def __str__(self):
        return f"{self.promise} – {self.municipality}"

    @property
    def is_open(self):
        return self.decided_at is None


class FocusAreaQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        return self.filter(promise__in=Promise.objects.in_scope_of(user, *roles))


class FocusArea(models.Model):
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("promise")
    )
    title = GuardedCharField(_("title"), max_length=200)
    description = GuardedTextField(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

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

    public_body = GuardedCharField(
        _("public body"), max_length=200, help_text=_("Who is responsible for the service, e.g. the municipality.")
    )
    service = GuardedCharField(_("service"), max_length=200, default="Medborgarlöften")
    compliance = models.CharField(
        _("compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    shortcomings = GuardedTextField(
        _("known shortcomings"),
        max_length=STATEMENT_TEXT_LENGTH,
        blank=True,
        help_text=_("Content that is not accessible, and why."),
    )
    assessed_on = models.DateField(_("assessed on"))
    method = models.CharField(_("assessment method"), max_length=20, choices=Method.choices, default=Method.SELF)
    method_description = GuardedTextField(_("how it was assessed"), max_length=STATEMENT_TEXT_LENGTH, blank=True)
    feedback = GuardedTextField(
        _("how to give feedback"),
        max_length=STATEMENT_TEXT_LENGTH,
        help_text=_("Contact details for reporting problems or asking for content."),
    )
    feedback_email = GuardedEmailField(_("feedback e-mail"), max_length=254, blank=True)
    enforcement_url = GuardedURLField(
        _("DIGG's reporting page"), default="https://www.digg.se/tdosanmalan", max_length=300
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")

    def __str__(self):
        return str(_("Accessibility statement for %(service)s") % {"service": self.service})
