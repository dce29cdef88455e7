"""Staff pages for what was logged: my records, every record a coordinator coordinates, one record with its
history, and correcting or voiding one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities.forms import RecordForm, VoidForm
from activities.models import Activity, ActivityRecord, RecordAlreadyVoided
from followup.models import TertialReport
from promises.models import Place
from promises.scope import Role, scope_for

from ..access import record_for_user
from ..kept_forms import form_data

RECORDS_PER_PAGE = 25


def total_of(activity, achieved=None):
    """The activity's new total, in words, for the confirmation after logging or voiding (``achieved``: the total
    if the caller knows it; otherwise it is read)."""
    if achieved is None:
        achieved = activity.records.active().aggregate(total=Sum("quantity"))["total"] or 0
    # A target per municipality or of part of the period is not "N of the target" in all: the dashboard tells.
    shaped = activity.target_per_municipality or activity.target_window_start is not None
    if activity.target_count and not shaped:
        total = _("Now %(achieved)s of %(target)s %(unit)s.") % {
            "achieved": achieved,
            "target": activity.target_count,
            "unit": activity.unit_for(activity.target_count),
        }
    else:
        total = _("Now %(achieved)s %(unit)s in all.") % {"achieved": achieved, "unit": activity.unit_for(achieved)}
    return {"activity": activity.title, "total": total}


def _records_page(request, records):
    """One page of records, each marked with whether its tertial is locked: a fixed number of queries."""
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("sida"))
    locked = TertialReport.objects.locked_tertials({record.activity.promise_id for record in page})
    for record in page:
        record.locked = any(
            promise_id == record.activity.promise_id and period.contains(record.occurred_on)
            for promise_id, period in locked
        )
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
    return render(request, "staff/records.html", {"page": page, "everyone": False})


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
    return render(request, "staff/records.html", {"page": page, "everyone": True})


@login_required
def record_detail(request, record_id):
    """One record; coordinators also see every change made to it."""
    record = record_for_user(request.user, record_id)
    record.locked = record.is_locked()
    history = None
    coordinates = scope_for(request.user).is_coordinator_of(record.activity.promise)
    if coordinates:
        history = _history_of(record)
    # Opened from "Alla registreringar" (?fran=alla), the page leads back there (its breadcrumb too).
    from_all_records = coordinates and request.GET.get("fran") == "alla"
    context = {"record": record, "history": history, "from_all_records": from_all_records}
    return render(request, "staff/record.html", context)


def _history_of(record):
    """The record's changes, newest first: each history row (an entry) with who made it and which fields changed
    from what to what."""
    rows = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    place_ids = {row.place_id for row in rows if row.place_id}
    places = dict(Place.objects.filter(pk__in=place_ids).values_list("pk", "name"))
    fields = {field.name: field for field in ActivityRecord._meta.fields}
    shown = ["occurred_on", "quantity", "place", "place_text", "summary", "voided_at", "void_reason"]
    entries = []
    previous = None
    for row in rows:
        changes = []
        for name in shown:
            attribute = fields[name].attname
            new = getattr(row, attribute)
            old = getattr(previous, attribute) if previous else None
            if previous is None or new != old:
                if name == "place":
                    new, old = places.get(new, ""), places.get(old, "")
                if previous is None and new in (None, ""):
                    continue
                changes.append({"field": fields[name].verbose_name, "old": old, "new": new})
        entries.append({"row": row, "changes": changes})
        previous = row
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
    record = record_for_user(request.user, record_id)
    if refused := _refuse_if_closed(request, record):
        return refused
    form = RecordForm(
        form_data(request),
        instance=record,
        user=request.user,
        activities=Activity.objects.none(),
        activity=record.activity,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Corrected: %(activity)s. %(total)s") % total_of(record.activity))
        return redirect("activities:record", record_id=record.pk)
    context = {"form": form, "activity": record.activity, "record": record}
    return render(request, "staff/log.html", context, status=409 if form.stale else 200)


@login_required
@require_http_methods(["GET", "POST"])
def void_record(request, record_id):
    record = record_for_user(request.user, record_id)
    if refused := _refuse_if_closed(request, record):
        return refused
    form = VoidForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            record.void(by=request.user, reason=form.cleaned_data["reason"])
        except RecordAlreadyVoided:
            messages.error(
                request, _("Someone else voided this record meanwhile. Their reason stands; yours was not saved.")
            )
            return redirect("activities:record", record_id=record.pk)
        messages.success(request, _("Voided: %(activity)s. %(total)s") % total_of(record.activity))
        next_url = request.POST.get("next", "")
        # Only a path on this site, and as a URL: redirect() would take a bare word for a view's name.
        if next_url.startswith("/") and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(next_url)
        return redirect("activities:record", record_id=record.pk)
    return render(request, "staff/void.html", {"form": form, "record": record, "next": request.GET.get("next")})
