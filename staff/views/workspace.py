"""The coordinator workspace: where a coordinator's whole year runs, without the admin (issue 12, DESIGN §6).

This module holds the workspace's start page and a promise's page there; the forms that change a promise, its
focus areas and activities, places, events and people live beside it (staff/views/workspace_*.py). Everything is
limited to the municipalities the user coordinates; anything else answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from activities.models import Activity
from promises import services
from promises.models import Organisation, Place, Promise, PromiseLinkRequest
from promises.scope import Role, scope_for

from ..access import promise_for_coordinator


def require_coordinator(user):
    """404 for anyone who coordinates nothing: the workspace is not theirs, and its address tells them nothing."""
    if not scope_for(user).is_coordinator:
        raise Http404


@login_required
@require_safe
def workspace_home(request):
    """The coordinator's promises by state, the requests to share a promise waiting for their answer, and the way
    to their places, people and events: a fixed number of queries."""
    require_coordinator(request.user)
    promises = list(
        Promise.objects.in_scope_of(request.user, Role.COORDINATOR)
        .prefetch_related("municipalities")
        .order_by("-year", "title", "pk")
    )
    groups = [
        (status, [promise for promise in promises if promise.status == status])
        for status in (Promise.Status.DRAFT, Promise.Status.SIGNED, Promise.Status.CLOSED)
    ]
    context = {
        "groups": [(Promise.Status(status).label, members) for status, members in groups],
        "requests": list(services.link_requests_for(request.user).order_by("requested_at", "pk")),
    }
    return render(request, "staff/workspace/home.html", context)


@login_required
@require_safe
def promise_page(request, promise_id):
    """One promise in the workspace: its texts and parties, its focus areas and activities, and the steps it can
    take next (edit, sign, close, reopen, share, next year's draft): a fixed number of queries."""
    promise = promise_for_coordinator(request.user, promise_id)
    activities = (
        Activity.objects.select_related("kind", "lead_organisation", "focus_area")
        .prefetch_related(
            Prefetch("target_places", queryset=Place.objects.select_related("municipality").order_by("name")),
            Prefetch("partner_organisations", queryset=Organisation.objects.order_by("name")),
        )
        .order_by("order", "pk")
    )
    promise = (
        Promise.objects.filter(pk=promise.pk)
        .prefetch_related(
            "municipalities",
            Prefetch("signatories", queryset=Organisation.objects.order_by("name")),
            "focus_areas",
            Prefetch("activities", queryset=activities),
            Prefetch(
                "link_requests",
                queryset=PromiseLinkRequest.objects.filter(decided_at__isnull=True).select_related("municipality"),
                to_attr="open_requests",
            ),
        )
        .get()
    )
    by_area = {area.pk: [] for area in promise.focus_areas.all()}
    outside = []
    for activity in promise.activities.all():
        by_area.get(activity.focus_area_id, outside).append(activity)
    context = {
        "promise": promise,
        "areas": [(area, by_area[area.pk]) for area in promise.focus_areas.all()],
        "outside": outside,
        "copy": Promise.objects.filter(copied_from=promise).only("pk", "year", "title").first(),
    }
    return render(request, "staff/workspace/promise.html", context)
