"""The tertial report: the coordinator drafts and submits, the council approves or returns, it is published and, when
something was wrong, corrected as a new edition."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followup import services
from followup.forms import ApproveForm, CorrectionForm, ReportForm, ReturnForm, RevisionForm
from followup.forum import Forum
from followup.models import TertialReport
from followup.selectors import promise_figures, report_snapshot
from promises.scope import scope_for

from ..access import period_for_follow_up
from ..kept_forms import shown_on, take_kept_form


def _report_page(promise_id, tertial):
    return reverse("followup:report", args=[promise_id, tertial])


def _named(name):
    """The name the report page gives a step's form (staff.kept_forms.shown_on)."""
    return lambda request: name


def _promise_and_report(user, promise_id, tertial):
    """The promise (404 outside the user's follow-up scope or for a period outside its plan), its report and period."""
    promise, tertial = period_for_follow_up(user, promise_id, tertial)
    report = (
        TertialReport.objects.filter(promise=promise, **TertialReport.key_of(tertial))
        .select_related("approved_by", "council", "promise")
        .prefetch_related("assessments", "publications")
        .first()
    )
    return promise, report, tertial


def _report_form(report, figures, data=None):
    """The draft's form over the promise's activities as they are now, with the statuses computed now."""
    return ReportForm(
        data,
        report=report,
        activities=[figure.activity for figure in figures],
        computed={figure.activity.pk: figure.progress.status for figure in figures},
        with_verdicts=services.is_last_tertial(report),
        forums=list(services.forums_of(report.promise)),
    )


def _render(request, promise, tertial, report, *, status=200, **forms):
    """The report page for everyone who may read it: the whole report (summary, figures, statuses, comments,
    verdicts, indicators), frozen from submission on and live before, and the forms this user may use.

    While the report is submitted, the figures are computed again as well: if they moved since submission the page
    says so, since approval would be refused.
    """
    scope = scope_for(request.user)
    may_coordinate = scope.is_coordinator_of(promise)
    form = forms.get("form")
    moved = []
    if report is not None and report.is_frozen:
        snapshot = report.frozen
        if report.status == TertialReport.Status.SUBMITTED:
            moved = report_snapshot(promise, tertial, report=report).differences(snapshot)
    else:
        figures = promise_figures(promise, tertial)
        snapshot = report_snapshot(promise, tertial, report=report, figures=figures)
        if report is not None and report.status == TertialReport.Status.DRAFT and may_coordinate and form is None:
            # After a log-in that interrupted a save, what the POST carried (staff.kept_forms), shown unsaved.
            form = _report_form(report, figures, take_kept_form(request))
    revision = report.revision if report else None
    # After a log-in that interrupted a step, what its form carried (staff.kept_forms.shown_on), shown unsent.
    for name, form_class in (
        ("approve_form", ApproveForm),
        ("return_form", ReturnForm),
        ("correct_form", CorrectionForm),
    ):
        if report is not None and name not in forms and (kept := take_kept_form(request, form=name)) is not None:
            forms[name] = form_class(kept, period=tertial)
    approver = report.approved_by if report else None
    if report is not None and report.is_frozen:
        forum = snapshot.forum
    else:
        forum = report.forum if report is not None else Forum.of(services.default_forum(promise))
    context = {
        "forum": forum,
        "decided_on": forum.decided_on(date_format(report.meeting_date, "j F Y"))
        if report and report.meeting_date
        else "",
        "approver_name": (approver.get_full_name() or approver.get_username()) if approver else "",
        "promise": promise,
        "tertial": tertial,
        "report": report,
        "snapshot": snapshot,
        "moved": moved,
        "form": form,
        "may_coordinate": may_coordinate,
        "may_review": scope.is_council_member_of(promise),
        # Four eyes: whoever submitted the report is not offered its approval.
        "submitted_by_me": report is not None and report.submitted_by_id == request.user.pk,
        # The step form a POST refused, for the summary at the top and "Fel:" in the title.
        "step_form": next(
            (
                forms[name]
                for name in ("approve_form", "return_form", "correct_form")
                if name in forms and forms[name].errors
            ),
            None,
        ),
        "approve_form": forms.get("approve_form") or ApproveForm(initial={"revision": revision}, period=tertial),
        "return_form": forms.get("return_form") or ReturnForm(initial={"revision": revision}),
        "correct_form": forms.get("correct_form") or CorrectionForm(initial={"revision": revision}),
        "publications": list(report.publications.all()) if report else [],
        "history": report.history.select_related("history_user").order_by("-history_date")[:20] if report else [],
    }
    return render(request, "staff/report.html", context, status=status)


def _draft_or_refuse(request, promise, report):
    """Whether the user may change the report's text: its coordinator, while it is a draft."""
    if (
        report is None
        or report.status != TertialReport.Status.DRAFT
        or not scope_for(request.user).is_coordinator_of(promise)
    ):
        messages.error(request, _("Only the coordinator can change a report, and only while it is a draft."))
        return False
    return True


