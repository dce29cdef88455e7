"""Staff pages: what my organisation does, logging a completed activity, and my records."""

import hashlib
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followup.models import TertialReport
from followup.selectors import FIGURES_TIMEOUT, cached_progress_of, with_targets
from followup.tertials import Tertial
from promises.models import Place
from promises.scope import Role, scope_for

from .events import EventAlreadyLogged, event_for_logging, event_initial, record_create_from_event
from .forms import RecordForm, VoidForm
from .models import Activity, ActivityRecord
from .services import record_create

RECORDS_PER_PAGE = 25


def _get_record_for_user(user, record_id):
    """The record if the user may see and change it (their own, or one they coordinate); otherwise 404."""
    records = ActivityRecord.objects.changeable_by(user).select_related(
        "activity__promise", "activity__lead_organisation", "place", "recorded_by", "voided_by"
    )
    return get_object_or_404(records, pk=record_id)


@login_required
def my_activities(request):
    """ "Mina aktiviteter": every current activity the user's organisations take part in, with its progress.

    The list is a fragment cached under what it is drawn from: which activities, which of them the user may log,
    and the data versions of their promises (read first, in one small query), with the day and the language.
    Only when that changes are the activities, their targets and their progress read and drawn again.
    """
    today = timezone.localdate()
    listed = Activity.objects.listed_for(request.user)
    shown = list(listed.order_by("pk").values_list("pk", "promise_id", "promise__data_version"))
    loggable = set(Activity.objects.loggable_by(request.user).values_list("pk", flat=True))
    version = hashlib.sha256(repr((shown, sorted(loggable))).encode()).hexdigest()
    context = {
        "promises": SimpleLazyObject(lambda: _my_activities(listed, loggable, today)),
        "today": today,
        "version": version,
        "cache_timeout": FIGURES_TIMEOUT,
    }
    return render(request, "activities/my_activities.html", context)


