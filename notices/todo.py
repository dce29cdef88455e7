"""What each person has to do ("Att göra", the page everyone lands on after log-in), by role.

Each part is a fixed number of queries whatever the data size, and each item carries the address where it is done.
A recorder: the activities they may log, worst status first, and their latest records. A coordinator: the reports of
their promises to start, to send to the council, to publish, and those returned; events that took place without a
record. A council member: the reports that wait for the council's decision. An administrator: the municipalities
without a signed promise this year.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityRecord, PlannedEvent
from followup.models import TertialReport
from followup.selectors import cached_progress_of, judged_at, period_of, with_targets
from promises.models import Municipality, Promise
from promises.scope import Role, scope_for

from .models import Notice

# Each list shows at most this many items; the page it links to has them all.
LIMIT = 10


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    detail: str = ""
    status: object = None


@dataclass
class Todo:
    notices: list = field(default_factory=list)
    to_log: list = field(default_factory=list)
    latest_records: list = field(default_factory=list)
    reports_to_start: list = field(default_factory=list)
    reports_to_submit: list = field(default_factory=list)
    reports_returned: list = field(default_factory=list)
    reports_to_publish: list = field(default_factory=list)
    events_without_record: list = field(default_factory=list)
    reports_to_decide: list = field(default_factory=list)
    municipalities_without_promise: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(value for value in vars(self).values())


def _report_url(report_or_promise, tertial) -> str:
    promise_id = getattr(report_or_promise, "promise_id", None) or report_or_promise.pk
    return reverse("followup:report", args=[promise_id, tertial])


def _recorder(todo, user, today):
    activities = list(with_targets(Activity.objects.loggable_by(user)).order_by("promise_id", "order", "pk")[:200])
    progress = cached_progress_of(activities, at=today)
    ranked = sorted(activities, key=lambda activity: (-progress[activity.pk].status.rank, activity.pk))
    todo.to_log = [
        Item(
            activity.title,
            reverse("activities:log_activity", args=[activity.pk]),
            activity.promise.title,
            progress[activity.pk].status,
        )
        for activity in ranked[:LIMIT]
    ]
    records = (
        ActivityRecord.objects.filter(recorded_by=user).select_related("activity").order_by("-created_at", "-pk")[:5]
    )
    todo.latest_records = [
        Item(record.activity.title, reverse("activities:record", args=[record.pk]), record.occurred_on)
        for record in records
    ]


def _coordinator(todo, user, today, now):
    promises = list(
        Promise.objects.in_scope_of(user, Role.COORDINATOR)
        .filter(status=Promise.Status.SIGNED, period_start__lte=today)
        .order_by("-year", "title", "pk")[:50]
    )
    reports = {
        (report.promise_id, report.tertial): report
        for report in TertialReport.objects.filter(promise__in=promises).order_by()
    }
    for promise in promises:
        for tertial in period_of(promise).tertials():
            if judged_at(promise, tertial) >= today:
                break
            report = reports.get((promise.pk, tertial))
            url = _report_url(promise, tertial)
            label = f"{promise.title}: {tertial.label}"
            if report is None:
                todo.reports_to_start.append(Item(label, url))
            elif report.status == TertialReport.Status.DRAFT and report.return_comment:
                todo.reports_returned.append(Item(label, url, report.return_comment))
            elif report.status == TertialReport.Status.DRAFT:
                todo.reports_to_submit.append(Item(label, url))
            elif report.status == TertialReport.Status.APPROVED:
                todo.reports_to_publish.append(Item(label, url))
    for name in ("reports_to_start", "reports_returned", "reports_to_submit", "reports_to_publish"):
        setattr(todo, name, getattr(todo, name)[:LIMIT])
    events = (
        PlannedEvent.objects.in_scope_of(user, Role.COORDINATOR)
        .filter(ends_at__lt=now, cancelled_at__isnull=True, record__isnull=True)
        .filter(activity__promise__status=Promise.Status.SIGNED)
        .order_by("-starts_at", "-pk")[:LIMIT]
    )
    todo.events_without_record = [
        Item(event.title, reverse("activities:events"), timezone.localtime(event.starts_at).date()) for event in events
    ]


def _council(todo, user):
    reports = (
        TertialReport.objects.filter(
            promise__in=Promise.objects.in_scope_of(user, Role.COUNCIL), status=TertialReport.Status.SUBMITTED
        )
        .select_related("promise")
        .order_by("year", "number", "pk")[:LIMIT]
    )
    todo.reports_to_decide = [
        Item(f"{report.promise.title}: {report.tertial.label}", _report_url(report, report.tertial))
        for report in reports
    ]


def _administrator(todo, today):
    covering = Promise.objects.filter(
        status__in=Promise.PUBLIC_STATUSES, period_start__lte=today, period_end__gte=today
    ).values("municipalities")
    municipalities = Municipality.objects.exclude(pk__in=covering).order_by("name")
    todo.municipalities_without_promise = [
        Item(municipality.name, reverse("followup:overview", args=[municipality.slug]))
        for municipality in municipalities
    ]


def todo_for(user) -> Todo:
    today = timezone.localdate()
    now = timezone.now()
    scope = scope_for(user)
    todo = Todo()
    todo.notices = list(Notice.objects.filter(user=user).unread()[:20])
    if scope.is_administrator:
        _administrator(todo, today)
    if scope.organisations_where(Role.RECORDER):
        _recorder(todo, user, today)
    if scope.is_coordinator and not scope.is_administrator:
        _coordinator(todo, user, today, now)
    if scope.is_council_member:
        _council(todo, user)
    return todo


def notice_open(user, notice_id) -> str | None:
    """Marks the user's notice read and gives its address; None when it is not theirs (the view answers 404)."""
    notice = Notice.objects.filter(user=user, pk=notice_id).first()
    if notice is None:
        return None
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    return notice.url
