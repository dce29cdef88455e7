"""Who is told what: staff notices (portal and e-mail) and citizens' messages, written to the outbox.

Everything here writes rows — :class:`~notices.models.Notice` for the portal, :class:`~notices.models.Message`
for e-mail — each under a unique key (kind, object, recipient), with ``ignore_conflicts`` so that writing the same
notice twice writes it once. The sending is enqueued with ``transaction.on_commit``: a transaction that is rolled
back leaves neither rows nor tasks. Each message is rendered in its recipient's language when it is written.

A citizen's message never carries a person's identity number, a record's summary or a staff member's name: it is
built only from what the public pages show (the promise's title, the period, an event's public fields).
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import Activity, PlannedEvent
from followup.progress import Status
from followup.selectors import judged_at, period_of, progress_of, with_targets
from followup.wording import months_label
from promises.models import Membership, Promise
from promises.scope import Role

from .delivery import deliver_message
from .models import Kind, Message, Notice, ScheduledJob, StaffPreference, Subscription

logger = logging.getLogger("portal.notices")

# A confirmation link works this long; an address never confirmed is never stored (DESIGN: double opt-in).
CONFIRMATION_DAYS = 7
CONFIRM_SALT = "notices.subscription.confirm"
UNSUBSCRIBE_SALT = "notices.subscription.unsubscribe"


def period_words(promise, tertial) -> str:
    """The follow-up period as months ("januari–april 2020"), as the public pages write it."""
    return months_label(max(tertial.start, promise.period_start), judged_at(promise, tertial))


def absolute(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


@dataclass
class Content:
    """What one message says, in the language active when it was made."""

    subject: str
    paragraphs: list[str]
    link: str = ""
    link_text: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, link)


def _render(content: Content, *, unsubscribe_url: str = "") -> tuple[str, str]:
    context = {"content": content, "unsubscribe_url": unsubscribe_url}
    return render_to_string("emails/notice.txt", context), render_to_string("emails/notice.html", context)


def _enqueue_pending(kind, key):
    """After commit: one delivery task per message of this key still waiting."""

    def enqueue():
        for message_id in Message.objects.filter(kind=kind, key=key, status=Message.Status.PENDING).values_list(
            "pk", flat=True
        ):
            deliver_message.enqueue(message_id)

    transaction.on_commit(enqueue)


# Staff ----------------------------------------------------------------------------------------------------


def _preferences(users) -> dict:
    return {pref.user_id: pref for pref in StaffPreference.objects.filter(user__in=[user.pk for user in users])}


def notify_staff(*, kind, key, users, build) -> None:
    """Writes the notice ``kind`` about ``key`` for each of ``users`` who wants it, in the portal and by e-mail.

    ``build`` is called with the user under their language and returns a :class:`Content` (its link a path).
    """
    users = list({user.pk: user for user in users if user.is_active}.values())
    if not users:
        return
    preferences = _preferences(users)
    notices, messages = [], []
    for user in users:
        preference = preferences.get(user.pk) or StaffPreference(user=user, language=settings.LANGUAGE_CODE)
        with translation.override(preference.language):
            content = build(user)
            if preference.wants(kind, "portal"):
                notices.append(Notice(user=user, kind=kind, key=key, title=content.subject, url=content.link))
            if preference.wants(kind, "email") and user.email:
                content.link = absolute(content.link) if content.link else ""
                content.items = [(text, absolute(link)) for text, link in content.items]
                text, html = _render(content)
                messages.append(
                    Message(
                        kind=kind,
                        key=key,
                        recipient=f"user:{user.pk}",
                        to_email=user.email,
                        language=preference.language,
                        subject=content.subject,
                        text=text,
                        html=html,
                    )
                )
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    logger.info("notices written: kind=%s key=%s portal=%s email=%s", kind, key, len(notices), len(messages))
    _enqueue_pending(kind, key)


def _members_of_promise(promise, *roles):
    """Users with one of ``roles`` in an organisation serving one of the promise's municipalities."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.filter(
        role__in=roles, organisation__municipalities__in=promise.municipalities.all()
    )
    return get_user_model().objects.filter(is_active=True, memberships__in=memberships).distinct()


