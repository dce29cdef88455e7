"""The workspace's forms for a promise: create and edit it, its focus areas and activities, its steps (sign,
close, reopen) and sharing it with a neighbouring municipality.

Each step is a button that leads to a page saying what it does, and a POST on that page takes it. Refusals come
from the services (promises.services) and the models' rules (locks, shared links kept), shown on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities.forms import ActivityForm
from activities.models import Activity
from promises import services
from promises.forms import (
    CloseForm,
    FocusAreaForm,
    LinkRequestForm,
    PromiseForm,
    ReasonForm,
    SignedPromiseForm,
    SignForm,
)
from promises.models import FocusArea, Promise, PromiseLinkRequest
from promises.scope import Role, scope_for

from ..access import promise_for_coordinator
from ..kept_forms import form_data
from .workspace import require_coordinator


def _data(request):
    """The form's data on a POST, even an empty one (a button alone); on a GET what a log-in kept, or None."""
    return form_data(request)


SLUG_TAKEN = _("Someone else gave a promise this address name at the same moment. Choose another and save again.")


def _save_promise(form, *, by):
    """Saves the form's promise with its history attributed; False when the database refused its address."""
    try:
        with transaction.atomic():
            form.instance._history_user = by
            form.save()
    except IntegrityError:
        form.add_error("slug", SLUG_TAKEN)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def promise_create(request):
    require_coordinator(request.user)
    form = PromiseForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid() and _save_promise(form, by=request.user):
        messages.success(request, _("The draft “%(title)s” was created.") % {"title": form.instance.title})
        return redirect("workspace:promise", promise_id=form.instance.pk)
    return render(request, "staff/workspace/promise_form.html", {"form": form, "promise": None})


@login_required
@require_http_methods(["GET", "POST"])
def promise_edit(request, promise_id):
    """A draft is edited whole; a signed or closed promise only where no approved follow-up would move."""
    promise = promise_for_coordinator(request.user, promise_id)
    if promise.status == Promise.Status.DRAFT:
        form = PromiseForm(_data(request), instance=promise, user=request.user)
    else:
        form = SignedPromiseForm(_data(request), instance=promise)
    if request.method == "POST" and form.is_valid() and _save_promise(form, by=request.user):
        messages.success(request, _("The promise was saved."))
        return redirect("workspace:promise", promise_id=promise.pk)
    return render(request, "staff/workspace/promise_form.html", {"form": form, "promise": promise})