def _save(request, promise, tertial, report):
    """Saves the POSTed draft form: None when saved, else the page to answer with (errors beside the fields, or the
    newer revision's message), with everything the user typed still in the form."""
    form = _report_form(report, promise_figures(promise, tertial), request.POST)
    if not form.is_valid():
        return _render(request, promise, tertial, report, form=form)
    try:
        services.report_update(
            report=report,
            revision=form.cleaned_data["revision"],
            by=request.user,
            summary=form.cleaned_data["summary"],
            assessments=form.assessments(),
            council=form.chosen_forum(),
        )
    except services.ReportError as error:
        messages.error(request, str(error))
        report.refresh_from_db()
        return _render(request, promise, tertial, report, form=form, status=409)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, promise_id, tertial):
    """Shows the report; a POST saves the draft, refused if someone saved a newer revision meanwhile."""
    promise, report, tertial = _promise_and_report(request.user, promise_id, tertial)
    if request.method == "GET":
        return _render(request, promise, tertial, report)
    if not _draft_or_refuse(request, promise, report):
        return redirect("followup:report", promise_id=promise.pk, tertial=tertial)
    refused = _save(request, promise, tertial, report)
    if refused is not None:
        return refused
    messages.success(request, _("The report was saved."))
    return redirect("followup:report", promise_id=promise.pk, tertial=tertial)


@login_required
@require_POST
@shown_on(_report_page, lambda request: None)
def report_create(request, promise_id, tertial):
    promise, _report, tertial = _promise_and_report(request.user, promise_id, tertial)
    try:
        services.report_create(promise=promise, tertial=tertial, by=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report for %(tertial)s was created as a draft.") % {"tertial": tertial.label})
    return redirect("followup:report", promise_id=promise.pk, tertial=tertial)


def _transition(request, promise_id, tertial, *, step, form_class, success, fields=(), form_name=None):
    """Runs one workflow step from a POSTed form that names the revision the user saw.

    ``fields`` are passed on to the service from the form; an invalid form shows the report page again
    with its errors next to the fields (``form_name`` says where the page puts that form).
    """
    promise, report, tertial = _promise_and_report(request.user, promise_id, tertial)
    if report is None:
        raise Http404
    form = form_class(request.POST, period=tertial)
    if not form.is_valid():
        return _render(request, promise, tertial, report, status=400, **({form_name: form} if form_name else {}))
    try:
        step(
            report=report,
            revision=form.cleaned_data["revision"],
            by=request.user,
            **{field: form.cleaned_data[field] for field in fields},
        )
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("followup:report", promise_id=promise.pk, tertial=tertial)


@login_required
@require_POST
# The draft's form when it came along (kept as the page's own form); a button alone carries nothing to keep.
@shown_on(_report_page, lambda request: "" if "summary" in request.POST else None)
def report_submit(request, promise_id, tertial):
    """Sends the draft to the council. The draft's form comes along and is saved first, so nothing typed is lost.

    The save is kept even when the report cannot be sent yet (a verdict missing, say): the page then says why, with
    everything saved.
    """
    if "summary" not in request.POST:
        return _transition(
            request,
            promise_id,
            tertial,
            step=services.report_submit,
            form_class=RevisionForm,
            success=_("The report was sent for decision."),
        )
    promise, report, tertial = _promise_and_report(request.user, promise_id, tertial)
    if not _draft_or_refuse(request, promise, report):
        return redirect("followup:report", promise_id=promise.pk, tertial=tertial)
    refused = _save(request, promise, tertial, report)
    if refused is not None:
        return refused
    try:
        # The step is a transaction of its own (a savepoint here): a refusal undoes the step, never the save.
        services.report_submit(report=report, revision=report.revision, by=request.user)
    except services.ReportError as error:
        messages.error(request, _("The report was saved but not sent: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("The report was saved and sent for decision."))
    return redirect("followup:report", promise_id=promise.pk, tertial=tertial)


@login_required
@require_POST
@shown_on(_report_page, _named("approve_form"))
def report_approve(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_approve,
        form_class=ApproveForm,
        success=_("The decision was recorded; the figures are frozen and the tertial's records are locked."),
        fields=("meeting_date",),
        form_name="approve_form",
    )


@login_required
@require_POST
@shown_on(_report_page, _named("return_form"))
def report_return(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_return,
        form_class=ReturnForm,
        success=_("The report was returned to draft."),
        fields=("comment",),
        form_name="return_form",
    )


@login_required
@require_POST
@shown_on(_report_page, lambda request: None)
def report_publish(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_publish,
        form_class=RevisionForm,
        success=_("The report was published."),
    )


@login_required
@require_POST
@shown_on(_report_page, _named("correct_form"))
def report_correct(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_correct,
        form_class=CorrectionForm,
        success=_(
            "The report is a draft again, to be corrected. Citizens keep reading the published edition until the "
            "correction has been approved and published."
        ),
        fields=("reason",),
        form_name="correct_form",
    )