def council_members_of(promise):
    return _members_of_promise(promise, Role.COUNCIL)


def coordinators_of(promise):
    return _members_of_promise(promise, Role.COORDINATOR)


def working_on(promise):
    """Its coordinators and council, and the recorders of the organisations that lead or take part in its work."""
    from django.contrib.auth import get_user_model

    activities = Activity.objects.filter(promise=promise)
    organisations = Q(organisation__led_activities__in=activities) | Q(organisation__partner_activities__in=activities)
    recorders = Membership.objects.filter(
        organisations, role=Role.RECORDER, organisation__municipalities__in=promise.municipalities.all()
    )
    staff = _members_of_promise(promise, Role.COORDINATOR, Role.COUNCIL)
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(pk__in=staff.values("pk")) | Q(memberships__in=recorders)).distinct()


def report_notify(*, report, event, by, submitted_by=None, comment="", edition=None) -> None:
    """The staff notices (and the citizens' message, on publication) of one step of the report workflow."""
    from django.contrib.auth import get_user_model

    promise = report.promise
    tertial = report.tertial
    path = reverse("followup:report", args=[promise.pk, tertial])
    # The revision makes the key of each step unique: a report submitted, returned and submitted again notifies
    # twice, while writing one step's notices twice writes them once.
    key = f"report:{report.pk}:revision:{report.revision}"
    others = lambda users: [user for user in users if user.pk != by.pk]  # noqa: E731 - one line, used below

    def about(subject, *paragraphs):
        return lambda user: Content(
            subject=subject() % {"promise": promise.title, "tertial": period_words(promise, tertial)},
            paragraphs=[paragraph() for paragraph in paragraphs],
            link=path,
            link_text=_("Open the report"),
        )

    if event == "submitted":
        notify_staff(
            kind=Kind.REPORT_SUBMITTED,
            key=key,
            users=others(council_members_of(promise)),
            build=about(
                lambda: _("The report for %(tertial)s of %(promise)s waits for the council's decision"),
                lambda: _("Read it, then approve it with the meeting date or return it with a comment."),
            ),
        )
    elif event == "returned":
        users = get_user_model().objects.filter(pk=submitted_by) if submitted_by else []
        notify_staff(
            kind=Kind.REPORT_RETURNED,
            key=key,
            users=others(users),
            build=about(
                lambda: _("The report for %(tertial)s of %(promise)s was returned to draft"),
                lambda: _("The comment:") + " " + comment,
            ),
        )
    elif event == "approved":
        notify_staff(
            kind=Kind.REPORT_APPROVED,
            key=key,
            users=others(coordinators_of(promise)),
            build=about(
                lambda: _("The report for %(tertial)s of %(promise)s is approved"),
                lambda: _("It can now be published for citizens."),
            ),
        )
    elif event == "published":
        notify_staff(
            kind=Kind.REPORT_PUBLISHED,
            key=key,
            users=others(working_on(promise)),
            build=about(
                lambda: _("The report for %(tertial)s of %(promise)s is published"),
                lambda: _("Citizens can now read the results."),
            ),
        )
        results_notify(report=report, edition=edition or 1)


# The schedule's due items ---------------------------------------------------------------------------------


def job_take(kind: str, key: str) -> bool:
    """Takes the due item (kind, key) for this run, in the caller's transaction; False if another run has it.

    Two app servers running the schedule at once both try the insert: the unique key lets one through, and the
    other waits for its commit and gets nothing. If the taker's transaction rolls back, the item is free again.
    """
    try:
        with transaction.atomic():
            ScheduledJob.objects.create(kind=kind, key=key)
    except IntegrityError:
        return False
    return True


