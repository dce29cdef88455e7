"""What a promise commits to (activities with targets) and what was done (activity records)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from promises import locks
from promises.fields import DESCRIPTION_LENGTH, REASON_LENGTH, GuardedCharField, GuardedSlugField, GuardedTextField
from promises.models import FocusArea, Municipality, Organisation, Place, Promise, Retirable, RetirableQuerySet
from promises.scope import Role, scope_for

# An upper bound for one record's quantity: far above any real count, far below what sums could overflow.
MAX_QUANTITY = 100_000


def change_reason(text):
    """A reason as history keeps it: its change_reason column holds 100 characters; the full text stays on the row."""
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:99] + "…"


class ActivityKind(Retirable):
    name = GuardedCharField(_("name"), max_length=100, unique=True)
    slug = GuardedSlugField(_("slug"), max_length=100, unique=True)
    description = GuardedTextField(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)

    history = HistoricalRecords()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")

    def __str__(self):
        return self.name


class ActivityQuerySet(models.QuerySet):
    def with_achieved(self):
        """Each activity with ``achieved``: the sum of its records that count, read in the same query."""
        total = (
            ActivityRecord.objects.active()
            .filter(activity=models.OuterRef("pk"))
            .order_by()
            .values("activity")
            .annotate(total=models.Sum("quantity"))
            .values("total")
        )
        return self.annotate(achieved=Coalesce(models.Subquery(total), 0))

    def in_scope_of(self, user, *roles):
        """Activities of promises in the municipalities the user works for (in these roles, if given)."""
        return self.filter(promise__in=Promise.objects.in_scope_of(user, *roles))

    def involving(self, organisations):
        """Activities that one of the organisations leads or takes part in."""
        return self.filter(self._involving(organisations))

    def _involving(self, organisations):
        # A subquery on the partners table, not a join with DISTINCT: that read the national tables twice.
        partners = self.model.partner_organisations.through.objects.filter(organisation_id__in=organisations)
        return Q(lead_organisation__in=organisations) | Q(pk__in=partners.values("activity_id"))

    def of_current_promises(self):
        return self.filter(promise__status=Promise.Status.SIGNED)

    def public(self):
        """What citizens may see: the activities of public (signed or closed) promises that are not internal."""
        return self.filter(promise__status__in=Promise.PUBLIC_STATUSES, is_internal=False)

    def listed_for(self, user):
        """ "Mina aktiviteter": current activities the user's organisations take part in, or that they coordinate."""
        return self._current_for(user, scope_for(user).organisation_ids)

    def loggable_by(self, user):
        """Activities the user may log records for: as a recorder of a taking-part organisation, or coordinator."""
        return self._current_for(user, scope_for(user).organisations_where(Role.RECORDER))

    def _current_for(self, user, organisations):
        """Current activities in the user's scope that these organisations take part in, or the user coordinates."""
        current = self.of_current_promises()
        if scope_for(user).is_administrator:
            return current
        coordinated = Promise.objects.in_scope_of(user, Role.COORDINATOR).values("pk")
        # The OR is a filter on the few activities of the user's promises, which the database finds first by
        # index; as "pk IN (activities involving …)" it read every activity in the country (7 ms at full size).
        return current.in_scope_of(user).filter(Q(promise__in=coordinated) | self._involving(organisations))