def _my_activities(listed, loggable, today):
    """The activities grouped by promise and focus area, each with its progress and whether it can be logged."""
    activities = list(
        with_targets(listed)
        .select_related("focus_area", "kind", "lead_organisation")
        .prefetch_related("partner_organisations")
        .order_by("-promise__year", "promise__title", "promise_id", "focus_area__order", "focus_area_id", "order", "pk")
    )
    progress = cached_progress_of(activities, at=today)
    rows = [
        {"activity": activity, "progress": progress[activity.pk], "can_log": activity.pk in loggable}
        for activity in activities
    ]
    return [
        {
            "promise": promise,
            "focus_areas": [
                {"focus_area": focus_area, "rows": list(rows_of_area)}
                for focus_area, rows_of_area in groupby(rows_of_promise, key=lambda row: row["activity"].focus_area)
            ],
        }
        for promise, rows_of_promise in groupby(rows, key=lambda row: row["activity"].promise)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def log_record(request, activity_id=None):
    """The log form. A repeated POST of the same page stores one record, not two.

    With ``?event=<id>`` it logs a planned event that took place: pre-filled from the event, kept to the event's
    activity, and linking the record to the event, which can become a record only once.
    """
    loggable = Activity.objects.loggable_by(request.user).select_related("promise")
    activity = get_object_or_404(loggable, pk=activity_id) if activity_id else None
    event = event_for_logging(request, activity)
    if event is not None and event.record_id and request.method == "GET":
        messages.info(request, _("This event has already been logged as a record."))
        return redirect("activities:events")
    form = RecordForm(
        request.POST or None,
        user=request.user,
        activities=loggable if event is None else loggable.filter(pk=activity.pk),
        activity=activity,
        initial=event_initial(event) if event is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        if event is None:
            record, created = record_create(form=form, by=request.user)
        else:
            try:
                record, created = record_create_from_event(form=form, event=event, by=request.user)
            except EventAlreadyLogged:
                messages.error(request, _("This event has already been logged as a record."))
                return redirect("activities:events")
        if created:
            messages.success(request, _("Logged: %(activity)s. %(total)s") % _total_of(record.activity))
        else:
            messages.info(request, _("This record was already saved; it was not logged twice."))
        return redirect("activities:mine" if event is None else "activities:events")
    return render(request, "activities/log.html", {"form": form, "activity": activity, "event": event})


def _total_of(activity):
    """The activity's new total, in words, for the confirmation after logging or voiding."""
    achieved = activity.records.active().aggregate(total=Sum("quantity"))["total"] or 0
    if activity.target_count:
        total = _("Now %(achieved)s of %(target)s %(unit)s.") % {
            "achieved": achieved,
            "target": activity.target_count,
            "unit": activity.unit,
        }
    else:
        total = _("Now %(achieved)s %(unit)s in all.") % {"achieved": achieved, "unit": activity.unit}
    return {"activity": activity.title, "total": total}


def _records_page(request, records):
    """One page of records, each marked with whether its tertial is locked: a fixed number of queries."""
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("sida"))
    locked = TertialReport.objects.locked_tertials({record.activity.promise_id for record in page})
    for record in page:
        record.locked = (record.activity.promise_id, Tertial.containing(record.occurred_on)) in locked
    return page


@login_required
def my_records(request):
    """ "Mina registreringar": what I logged, newest first."""
    records = (
        ActivityRecord.objects.recorded_by(request.user)
        .select_related("activity__promise", "place")
        .order_by("-occurred_on", "-created_at", "-pk")
    )
    page = _records_page(request, records)
    return render(request, "activities/records.html", {"page": page, "everyone": False})


@login_required
def municipality_records(request):
    """Every record of the promises a coordinator coordinates."""
    if not scope_for(request.user).is_coordinator:
        raise Http404
    records = (
        ActivityRecord.objects.in_scope_of(request.user, Role.COORDINATOR)
        .select_related("activity__promise", "place", "recorded_by")
        .order_by("-occurred_on", "-created_at", "-pk")
    )
    page = _records_page(request, records)
    return render(request, "activities/records.html", {"page": page, "everyone": True})


@login_required
def record_detail(request, record_id):
    """One record; coordinators also see every change made to it."""
    record = _get_record_for_user(request.user, record_id)
    record.locked = record.is_locked()
    history = None
    if scope_for(request.user).coordinates(record.activity.promise.municipalities.values_list("pk", flat=True)):
        history = _history_of(record)
    return render(request, "activities/record.html", {"record": record, "history": history})


def _history_of(record):
    """The record's changes, newest first, each with who made it and which fields changed from what to what."""
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    place_ids = {version.place_id for version in versions if version.place_id}
    places = dict(Place.objects.filter(pk__in=place_ids).values_list("pk", "name"))
    fields = {field.name: field for field in ActivityRecord._meta.fields}
    shown = ["occurred_on", "quantity", "place", "place_text", "summary", "voided_at", "void_reason"]
    entries = []
    previous = None
    for version in versions:
        changes = []
        for name in shown:
            attribute = fields[name].attname
            new = getattr(version, attribute)
            old = getattr(previous, attribute) if previous else None
            if previous is None or new != old:
                if name == "place":
                    new, old = places.get(new, ""), places.get(old, "")
                if previous is None and new in (None, ""):
                    continue
                changes.append({"field": fields[name].verbose_name, "old": old, "new": new})
        entries.append({"version": version, "changes": changes})
        previous = version
    return list(reversed(entries))


def _refuse_if_closed(request, record):
    """Redirects with a message when a voided or locked record is asked to change; None when it may."""
    if record.is_voided:
        messages.error(request, _("This record is voided and can no longer be changed."))
    elif record.is_locked():
        messages.error(
            request,
            _("The follow-up of this record's tertial is approved, so the record is locked. Ask your coordinator."),
        )
    else:
        return None
    return redirect("activities:record", record_id=record.pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit_record(request, record_id):
    record = _get_record_for_user(request.user, record_id)
    if refused := _refuse_if_closed(request, record):
        return refused
    form = RecordForm(
        request.POST or None,
        instance=record,
        user=request.user,
        activities=Activity.objects.none(),
        activity=record.activity,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Corrected: %(activity)s. %(total)s") % _total_of(record.activity))
        return redirect("activities:record", record_id=record.pk)
    return render(request, "activities/log.html", {"form": form, "activity": record.activity, "record": record})


@login_required
@require_http_methods(["GET", "POST"])
def void_record(request, record_id):
    record = _get_record_for_user(request.user, record_id)
    if refused := _refuse_if_closed(request, record):
        return refused
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record.void(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Voided: %(activity)s. %(total)s") % _total_of(record.activity))
        next_url = request.POST.get("next", "")
        # Only a path on this site, and as a URL: redirect() would take a bare word for a view's name.
        if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(next_url)
        return redirect("activities:record", record_id=record.pk)
    return render(request, "activities/void.html", {"form": form, "record": record, "next": request.GET.get("next")})