AT_RISK_OR_WORSE = frozenset(status for status in Status if status.rank >= Status.AT_RISK.rank)


def at_risk_at_period_end(promise, tertial) -> dict:
    """{lead organisation id: [activities]} whose status at the period's end would be Risk or worse, if nothing
    more were logged: progress judged at that day from the records there are now."""
    activities = list(with_targets(Activity.objects.filter(promise=promise)).order_by("order", "pk"))
    progress = progress_of(activities, at=judged_at(promise, tertial))
    by_organisation = {}
    for activity in activities:
        if progress[activity.pk].status in AT_RISK_OR_WORSE:
            by_organisation.setdefault(activity.lead_organisation_id, []).append(activity)
    return by_organisation


def periods_ending_soon(today):
    """(promise, tertial, last day) of every signed promise's follow-up period ending within the reminder days."""
    horizon = today + timezone.timedelta(days=settings.NOTICES_REMINDER_DAYS)
    promises = Promise.objects.filter(
        status=Promise.Status.SIGNED, period_start__lte=horizon, period_end__gte=today
    ).order_by("pk")
    for promise in promises:
        for tertial in period_of(promise).tertials():
            end = judged_at(promise, tertial)
            if today <= end <= horizon:
                yield promise, tertial, end


def reminders_send(today) -> int:
    """The reminders due today: taken once per promise and period, whoever runs the schedule."""
    sent = 0
    for promise, tertial, end in periods_ending_soon(today):
        with transaction.atomic():
            if not job_take(Kind.PERIOD_REMINDER, f"promise:{promise.pk}:{tertial.code}"):
                continue
            for organisation_id, activities in at_risk_at_period_end(promise, tertial).items():
                recorders = Membership.objects.filter(
                    organisation_id=organisation_id,
                    role=Role.RECORDER,
                    organisation__municipalities__in=promise.municipalities.all(),
                )
                from django.contrib.auth import get_user_model

                users = get_user_model().objects.filter(memberships__in=recorders).distinct()

                def build(user, activities=activities, end=end, promise=promise):
                    return Content(
                        subject=ngettext(
                            "%(count)s activity of %(promise)s is at risk when the period ends on %(date)s",
                            "%(count)s activities of %(promise)s are at risk when the period ends on %(date)s",
                            len(activities),
                        )
                        % {"count": len(activities), "promise": promise.title, "date": date_format(end, "j F Y")},
                        paragraphs=[
                            _(
                                "If nothing more is logged, these activities will be at risk or behind at the end of "
                                "the period. Log what has been done:"
                            )
                        ],
                        link=reverse("activities:mine"),
                        link_text=_("My activities"),
                        items=[
                            (activity.title, reverse("activities:log_activity", args=[activity.pk]))
                            for activity in activities
                        ],
                    )

                notify_staff(
                    kind=Kind.PERIOD_REMINDER,
                    key=f"promise:{promise.pk}:{tertial.code}:organisation:{organisation_id}",
                    users=users,
                    build=build,
                )
                sent += 1
    return sent


