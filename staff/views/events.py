"""Planned events for staff: the list of what is coming and what just happened, and turning an event into a record.

Coordinators announce, change and cancel events in the workspace (staff/views/workspace_events.py); here they, and
the recorders of the activities, see them and log one that took place with a pre-filled log form
(``activities:log_activity`` with ``?event=<id>``).
"""

import datetime
import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from activities.models import Activity, ActivityRecord, PlannedEvent
from promises.scope import Role, scope_for

# Long enough to log last month's events after the fact.
PAST = datetime.timedelta(days=60)


def _events_for(user):
    """Events a member of staff sees: every event of what they coordinate, and those of the activities they log."""
    coordinated = PlannedEvent.objects.in_scope_of(user, Role.COORDINATOR).values("pk")
    loggable = Activity.objects.loggable_by(user).values("pk")
    return PlannedEvent.objects.filter(Q(pk__in=coordinated) | Q(activity__in=loggable))


@login_required
def planned_events(request):
    """ "Planerade aktiviteter": upcoming events and those of the last 60 days, with a log button for the latter."""
    now = timezone.now()
    events = list(
        _events_for(request.user)
        .filter(ends_at__gte=now - PAST)
        .select_related("activity__promise", "place", "record")
        .order_by("starts_at", "pk")
    )
    loggable = set(Activity.objects.loggable_by(request.user).values_list("pk", flat=True))
    record_ids = [event.record_id for event in events if event.record_id]
    # The record a recorder did not make themselves is not theirs to open: it is named, not linked.
    openable = set(
        ActivityRecord.objects.changeable_by(request.user).filter(pk__in=record_ids).values_list("pk", flat=True)
    )
    for event in events:
        event.is_past = event.ends_at < now
        event.can_log = (
            event.is_past and not event.is_cancelled and not event.record_id and event.activity_id in loggable
        )
        event.record_openable = event.record_id in openable
    upcoming = [event for event in events if not event.is_past]
    past = [event for event in reversed(events) if event.is_past]
    # Coordinators announce events in their workspace.
    can_announce = scope_for(request.user).is_coordinator
    return render(request, "staff/events.html", {"upcoming": upcoming, "past": past, "can_announce": can_announce})


def event_for_logging(request, activity):
    """The event named by ``?event=`` for the log form of ``activity``, or None when there is none.

    The event must be one of this activity's (which the user may log, or there would be no form) and not
    cancelled; anything else answers 404 rather than logging a record against the wrong event.
    """
    event_id = request.GET.get("event", "")
    if not event_id:
        return None
    # Digits only, and few enough for the database's integers: any other value is no event, not an error.
    if activity is None or not re.fullmatch(r"[0-9]{1,18}", event_id):
        raise Http404
    events = PlannedEvent.objects.filter(activity=activity, cancelled_at__isnull=True)
    event = get_object_or_404(events, pk=event_id)
    event.activity = activity
    return event