def _step(request, promise, *, form, take, heading, explanation, success):
    """Shows a step's confirmation page, and takes the step on a valid POST; a refusal is shown on the page."""
    if request.method == "POST" and form.is_valid():
        try:
            take(form.cleaned_data)
        except services.PromiseRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, success)
            return redirect("workspace:promise", promise_id=promise.pk)
    context = {"form": form, "promise": promise, "heading": heading, "explanation": explanation}
    return render(request, "staff/workspace/step.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def promise_sign(request, promise_id):
    promise = promise_for_coordinator(request.user, promise_id)
    form = SignForm(_data(request), initial={"signed_on": timezone.localdate()})
    return _step(
        request,
        promise,
        form=form,
        take=lambda data: services.promise_sign(promise=promise, by=request.user, signed_on=data["signed_on"]),
        heading=_("Sign the promise"),
        explanation=[
            _(
                "Once signed, the promise is public and its activities can be logged. Its municipalities, parties "
                "and year no longer change."
            )
        ],
        success=_("The promise was signed. It is now public, and its activities can be logged."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def promise_close(request, promise_id):
    promise = promise_for_coordinator(request.user, promise_id)
    form = CloseForm(_data(request))
    return _step(
        request,
        promise,
        form=form,
        take=lambda data: services.promise_close(promise=promise, by=request.user),
        heading=_("Close the promise"),
        explanation=[
            _("A closed promise stays public with its results, and no more activities are logged in it."),
            _("It can be reopened later, for example to enter the last results."),
        ],
        success=_("The promise was closed. It stays public; no more activities are logged in it."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def promise_reopen(request, promise_id):
    promise = promise_for_coordinator(request.user, promise_id)
    return _step(
        request,
        promise,
        form=ReasonForm(_data(request)),
        take=lambda data: services.promise_reopen(promise=promise, by=request.user, reason=data["reason"]),
        heading=_("Reopen the promise"),
        explanation=[_("Its activities can be logged again. Say why: the reason is kept in the promise's history.")],
        success=_("The promise was reopened: its activities can be logged again."),
    )


# Sharing with a neighbouring municipality ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def promise_share(request, promise_id):
    """Asks another municipality to make the draft together; its coordinator answers on their own workspace."""
    promise = promise_for_coordinator(request.user, promise_id)
    form = LinkRequestForm(_data(request), choices=services.municipalities_to_ask(promise))
    return _step(
        request,
        promise,
        form=form,
        take=lambda data: services.promise_link_request(
            promise=promise, municipality=data["municipality"], by=request.user
        ),
        heading=_("Make the promise together with another municipality"),
        explanation=[
            _(
                "The other municipality's coordinator is asked to confirm. It becomes part of the promise once "
                "they accept, and the promise can be signed once every request is answered."
            )
        ],
        success=_("The request was sent. The promise can be signed once it is answered."),
    )


def _link_request_for(user, request_id):
    """A request to a municipality the user coordinates, open or answered; 404 for anything else."""
    require_coordinator(user)
    scope = scope_for(user)
    requests = PromiseLinkRequest.objects.select_related("promise", "municipality", "requested_by")
    if not scope.is_administrator:
        requests = requests.filter(municipality__in=scope.municipalities_where(Role.COORDINATOR))
    return get_object_or_404(requests, pk=request_id)


@login_required
@require_http_methods(["GET", "POST"])
def link_request(request, request_id):
    """The asked municipality's coordinator reads what they are asked to join, and accepts or declines."""
    link = _link_request_for(request.user, request_id)
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            services.promise_link_decide(link_request=link, by=request.user, accept=accept)
        except services.PromiseRefused as refused:
            messages.error(request, str(refused))
            return redirect("workspace:link_request", request_id=link.pk)
        if accept:
            messages.success(
                request,
                _("%(municipality)s now makes the promise together with the others.")
                % {"municipality": link.municipality},
            )
            return redirect("workspace:promise", promise_id=link.promise_id)
        messages.success(request, _("You declined the request."))
        return redirect("workspace:home")
    return render(request, "staff/workspace/link_request.html", {"link": link})


# Focus areas and activities ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_create(request, promise_id):
    promise = promise_for_coordinator(request.user, promise_id)
    next_order = (promise.focus_areas.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = FocusAreaForm(_data(request), promise=promise, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The focus area “%(title)s” was added.") % {"title": form.instance.title})
        return redirect("workspace:promise", promise_id=promise.pk)
    return render(request, "staff/workspace/focus_area_form.html", {"form": form, "promise": promise})


@login_required
@require_http_methods(["GET", "POST"])
def focus_area_edit(request, focus_area_id):
    area = get_object_or_404(FocusArea.objects.in_scope_of(request.user, Role.COORDINATOR), pk=focus_area_id)
    promise = promise_for_coordinator(request.user, area.promise_id)
    form = FocusAreaForm(_data(request), instance=area, promise=promise)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The focus area was saved."))
        return redirect("workspace:promise", promise_id=promise.pk)
    return render(request, "staff/workspace/focus_area_form.html", {"form": form, "promise": promise, "area": area})


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request, promise_id):
    promise = promise_for_coordinator(request.user, promise_id)
    next_order = (promise.activities.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = ActivityForm(_data(request), promise=promise, user=request.user, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The activity “%(title)s” was added.") % {"title": form.instance.title})
        return redirect("workspace:promise", promise_id=promise.pk)
    return render(request, "staff/workspace/activity_form.html", {"form": form, "promise": promise})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    activity = get_object_or_404(Activity.objects.in_scope_of(request.user, Role.COORDINATOR), pk=activity_id)
    promise = promise_for_coordinator(request.user, activity.promise_id)
    form = ActivityForm(_data(request), instance=activity, promise=promise, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The activity was saved."))
        return redirect("workspace:promise", promise_id=promise.pk)
    context = {"form": form, "promise": promise, "activity": activity}
    return render(request, "staff/workspace/activity_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def link_request_withdraw(request, request_id):
    """The asking side withdraws an open request from its promise's page."""
    link = get_object_or_404(
        PromiseLinkRequest.objects.filter(promise__in=Promise.objects.in_scope_of(request.user, Role.COORDINATOR)),
        pk=request_id,
    )
    if request.method == "POST":
        try:
            services.promise_link_withdraw(link_request=link, by=request.user)
        except services.PromiseRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The request was withdrawn."))
        return redirect("workspace:promise", promise_id=link.promise_id)
    return render(request, "staff/workspace/link_request_withdraw.html", {"link": link})