def events_tomorrow_send(today) -> int:
    """Tells the organisations taking part in each event planned for tomorrow, once per event and day."""
    from django.contrib.auth import get_user_model

    tomorrow = today + timezone.timedelta(days=1)
    events = (
        PlannedEvent.objects.filter(
            cancelled_at__isnull=True,
            starts_at__date=tomorrow,
            activity__promise__status=Promise.Status.SIGNED,
        )
        .select_related("activity__promise", "place")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for event in events:
        with transaction.atomic():
            key = f"event:{event.pk}:{tomorrow.isoformat()}"
            if not job_take(Kind.EVENT_TOMORROW, key):
                continue
            activity = event.activity
            partners = activity.partner_organisations.values_list("pk", flat=True)
            organisations = [activity.lead_organisation_id, *partners]
            memberships = Membership.objects.filter(
                organisation_id__in=organisations,
                role__in=[Role.RECORDER, Role.COORDINATOR],
                organisation__municipalities__in=activity.promise.municipalities.all(),
            )
            users = get_user_model().objects.filter(memberships__in=memberships).distinct()

            def build(user, event=event):
                starts = timezone.localtime(event.starts_at)
                return Content(
                    subject=_("Tomorrow: %(title)s at %(time)s") % {"title": event.title, "time": f"{starts:%H:%M}"},
                    paragraphs=[
                        _("%(title)s takes place tomorrow, %(date)s, at %(time)s.")
                        % {"title": event.title, "date": date_format(starts, "j F Y"), "time": f"{starts:%H:%M}"},
                        event.place_text or (event.place.name if event.place else ""),
                    ],
                    link=reverse("activities:events"),
                    link_text=_("Planned events"),
                )

            notify_staff(kind=Kind.EVENT_TOMORROW, key=key, users=users, build=build)
            sent += 1
    return sent


# Citizens -------------------------------------------------------------------------------------------------


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:40]


def confirmation_token(*, email, municipality=None, promise=None, language) -> str:
    return signing.dumps(
        {
            "e": email,
            "m": municipality.pk if municipality else None,
            "p": promise.pk if promise else None,
            "l": language,
        },
        salt=CONFIRM_SALT,
    )


