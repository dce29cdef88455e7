"""Notices to staff and citizens: what is to be said (the outbox), what a person sees in the portal, and who asked.

Every message is a row of :class:`Message` before anything is sent, with a unique key (kind, object, recipient):
whoever writes it twice — a retried task, two app servers running the schedule at once — writes it once, and a
message marked sent is never sent again. Delivery (:mod:`notices.delivery`) claims a row with a conditional
UPDATE, sends it, and marks it sent; a failed send is tried again later with a growing delay, and a worker that
died holding a claim gives it up when the claim's lease runs out.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promises.models import Municipality, Promise


def now():
    """timezone.now, looked up when called: a test that sets the clock sets it for new rows too."""
    return timezone.now()


class Kind(models.TextChoices):
    # To staff, each with a per-person setting.
    REPORT_SUBMITTED = "report_submitted", _("A report is sent to the council")
    REPORT_RETURNED = "report_returned", _("A report I sent is returned to draft")
    REPORT_APPROVED = "report_approved", _("A report is approved and can be published")
    REPORT_PUBLISHED = "report_published", _("A report is published")
    PERIOD_REMINDER = "period_reminder", _("A follow-up period ends soon with activities at risk")
    EVENT_TOMORROW = "event_tomorrow", _("A planned event takes place tomorrow")
    # To citizens who subscribed.
    SUBSCRIPTION_CONFIRM = "subscription_confirm", _("Confirm a subscription")
    RESULTS_PUBLISHED = "results_published", _("Results are published or corrected")
    EVENT_ANNOUNCED = "event_announced", _("A public event is announced")


STAFF_KINDS = (
    Kind.REPORT_SUBMITTED,
    Kind.REPORT_RETURNED,
    Kind.REPORT_APPROVED,
    Kind.REPORT_PUBLISHED,
    Kind.PERIOD_REMINDER,
    Kind.EVENT_TOMORROW,
)

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class StaffPreference(models.Model):
    """One person's choices: their language and the notices they turned off. Everything is on by default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="sv")
    # The kinds turned off, per channel; a kind added later is on for everyone until they turn it off.
    email_off = models.JSONField(default=list, blank=True)
    portal_off = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def __str__(self):
        return str(self.user)

    def wants(self, kind, channel: str) -> bool:
        return kind not in (self.email_off if channel == "email" else self.portal_off)


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A notice in the portal, listed on the person's start page until they open it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "user"], name="notice_once_per_person")]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread")]

    def __str__(self):
        return self.title


class Message(models.Model):
    """One e-mail to one recipient, rendered in their language when it was written (the outbox)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=200)
    # "user:<id>" for staff, "subscription:<id>" or "address:<hash>" for citizens: never a name.
    recipient = models.CharField(_("recipient"), max_length=100)
    to_email = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=8, default="sv")
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=now)
    # A claim by a worker lasts until then; a worker that died holding it gives it up when it runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="message_once_per_recipient"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due")]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so that a mail program shows a resent copy once."""
        return f"<notice-{self.pk}@medborgarloften>"


class ScheduledJob(models.Model):
    """A due item the schedule has taken on (a reminder, a day's events): the unique key makes it happen once."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="scheduled_job_once")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def for_promise(self, promise):
        """Who follows the promise itself or one of its municipalities."""
        municipalities = promise.municipalities.values("pk")
        return self.confirmed().filter(Q(promise=promise) | Q(municipality__in=municipalities))


class Subscription(models.Model):
    """A citizen's confirmed wish to hear about a municipality or one promise: the address and nothing else of them.

    The row exists only once the address is confirmed: the link in the confirmation message carries everything
    signed, so an address never confirmed is never stored (its confirmation message is deleted with the outbox's
    old rows after :data:`notices.services.CONFIRMATION_DAYS` days). Unsubscribing deletes the row at once.
    """

    email = models.EmailField(_("e-mail address"))
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )
    promise = models.ForeignKey(
        Promise, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("promise")
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="sv")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, promise__isnull=True)
                | Q(municipality__isnull=True, promise__isnull=False),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["email", "municipality"], condition=Q(promise__isnull=True), name="subscription_municipality"
            ),
            models.UniqueConstraint(
                fields=["email", "promise"], condition=Q(municipality__isnull=True), name="subscription_promise"
            ),
        ]

    def __str__(self):
        return f"subscription {self.pk}"