class Activity(models.Model):
    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        CONTINUOUS = "continuous", _("Continuous")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="activities", verbose_name=_("promise"))
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("focus area"),
    )
    kind = models.ForeignKey(
        ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name=_("activity kind")
    )
    title = GuardedCharField(_("title"), max_length=200)
    description = GuardedTextField(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_activities", verbose_name=_("lead organisation")
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_activities", verbose_name=_("partner organisations")
    )
    target_count = models.PositiveIntegerField(
        _("target count"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("At least this many, over the whole period. Leave empty when the target is not a number."),
    )
    unit = GuardedCharField(_("unit"), max_length=100, blank=True, help_text=_("E.g. “nya grannsamverkansområden”."))
    unit_singular = GuardedCharField(
        _("unit for one"),
        max_length=100,
        blank=True,
        help_text=_("The unit when the number is 1, e.g. “nytt grannsamverkansområde”. Empty: the unit above is used."),
    )
    target_places = models.ManyToManyField(
        Place,
        blank=True,
        related_name="targeting_activities",
        verbose_name=_("target places"),
        help_text=_("Places that must each see at least one record."),
    )
    recurrence = models.CharField(
        _("recurrence"),
        max_length=10,
        choices=Recurrence.choices,
        default=Recurrence.CONTINUOUS,
        help_text=_("For a target without a number: done once, or kept up every tertial."),
    )
    target_window_start = models.DateField(
        _("target applies from"),
        null=True,
        blank=True,
        help_text=_("For a target of part of the period, e.g. a winter season: its first day. Else leave empty."),
    )
    target_window_end = models.DateField(
        _("target applies until"),
        null=True,
        blank=True,
        help_text=_("The last day of that part; the target is judged on it."),
    )
    target_per_municipality = models.BooleanField(
        _("target per municipality"),
        default=False,
        help_text=_(
            "In a promise of several municipalities: the target applies to each municipality, judged on the "
            "records at its places."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_internal = models.BooleanField(
        _("internal"),
        default=False,
        help_text=_(
            "Part of the internal action plan, not of the public promise: never shown to citizens, "
            "and it cannot have public events."
        ),
    )

    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["promise", "order", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_count__isnull=True) | Q(target_count__gte=1),
                name="activity_target_count_at_least_one",
            ),
            models.CheckConstraint(
                condition=Q(target_window_start__isnull=True, target_window_end__isnull=True)
                | Q(
                    target_window_start__isnull=False,
                    target_window_end__isnull=False,
                    target_window_start__lte=models.F("target_window_end"),
                ),
                name="activity_target_window_both_ends_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    # What an approved follow-up judged the activity on: it may not change while such a report stands.
    # Whether it is internal is judged too: the published edition already showed it, or left it out.
    JUDGED_FIELDS = (
        "promise",
        "target_count",
        "unit",
        "recurrence",
        "is_internal",
        "target_window_start",
        "target_window_end",
        "target_per_municipality",
    )

    def clean(self):
        if self.focus_area_id and self.promise_id and self.focus_area.promise_id != self.promise_id:
            raise ValidationError({"focus_area": _("The focus area belongs to another promise.")})
        window_errors = self.target_window_errors()
        if window_errors:
            raise ValidationError(window_errors)
        if self.pk:
            errors = self.judged_field_errors()
            if not errors.get("is_internal") and self.is_internal and self.announced_events().exists():
                errors["is_internal"] = [
                    _(
                        "The activity has announced events in the public calendar. "
                        "Cancel them before making it internal."
                    )
                ]
            if errors:
                raise ValidationError(errors)

    def target_window_errors(self) -> dict:
        """{field: message} when the target's window lacks an end, ends before it starts or leaves the period."""
        start, end = self.target_window_start, self.target_window_end
        if start is None and end is None:
            return {}
        if start is None or end is None:
            missing = "target_window_start" if start is None else "target_window_end"
            return {missing: _("Give both the first and the last day of the part of the period, or neither.")}
        if end < start:
            return {"target_window_end": _("The last day must not be before the first.")}
        promise = self.promise if self.promise_id else None
        if promise is not None and not promise.period_start <= start <= end <= promise.period_end:
            return {
                "target_window_start": _("The part must lie within the promise period, %(start)s–%(end)s.")
                % {"start": promise.period_start.isoformat(), "end": promise.period_end.isoformat()}
            }
        return {}

    def announced_events(self):
        """Its planned events still in the public calendar: not cancelled and not yet over."""
        return self.planned_events.filter(cancelled_at__isnull=True, ends_at__gte=timezone.now())

    def judged_field_errors(self) -> dict:
        """{field: message} for each field changed since it was stored that an approved follow-up judged it on.

        The stored row decides which promise's follow-ups count: moving an activity out of a promise whose
        report is approved would take its figures out of that report.
        """
        attnames = [self._meta.get_field(field).attname for field in self.JUDGED_FIELDS]
        stored = Activity.objects.filter(pk=self.pk).values(*attnames).first()
        if stored is None:
            return {}
        changed = [
            field
            for field in self.JUDGED_FIELDS
            if getattr(self, self._meta.get_field(field).attname) != stored[self._meta.get_field(field).attname]
        ]
        if not changed:
            return {}
        approved = locks.locks_of(stored["promise_id"])
        if not approved:
            return {}
        message = locks.locked_message(approved[-1])
        return {field: [message] for field in changed}

    def target_places_locked_by(self):
        """The approved follow-up that forbids changing the target places, or None."""
        approved = locks.locks_of(self.promise_id) if self.pk else []
        return approved[-1] if approved else None

    def unit_for(self, count):
        """The unit to write after ``count``: the singular for exactly 1 when the activity has one."""
        if self.unit_singular and count is not None and str(count).strip() == "1":
            return self.unit_singular
        return self.unit

    @property
    def target_text(self):
        """The target in words, e.g. “minst 8 nya grannsamverkansområden”."""
        if not self.target_count:
            return ""
        text = _("at least %(count)s %(unit)s") % {"count": self.target_count, "unit": self.unit_for(self.target_count)}
        if self.target_per_municipality:
            text = text.rstrip() + " " + str(_("per municipality"))
        if self.target_window_start and self.target_window_end:
            text += " " + str(
                _("from %(start)s to %(end)s")
                % {
                    "start": date_format(self.target_window_start, "j F Y"),
                    "end": date_format(self.target_window_end, "j F Y"),
                }
            )
        return text


class ActivityRecordQuerySet(models.QuerySet):
    def active(self):
        """Records that count: not voided."""
        return self.filter(voided_at__isnull=True)

    def voided(self):
        return self.filter(voided_at__isnull=False)

    def in_period(self, start, end):
        return self.filter(occurred_on__range=(start, end))

    def in_tertial(self, tertial):
        return self.in_period(tertial.start, tertial.end)

    def in_scope_of(self, user, *roles):
        """Records of activities in the municipalities the user works for (in these roles, if given)."""
        return self.filter(activity__promise__in=Promise.objects.in_scope_of(user, *roles))

    def recorded_by(self, user):
        return self.filter(recorded_by=user)

    def changeable_by(self, user):
        """Records the user may see, correct and void: their own, and every record of what they coordinate.

        Whether a record's tertial is still open is a second question, answered by :meth:`ActivityRecord.is_locked`.
        """
        if scope_for(user).is_administrator:
            return self
        coordinated = Promise.objects.in_scope_of(user, Role.COORDINATOR).values("pk")
        own = self.filter(recorded_by=user).in_scope_of(user).values("pk")
        return self.filter(Q(activity__promise__in=coordinated) | Q(pk__in=own))


class RecordAlreadyVoided(Exception):
    """The record was voided meanwhile (by someone else, or by a second click): the first void and its reason stand."""


class ActivityRecord(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="records", verbose_name=_("activity"))
    occurred_on = models.DateField(_("date"), db_index=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="records", verbose_name=_("place")
    )
    place_text = GuardedCharField(
        _("place description"),
        max_length=200,
        blank=True,
        help_text=_("E.g. a school or a street; never a person."),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)]
    )
    participating_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="records", verbose_name=_("participating organisations")
    )
    summary = GuardedTextField(_("summary"), max_length=DESCRIPTION_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="records", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voided_records",
        verbose_name=_("voided by"),
    )
    void_reason = GuardedTextField(_("reason for voiding"), max_length=REASON_LENGTH, blank=True)
    # A key the log form carries so that a double click or a resubmitted page stores one record, not two.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    objects = ActivityRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="record_quantity_at_least_one"),
            models.CheckConstraint(
                condition=(
                    Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                    | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason=""))
                ),
                name="record_voided_with_reason_and_by",
            ),
        ]
        indexes = [
            models.Index(fields=["activity", "occurred_on"], name="record_activity_date"),
            # Covers the progress rules' one query (followup.selectors.record_facts): an index-only scan.
            models.Index(
                fields=["activity", "occurred_on", "place", "quantity"],
                condition=Q(voided_at__isnull=True),
                name="record_facts",
            ),
        ]

    def __str__(self):
        return f"{self.activity} {self.occurred_on:%Y-%m-%d}"

    @property
    def is_voided(self):
        return self.voided_at is not None

    def void(self, *, by, reason):
        """Voids the record: it stops counting but is kept, with who voided it, when and why.

        One UPDATE ... WHERE voided_at IS NULL decides, so of two voids sent at once (or a second on a page left
        open) exactly one wins and keeps its reason; the other raises :class:`RecordAlreadyVoided`.
        """
        now = timezone.now()
        fields = {"voided_at": now, "voided_by": by, "void_reason": reason, "updated_at": now}
        if not ActivityRecord.objects.filter(pk=self.pk, voided_at__isnull=True).update(**fields):
            raise RecordAlreadyVoided
        for name, value in fields.items():
            setattr(self, name, value)
        self._change_reason = change_reason(reason)
        self._history_user = by
        # The UPDATE bypassed save(): what listens to saves (history, the cached figures) hears of it as from save().
        models.signals.post_save.send(
            sender=ActivityRecord,
            instance=self,
            created=False,
            update_fields=frozenset(fields),
            raw=False,
            using=ActivityRecord.objects.db,
        )

    # Set by a form (activities.forms.RecordForm) whose place choices were the promise's municipalities' places:
    # (promise id, place id) of the pair it has checked, so that clean() need not ask the database again.
    place_checked_for = None
    # The check constraints whose condition a field's own validator states (quantity ≥ 1, the texts' lengths).
    _MIRRORED_BY_VALIDATORS = ("quantity", "place_text", "summary")

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        # Reached only when every field validated: full_clean's constraint checks can rely on these.
        self._validated_fields = {name for name in self._MIRRORED_BY_VALIDATORS if not exclude or name not in exclude}

    def validate_constraints(self, exclude=None):
        """The database's check constraints, less those whose field validators ``full_clean`` has just run in
        Python (a query each, that could only agree): the void rule, which no field states, is still asked."""
        validated = self.__dict__.pop("_validated_fields", set())
        super().validate_constraints(exclude={*(exclude or ()), *validated})

    def is_locked(self, on=None):
        """Whether the day ``on`` (default: the record's date) is locked by an approved follow-up of the promise."""
        return locks.is_locked(self.activity.promise_id, on or self.occurred_on)

    def clean(self):
        """The rules of DESIGN §5 that one record can check by itself."""
        errors = {}
        if self.activity_id and self.occurred_on:
            promise = self.activity.promise
            if self.occurred_on > timezone.localdate():
                errors["occurred_on"] = _("The date cannot be in the future.")
            elif not promise.period_start <= self.occurred_on <= promise.period_end:
                errors["occurred_on"] = _("The date must be within the promise period, %(start)s–%(end)s.") % {
                    "start": promise.period_start.isoformat(),
                    "end": promise.period_end.isoformat(),
                }
        if "occurred_on" not in errors and self.activity_id and self.occurred_on and self.is_locked():
            errors["occurred_on"] = _(
                "The follow-up of this tertial is approved, so its records are locked. Ask your coordinator "
                "to return the report to draft if something must change."
            )
        # A form whose place choices were already those of the promise's municipalities has made this check.
        if self.activity_id and self.place_id and self.place_checked_for != (self.activity.promise_id, self.place_id):
            in_promise = Municipality.objects.filter(promises=self.activity.promise_id, places=self.place_id).exists()
            if not in_promise:
                errors["place"] = _("The place is not in the promise’s municipalities.")
        if errors:
            raise ValidationError(errors)


