"""Staff pages for logging work: "Mina aktiviteter" with each activity's progress, and the log form."""

import hashlib
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities.forms import RecordForm
from activities.models import Activity
from activities.services import EventAlreadyLogged, event_initial, record_create, record_create_from_event
from followup.selectors import FIGURES_TIMEOUT, cached_progress_of, with_targets
from staff.kept_forms import form_data

from .events import event_for_logging
from .records import total_of


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
    fragment_key = hashlib.sha256(repr((shown, sorted(loggable))).encode()).hexdigest()
    context = {
        "promises": SimpleLazyObject(lambda: _my_activities(listed, loggable, today)),
        "today": today,
        "fragment_key": fragment_key,
        "cache_timeout": FIGURES_TIMEOUT,
    }
    return render(request, "staff/my_activities.html", context)


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
    # On a POST the activity is read with its total so far, for the confirmation: one query for both.
    read = loggable.with_achieved() if request.method == "POST" else loggable
    activity = get_object_or_404(read, pk=activity_id) if activity_id else None
    event = event_for_logging(request, activity)
    if event is not None and event.record_id and request.method == "GET":
        messages.info(request, _("This event has already been logged as a record."))
        return redirect("activities:events")
    # After a log-in that interrupted a POST, the fields it carried (staff.kept_forms), shown again unsaved.
    form = RecordForm(
        form_data(request),
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
            # The total without reading it again: what it was when the activity was read, and this record.
            achieved = activity.achieved + record.quantity if record.activity is activity else None
            messages.success(request, _("Logged: %(activity)s. %(total)s") % total_of(record.activity, achieved))
        else:
            messages.info(request, _("This record was already saved; it was not logged twice."))
        return redirect("activities:mine" if event is None else "activities:events")
    return render(request, "staff/log.html", {"form": form, "activity": activity, "event": event})
