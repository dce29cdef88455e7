"""The workspace's planned events: the coordinator announces, changes and cancels the public events of their
activities (the safety walks and parent meetings citizens may join), which the public pages and calendar show.

Only activities of current promises are offered, and only days inside the promise's period (EventForm). A change
made on a form someone else has since overtaken is refused with the newer version shown; a cancelled event stays
listed, marked, and its calendar entry says so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from activities import services
from activities.forms import EventForm
from activities.models import PlannedEvent
from promises.scope import Role

from ..kept_forms import form_data
from .events import PAST
from .workspace import require_coordinator


def _events_of(user):
    return PlannedEvent.objects.in_scope_of(user, Role.COORDINATOR).select_related(
        "activity__promise", "place__municipality", "record"
    )


def _event_for_coordinator(user, event_id):
    """An event of a promise the user coordinates; 404 for anything else."""
    require_coordinator(user)
    return get_object_or_404(_events_of(user), pk=event_id)


@login_required
@require_safe
def event_list(request):
    """The coordinator's events still to come and those of the last 60 days, each with what may be done with it:
    a fixed number of queries."""
    require_coordinator(request.user)
    now = timezone.now()
    events = list(_events_of(request.user).filter(ends_at__gte=now - PAST).order_by("starts_at", "pk"))
    for event in events:
        event.is_past = event.ends_at < now
        event.may_change = services.event_refusal(event) is None
        event.may_cancel = services.cancel_refusal(event) is None
    context = {
        "upcoming": [event for event in events if not event.is_past],
        "past": [event for event in reversed(events) if event.is_past],
    }
    return render(request, "staff/workspace/events.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require_coordinator(request.user)
    form = EventForm(form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        event = services.event_announce(form=form, by=request.user)
        messages.success(
            request,
            _("“%(title)s” was announced: the public pages and the calendar show it.") % {"title": event.title},
        )
        return redirect("workspace:events")
    return render(request, "staff/workspace/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, event_id):
    """Changes an event; refused when someone else changed it since the form was shown, or when it no longer
    changes (cancelled, or of a promise that is not current)."""
    event = _event_for_coordinator(request.user, event_id)
    refused = services.event_refusal(event)
    if refused:
        return render(request, "staff/workspace/event_form.html", {"event": event, "refused": refused})
    form = EventForm(form_data(request), instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_change(form=form, by=request.user, sequence=form.cleaned_data["sequence_seen"])
        except services.EventChanged as changed:
            # What the user typed stays in the form, which now names the newer version: saving again replaces it.
            # The form gets its own copy of the event: cleaning it writes the typed values onto the instance.
            data = request.POST.copy()
            data["sequence_seen"] = changed.event.sequence
            form = EventForm(data, instance=_event_for_coordinator(request.user, event_id), user=request.user)
            form.is_valid()
            form.add_error(None, str(changed))
            context = {"form": form, "event": changed.event, "newer": changed.event}
            return render(request, "staff/workspace/event_form.html", context, status=409)
        except services.EventRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("“%(title)s” was saved; calendars that follow it get the change.") % {"title": event.title},
            )
            return redirect("workspace:events")
    return render(request, "staff/workspace/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, event_id):
    """A page saying what cancelling does, whose button cancels the event."""
    event = _event_for_coordinator(request.user, event_id)
    if request.method == "POST":
        try:
            services.event_cancel(event=event, by=request.user)
        except services.EventRefused:
            event = _event_for_coordinator(request.user, event_id)  # the page below says why, read afresh
        else:
            messages.success(
                request, _("“%(title)s” was cancelled. It stays listed, marked as cancelled.") % {"title": event.title}
            )
            return redirect("workspace:events")
    context = {
        "heading": _("Cancel the event"),
        "subject": event,
        "back_url": reverse("workspace:events"),
        "back_label": _("Planned events"),
        "explanation": [
            _(
                "The event stays on the public pages and in the calendar, marked as cancelled, so that those who "
                "planned to come learn of it. A cancelled event does not change again."
            )
        ],
        "refused": services.cancel_refusal(event),
        "button": _("Cancel the event"),
    }
    return render(request, "staff/workspace/confirm.html", context)