class PlannedEventQuerySet(models.QuerySet):
    def public(self):
        """Events of public (signed or closed) promises' activities that are not internal: what citizens may see."""
        return self.filter(activity__promise__status__in=Promise.PUBLIC_STATUSES, activity__is_internal=False)

    def upcoming(self, now=None):
        """Events not yet over, soonest first; cancelled ones stay listed (marked) until they would have ended."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def in_municipality(self, municipality):
        return self.filter(activity__promise__municipalities=municipality)

    def in_scope_of(self, user, *roles):
        return self.filter(activity__promise__in=Promise.objects.in_scope_of(user, *roles))


class PlannedEvent(models.Model):
    """An upcoming activity citizens may join (a safety walk, a parent meeting), announced by a coordinator.

    Its ``uid`` never changes, so a calendar that subscribed to the feed updates the event instead of adding
    a copy; ``sequence`` counts the changes, as calendars expect. Afterwards it can become a record.
    """

    # As on a record: (promise id, place id) a form has already checked, so clean() need not ask again.
    place_checked_for = None

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="planned_events", verbose_name=_("activity")
    )
    title = GuardedCharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="planned_events", verbose_name=_("place")
    )
    place_text = GuardedCharField(
        _("meeting point"),
        max_length=200,
        blank=True,
        help_text=_("Where to meet, e.g. “outside the library”."),
    )
    description = GuardedTextField(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    record = models.OneToOneField(
        ActivityRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_event",
        verbose_name=_("record"),
        help_text=_("The record the event became once it had taken place."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="planned_events", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    objects = PlannedEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("planned event")
        verbose_name_plural = _("planned events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]
        indexes = [models.Index(fields=["ends_at"], name="event_ends_at")]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        # Calendars take a changed event only when its sequence number grows.
        if self.pk:
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        # One line: the title is a calendar entry's summary and a feed item's title. splitlines() knows every
        # line break, U+2028 included.
        if self.title and len(self.title.splitlines()) > 1:
            errors["title"] = _("Write the title on one line.")
        promise = self.activity.promise if self.activity_id else None
        for field in ("starts_at", "ends_at"):
            moment = getattr(self, field)
            if moment and not 2000 <= moment.year <= 2100:
                errors[field] = _("Give a date between the years 2000 and 2100.")
            elif moment and promise is not None:
                day = timezone.localtime(moment).date()
                if not promise.period_start <= day <= promise.period_end:
                    errors[field] = _("The event must take place within the promise period, %(start)s–%(end)s.") % {
                        "start": promise.period_start.isoformat(),
                        "end": promise.period_end.isoformat(),
                    }
        # A form whose place choices were already those of the promise's municipalities has made this check.
        if self.activity_id and self.place_id and self.place_checked_for != (self.activity.promise_id, self.place_id):
            in_promise = Municipality.objects.filter(promises=self.activity.promise_id, places=self.place_id).exists()
            if not in_promise:
                errors["place"] = _("The place is not in the promise’s municipalities.")
        if self.activity_id and self.activity.is_internal:
            errors["activity"] = _("The activity is internal: its events cannot be announced in the public calendar.")
        if errors:
            raise ValidationError(errors)

    def cancel(self):
        self.cancelled_at = timezone.now()
        self.save(update_fields=["cancelled_at", "updated_at"])
