"""Councils, tertial reports with their assessments, and the indicators of expected effect."""

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities.models import Activity
from promises import locks
from promises.fields import DESCRIPTION_LENGTH, REASON_LENGTH, REPORT_SUMMARY_LENGTH, GuardedCharField, GuardedTextField
from promises.models import Municipality, Promise
from promises.scope import scope_for

from .forum import DEFAULT_DECISION, DEFAULT_KIND, Decision, Forum, ForumKind
from .periods import period_from
from .progress import Status
from .snapshot import Snapshot
from .tertials import Tertial, tertials_between
from .verdicts import Reason, Verdict

TERTIAL_NUMBER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(3)]


class CouncilQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        """Councils of a municipality the user works for (in these roles, if given)."""
        scope = scope_for(user)
        if scope.is_administrator:
            return self
        links = Council.municipalities.through.objects.filter(scope.municipality_filter("municipality_id", *roles))
        return self.filter(pk__in=links.values("council_id"))


class Council(models.Model):
    """A forum that follows up promises: its name, what kind of body it is and how it decides (followup.forum)."""

    Kind = ForumKind
    Decision = Decision

    name = GuardedCharField(_("name"), max_length=200, unique=True)
    municipalities = models.ManyToManyField(Municipality, related_name="councils", verbose_name=_("municipalities"))
    kind = models.CharField(_("kind of forum"), max_length=20, choices=ForumKind.choices, default=DEFAULT_KIND)
    decision = models.CharField(
        _("decision on a follow-up"),
        max_length=10,
        choices=Decision.choices,
        default=DEFAULT_DECISION,
        help_text=_("The words the pages, the PDF and the messages use for what the forum does with a follow-up."),
    )

    # A joint council is edited by the coordinators of each of its municipalities: who changed its name or its
    # municipalities, and when, is kept with the municipalities it had.
    history = HistoricalRecords(m2m_fields=[municipalities])

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("follow-up forum")
        verbose_name_plural = _("follow-up forums")

    def __str__(self):
        return self.name

    @property
    def forum(self) -> Forum:
        return Forum.of(self)


class TertialReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def approved_or_published(self):
        """Reports whose tertial is locked: their records may no longer change."""
        return self.filter(status__in=[self.model.Status.APPROVED, self.model.Status.PUBLISHED])

    def in_scope_of(self, user, *roles):
        return self.filter(promise__in=Promise.objects.in_scope_of(user, *roles))

    def locking(self, *, promise_id, day):
        """The approved or published report, if any, that locks records of ``promise_id`` dated ``day``."""
        return self.approved_or_published().filter(self.model.holding(day), promise_id=promise_id)

    def locks_of(self, promise_id):
        """The promise's approved and published reports, oldest first: what :mod:`promises.locks` asks for."""
        return list(self.approved_or_published().filter(promise_id=promise_id).order_by("year", "number"))

    def locked_tertials(self, promise_ids):
        """{(promise id, period)} of every locked follow-up period of these promises: one query for a whole list."""
        rows = (
            self.approved_or_published()
            .filter(promise_id__in=promise_ids)
            .values_list("promise_id", "kind", "year", "number", "period_start", "period_end")
        )
        return {(promise_id, period_from(*fields)) for promise_id, *fields in rows}


class TertialReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    promise = models.ForeignKey(Promise, on_delete=models.PROTECT, related_name="reports", verbose_name=_("promise"))
    # The follow-up period reported on (followup.periods): its kind (T tertial, H half-year, Q quarter, Y year,
    # P custom), year and number; a custom period also keeps its days, since only the promise's plan knows them.
    kind = models.CharField(_("kind of period"), max_length=1, default="T")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("tertial"), validators=[MinValueValidator(1)])
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = GuardedTextField(_("summary"), max_length=REPORT_SUMMARY_LENGTH, blank=True)
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("council")
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    # Optimistic locking: every workflow step checks and increments it in the same UPDATE.
    revision = models.PositiveIntegerField(_("version"), default=1)
    return_comment = GuardedTextField(_("comment on return"), max_length=REASON_LENGTH, blank=True)
    # Who sent the report to the council: that person may not also approve it (four eyes, DESIGN §2).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_reports",
        verbose_name=_("submitted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_reports",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The whole report frozen at submission and confirmed at approval (followup.snapshot): what the council sees,
    # what it approves and what publishing copies into a Publication. Empty while the report is a draft.
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    # Why a published report was taken back to draft to be corrected; the next publication carries it.
    correction_reason = GuardedTextField(_("reason for the correction"), max_length=REASON_LENGTH, blank=True)

    history = HistoricalRecords()

    objects = TertialReportQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "year", "number"]
        verbose_name = _("tertial report")
        verbose_name_plural = _("tertial reports")
        constraints = [
            models.UniqueConstraint(
                fields=["promise", "kind", "year", "number"], name="report_unique_per_promise_period"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="T", number__gte=1, number__lte=3)
                    | Q(kind="H", number__gte=1, number__lte=2)
                    | Q(kind="Q", number__gte=1, number__lte=4)
                    | Q(kind="Y", number=1)
                    | Q(kind="P", number__gte=1, period_start__isnull=False, period_end__gte=F("period_start"))
                ),
                name="report_period_number_fits_kind",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | Q(approved_at__isnull=False, meeting_date__isnull=False),
                name="report_approved_has_date_and_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False), name="report_published_has_date"
            ),
        ]

    def __str__(self):
        return f"{self.promise} – {self.tertial}"

    @staticmethod
    def holding(day):
        """A filter for the reports whose follow-up period holds ``day``, whatever their kind."""
        tertial = Tertial.containing(day)
        return (
            Q(kind="T", year=tertial.year, number=tertial.number)
            | Q(kind="H", year=day.year, number=1 if day.month <= 6 else 2)
            | Q(kind="Q", year=day.year, number=(day.month - 1) // 3 + 1)
            | Q(kind="Y", year=day.year)
            | Q(kind="P", period_start__lte=day, period_end__gte=day)
        )

    @staticmethod
    def key_of(period) -> dict:
        """The fields that name ``period`` uniquely within a promise: kind, year and number."""
        return {"kind": getattr(period, "kind", "T"), "year": period.year, "number": period.number}

    @staticmethod
    def fields_for(period) -> dict:
        """The model fields naming ``period`` (a Tertial or a followup.periods.FollowUpPeriod)."""
        kind = getattr(period, "kind", "T")
        fields = {"kind": kind, "year": period.year, "number": period.number}
        if kind == "P":
            fields.update(period_start=period.start, period_end=period.end)
        return fields

    @property
    def tertial(self):
        """The follow-up period reported on: a Tertial for a tertial promise (the name stays for that reason)."""
        return period_from(self.kind, self.year, self.number, self.period_start, self.period_end)

    period = tertial

    @property
    def forum(self) -> Forum:
        """The forum the report goes to, as it is now (a frozen report's pages read the snapshot's instead)."""
        return Forum.of(self.council)

    @property
    def is_locked(self):
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    # What the report locks once approved (promises.locks): its tertial, both ends included.
    @property
    def start(self):
        return self.tertial.start

    @property
    def end(self):
        return self.tertial.end

    @property
    def label(self):
        return self.tertial.label

    @property
    def is_frozen(self):
        """Whether the report's figures are frozen: from submission on, until it returns to draft."""
        return self.status != self.Status.DRAFT and bool(self.snapshot)

    @property
    def is_correction(self):
        """Whether the report is being corrected after it was published."""
        return bool(self.correction_reason)

    @property
    def frozen(self) -> Snapshot:
        """The snapshot taken at submission and approval, as its type (empty for a draft)."""
        return Snapshot.from_dict(self.snapshot).filled_from(self)


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """The latest edition of each report: what the report's own address shows."""
        newer = Publication.objects.filter(report=OuterRef("report"), edition__gt=OuterRef("edition"))
        return self.filter(~Exists(newer))

    def public(self):
        """Editions of public promises: a promise taken back to draft takes its results with it."""
        return self.filter(report__promise__status__in=Promise.PUBLIC_STATUSES)


class Publication(models.Model):
    """One published edition of a report: its snapshot as citizens read it, never changed afterwards.

    The first publication of a report is edition 1. A correction (the report taken back to draft with a reason,
    approved and published again) adds edition 2, which carries the reason and replaces edition 1 at the report's
    address; edition 1 stays readable at its own address, marked as replaced. Nothing published is overwritten.
    """

    report = models.ForeignKey(
        TertialReport, on_delete=models.PROTECT, related_name="publications", verbose_name=_("report")
    )
    edition = models.PositiveSmallIntegerField(_("edition"), validators=[MinValueValidator(1)])
    snapshot = models.JSONField(_("snapshot"))
    published_at = models.DateTimeField(_("published at"))
    # Who published it, for the record; never shown in public.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    reason = GuardedTextField(
        _("reason for the correction"),
        max_length=REASON_LENGTH,
        blank=True,
        help_text=_("Why this edition corrects the one before; empty for the first."),
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["report", "edition"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(fields=["report", "edition"], name="publication_unique_edition_per_report"),
            models.CheckConstraint(condition=Q(edition__gte=1), name="publication_edition_from_one"),
            models.CheckConstraint(condition=Q(edition=1) | ~Q(reason=""), name="publication_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.report} ({self.edition})"

    @property
    def tertial(self):
        return self.report.tertial

    @cached_property
    def frozen(self) -> Snapshot:
        """The edition's snapshot as its type; read once, since an edition never changes.

        Internal activities are left out at publication (:func:`followup.snapshot.public_dict`); leaving them out
        here too keeps every public reader safe whatever an edition holds.
        """
        return Snapshot.from_dict(self.snapshot).filled_from(self.report).public()


class Assessment(models.Model):
    Verdict = Verdict
    Reason = Reason

    report = models.ForeignKey(
        TertialReport, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("report")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("activity")
    )
    # Empty: the status computed from the records, whatever it is when the report is read. A value is a status
    # someone chose instead, which needs a comment saying why; it is never a copy of the computed one.
    status = models.CharField(
        _("chosen status"), max_length=10, choices=[(s.value, s.label) for s in Status], blank=True
    )
    comment = GuardedTextField(_("comment"), max_length=DESCRIPTION_LENGTH, blank=True)
    comment_public = models.BooleanField(
        _("public comment"), default=False, help_text=_("Internal unless chosen: only public comments are published.")
    )
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    verdict_reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    verdict_explanation = GuardedTextField(_("public explanation"), max_length=DESCRIPTION_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "activity__order", "activity__pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["report", "activity"], name="assessment_unique_per_report_activity"),
            models.CheckConstraint(
                condition=Q(verdict__in=["", "kept"]) | ~Q(verdict_reason=""),
                name="assessment_reason_unless_kept",
            ),
            models.CheckConstraint(
                condition=Q(status="") | ~Q(comment=""), name="assessment_chosen_status_has_comment"
            ),
        ]

    def __str__(self):
        return f"{self.report} – {self.activity}"


class IndicatorQuerySet(models.QuerySet):
    def in_scope_of(self, user, *roles):
        return self.filter(promise__in=Promise.objects.in_scope_of(user, *roles))


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("promise"))
    name = GuardedCharField(_("name"), max_length=200)
    unit = GuardedCharField(_("unit"), max_length=50, blank=True)
    source = GuardedCharField(_("source"), max_length=200, blank=True)
    better = models.CharField(_("better when"), max_length=10, choices=Direction.choices, default=Direction.LOWER)
    target_value = models.DecimalField(
        _("target value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Optional: the value the promise aims for."),
    )

    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["promise", "name"], name="indicator_unique_name_per_promise")]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveSmallIntegerField(_("tertial"), null=True, blank=True, validators=TERTIAL_NUMBER_VALIDATORS)
    measured_on = models.DateField(_("date"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = GuardedTextField(_("note"), max_length=REASON_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "number", "measured_on"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            # A value belongs to a tertial or to a date, never both and never neither.
            models.CheckConstraint(
                condition=(
                    Q(year__isnull=False, number__isnull=False, measured_on__isnull=True)
                    | Q(year__isnull=True, number__isnull=True, measured_on__isnull=False)
                ),
                name="indicator_value_tertial_or_date",
            ),
            # One value per tertial and one per day: a second one would make the series ambiguous.
            models.UniqueConstraint(
                fields=["indicator", "year", "number"],
                condition=Q(year__isnull=False),
                name="indicator_value_unique_per_tertial",
            ),
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                condition=Q(measured_on__isnull=False),
                name="indicator_value_unique_per_date",
            ),
        ]

    def __str__(self):
        when = Tertial(self.year, self.number) if self.year else self.measured_on
        return f"{self.indicator}: {self.value} ({when})"

    @property
    def last_day(self):
        """The day the value stands at: a tertial's last day, or the day it was measured."""
        return Tertial(self.year, self.number).end if self.year else self.measured_on

    def clean(self):
        """A value belongs to the past and to the promise's period, whichever page it is entered on.

        A value dated before the period is allowed: the latest such value is the indicator's baseline, what the
        trend starts from (followup.indicators). A value after the period belongs to no report and is refused.
        """
        promise = getattr(getattr(self, "indicator", None), "promise", None)
        if promise is None:
            return
        errors = {}
        if self.measured_on:
            if self.measured_on > timezone.localdate():
                errors["measured_on"] = _("The date cannot be in the future.")
            elif self.measured_on > promise.period_end:
                errors["measured_on"] = _("The date cannot be after the promise period ends, %(end)s.") % {
                    "end": promise.period_end.isoformat(),
                }
        if self.year is not None and self.number is not None:
            try:
                tertial = Tertial(self.year, self.number)
            except ValueError:
                tertial = None
            if tertial is None or tertial not in tertials_between(promise.period_start, promise.period_end):
                errors["year"] = _("That tertial is not part of the promise's period.")
            elif tertial.start > timezone.localdate():
                errors["year"] = _("That tertial has not begun yet.")
        if not errors:
            lock = self.locked_by()
            if lock is not None:
                errors["measured_on" if self.measured_on else "year"] = locks.locked_message(lock)
        if errors:
            raise ValidationError(errors)

    @property
    def day(self):
        """The day the value stands for: its date, or the last day of its tertial."""
        if self.measured_on:
            return self.measured_on
        if self.year and self.number:
            return Tertial(self.year, self.number).end
        return None

    def locked_by(self):
        """The approved follow-up whose period holds this value, as it is now or as it was stored, or None.

        A value dated in an approved period was part of what the council approved: it may be neither changed nor
        moved out, and no new value may be dated there, until the report returns to draft.
        """
        promise_id = self.indicator.promise_id
        approved = locks.locks_of(promise_id)
        if not approved:
            return None
        days = [self.day]
        if self.pk:
            stored = IndicatorValue.objects.filter(pk=self.pk).first()
            days.append(stored.day if stored else None)
        for day in days:
            lock = locks.lock_on(promise_id, day, locks=approved) if day else None
            if lock is not None:
                return lock
        return None