def unsubscribe_token(subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": _address_key(subscription.email)}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(subscription) -> str:
    return absolute(reverse("subscription_unsubscribe", args=[unsubscribe_token(subscription)]))


def _target_name(municipality, promise) -> str:
    return promise.title if promise else municipality.name


def subscription_request(*, email, municipality=None, promise=None, language) -> None:
    """Sends the confirmation link, unless the address already follows this (then nothing: the page says the same).

    At most one confirmation per address, subject and day: asking again the same day sends nothing more.
    """
    email = email.strip()
    existing = Subscription.objects.confirmed().filter(email__iexact=email)
    existing = existing.filter(promise=promise) if promise else existing.filter(municipality=municipality)
    if existing.exists():
        return
    token = confirmation_token(email=email, municipality=municipality, promise=promise, language=language)
    with translation.override(language):
        content = Content(
            subject=_("Confirm that you want news about %(name)s") % {"name": _target_name(municipality, promise)},
            paragraphs=[
                _(
                    "Someone, probably you, asked to get an e-mail when results are published and when public "
                    "activities are announced for %(name)s."
                )
                % {"name": _target_name(municipality, promise)},
                _(
                    "Confirm with the link below. It works for %(days)s days. If you did not ask for this, ignore "
                    "this message: nothing is saved unless you confirm."
                )
                % {"days": CONFIRMATION_DAYS},
            ],
            link=absolute(reverse("subscription_confirm", args=[token])),
            link_text=_("Confirm the subscription"),
        )
        text, html = _render(content)
    target = f"promise:{promise.pk}" if promise else f"municipality:{municipality.pk}"
    key = f"{target}:{timezone.localdate().isoformat()}"
    with transaction.atomic():
        Message.objects.bulk_create(
            [
                Message(
                    kind=Kind.SUBSCRIPTION_CONFIRM,
                    key=key,
                    recipient=f"address:{_address_key(email)}",
                    to_email=email,
                    language=language,
                    subject=content.subject,
                    text=text,
                    html=html,
                )
            ],
            ignore_conflicts=True,
        )
        _enqueue_pending(Kind.SUBSCRIPTION_CONFIRM, key)


class SubscriptionLinkInvalid(Exception):
    """The link is not one the portal made, or it is too old."""


def subscription_confirm(token) -> Subscription:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        raise SubscriptionLinkInvalid from None
    lookup = {"promise_id": data["p"]} if data["p"] else {"municipality_id": data["m"]}
    existing = Subscription.objects.filter(email__iexact=data["e"], **lookup).first()
    if existing:
        return existing
    if data["p"] and not Promise.objects.public().filter(pk=data["p"]).exists():
        raise SubscriptionLinkInvalid
    subscription = Subscription(email=data["e"], language=data["l"], confirmed_at=timezone.now(), **lookup)
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        return Subscription.objects.get(email__iexact=data["e"], **lookup)
    logger.info("subscription confirmed: subscription=%s", subscription.pk)
    return subscription


def subscription_unsubscribe(token) -> None:
    """Deletes the subscription at once; a link whose subscription is gone does nothing (and says the same)."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise SubscriptionLinkInvalid from None
    for subscription in Subscription.objects.filter(pk=data["s"]):
        if _address_key(subscription.email) == data["e"]:
            subscription.delete()
            logger.info("subscription ended: subscription=%s", data["s"])


def notify_subscribers(*, kind, key, subscriptions, build) -> None:
    """One message per subscription, in its language, with the unsubscribe link and headers (RFC 2369, 8058)."""
    messages = []
    for subscription in subscriptions:
        with translation.override(subscription.language):
            content = build(subscription)
            leave = unsubscribe_url(subscription)
            text, html = _render(content, unsubscribe_url=leave)
        messages.append(
            Message(
                kind=kind,
                key=key,
                recipient=f"subscription:{subscription.pk}",
                to_email=subscription.email,
                language=subscription.language,
                subject=content.subject,
                text=text,
                html=html,
                headers={"List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
        )
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    _enqueue_pending(kind, key)


def _public_link(promise, municipality) -> str:
    return absolute(reverse("municipality", args=[municipality.slug]))


def results_notify(*, report, edition) -> None:
    """Tells the promise's subscribers that results are published (edition 1) or corrected (a later edition)."""
    promise = report.promise
    if promise.status not in Promise.PUBLIC_STATUSES:
        return
    municipality = promise.municipalities.order_by("name").first()
    subscriptions = list(Subscription.objects.for_promise(promise).distinct())

    def build(subscription):
        values = {"promise": promise.title, "tertial": period_words(promise, report.tertial)}
        subject = (
            _("Corrected results for %(tertial)s: %(promise)s") % values
            if edition > 1
            else _("New results for %(tertial)s: %(promise)s") % values
        )
        return Content(
            subject=subject,
            paragraphs=[
                _("The follow-up of %(promise)s for %(tertial)s has been corrected and published again.") % values
                if edition > 1
                else _("The follow-up of %(promise)s for %(tertial)s is published.") % values
            ],
            link=_public_link(promise, municipality),
            link_text=_("Read the results"),
        )

    notify_subscribers(
        kind=Kind.RESULTS_PUBLISHED,
        key=f"report:{report.pk}:edition:{edition}",
        subscriptions=subscriptions,
        build=build,
    )


def event_announced_notify(event) -> None:
    """Tells the subscribers of a public promise about a newly announced public event."""
    activity = event.activity
    promise = activity.promise
    if promise.status != Promise.Status.SIGNED:
        return
    municipality = promise.municipalities.order_by("name").first()
    subscriptions = list(Subscription.objects.for_promise(promise).distinct())

    def build(subscription):
        starts = timezone.localtime(event.starts_at)
        values = {"title": event.title, "date": date_format(starts, "j F Y"), "time": f"{starts:%H:%M}"}
        paragraphs = [_("%(title)s, %(date)s at %(time)s.") % values]
        where = event.place_text or (event.place.name if event.place else "")
        if where:
            paragraphs.append(_("Where: %(place)s") % {"place": where})
        return Content(
            subject=_("New activity: %(title)s, %(date)s") % values,
            paragraphs=paragraphs,
            link=_public_link(promise, municipality),
            link_text=_("See the planned activities"),
        )

    notify_subscribers(kind=Kind.EVENT_ANNOUNCED, key=f"event:{event.pk}", subscriptions=subscriptions, build=build)
