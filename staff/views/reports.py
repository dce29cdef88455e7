"""The tertial report: the coordinator drafts and submits, the council approves or returns, and it is published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followup import services
from followup.forms import ApproveForm, ReportForm, ReturnForm, RevisionForm
from followup.models import Assessment, TertialReport
from followup.selectors import activity_rows, period_of, promise_figures
from promises.scope import scope_for

from ..access import promise_in_tertial_for_follow_up


def _promise_and_report(user, promise_id, tertial):
    """The promise (404 outside the user's follow-up scope or for a tertial outside its period) and its report."""
    promise = promise_in_tertial_for_follow_up(user, promise_id, tertial)
    report = (
        TertialReport.objects.filter(promise=promise, year=tertial.year, number=tertial.number)
        .select_related("approved_by", "council")
        .prefetch_related("assessments__activity")
        .first()
    )
    return promise, report


def _rows(activities):
    """The report's rows, frozen at approval or live before, each with the words of its verdict and reason."""
    verdicts, reasons = dict(Assessment.Verdict.choices), dict(Assessment.Reason.choices)
    return [
        {
            "item": item,
            "verdict": verdicts.get(item.verdict, ""),
            "verdict_reason": reasons.get(item.verdict_reason, ""),
        }
        for item in activities
    ]


def _render(request, promise, tertial, report, *, form=None, approve_form=None, return_form=None, status=200):
    """The report page: frozen figures once approved, live figures before, and the forms this user may use."""
    user = request.user
    scope = scope_for(user)
    may_coordinate = scope.is_coordinator_of(promise)
    if report is not None and report.is_locked:
        rows = _rows(report.frozen.activities)
    else:
        figures = promise_figures(promise, tertial)
        assessments = {assessment.activity_id: assessment for assessment in report.assessments.all()} if report else {}
        rows = _rows(activity_rows(figures, assessments, up_to=tertial))
        if report is not None and report.status == TertialReport.Status.DRAFT and may_coordinate and form is None:
            computed = {figure.activity.pk: figure.progress.status for figure in figures}
            form = ReportForm(report=report, computed=computed, with_verdicts=services.is_last_tertial(report))
    revision = report.revision if report else None
    context = {
        "promise": promise,
        "tertial": tertial,
        "report": report,
        "rows": rows,
        "form": form,
        "may_coordinate": may_coordinate,
        "may_review": scope.is_council_member_of(promise),
        # Four eyes: whoever submitted the report is not offered its approval.
        "submitted_by_me": report is not None and report.submitted_by_id == user.pk,
        "approve_form": approve_form or ApproveForm(initial={"revision": revision}),
        "return_form": return_form or ReturnForm(initial={"revision": revision}),
        "history": report.history.select_related("history_user").order_by("-history_date")[:20] if report else [],
        "is_last_tertial": tertial == period_of(promise).last_tertial(),
    }
    return render(request, "staff/report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, promise_id, tertial):
    """Shows the report; a POST saves the draft, refused if someone saved a newer revision meanwhile."""
    promise, report = _promise_and_report(request.user, promise_id, tertial)
    if request.method == "GET":
        return _render(request, promise, tertial, report)
    if (
        report is None
        or report.status != TertialReport.Status.DRAFT
        or not scope_for(request.user).is_coordinator_of(promise)
    ):
        messages.error(request, _("Only the coordinator can change a report, and only while it is a draft."))
        return redirect("followup:report", promise_id=promise.pk, tertial=tertial)
    computed = {figure.activity.pk: figure.progress.status for figure in promise_figures(promise, tertial)}
    form = ReportForm(request.POST, report=report, computed=computed, with_verdicts=services.is_last_tertial(report))
    if not form.is_valid():
        return _render(request, promise, tertial, report, form=form)
    try:
        services.report_update(
            report=report,
            revision=form.cleaned_data["revision"],
            by=request.user,
            summary=form.cleaned_data["summary"],
            assessments=form.assessments(),
        )
    except services.ReportError as error:
        # Keep what the user typed on the page, so nothing is lost, next to the newer revision's message.
        messages.error(request, str(error))
        report.refresh_from_db()
        return _render(request, promise, tertial, report, form=form, status=409)
    messages.success(request, _("The report was saved."))
    return redirect("followup:report", promise_id=promise.pk, tertial=tertial)


@login_required
@require_POST
def report_create(request, promise_id, tertial):
    promise, _report = _promise_and_report(request.user, promise_id, tertial)
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
    promise, report = _promise_and_report(request.user, promise_id, tertial)
    if report is None:
        raise Http404
    form = form_class(request.POST)
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
def report_submit(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_submit,
        form_class=RevisionForm,
        success=_("The report was sent to the council."),
    )


@login_required
@require_POST
def report_approve(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_approve,
        form_class=ApproveForm,
        success=_("The report was approved; its figures are frozen and the tertial's records are locked."),
        fields=("meeting_date",),
        form_name="approve_form",
    )


@login_required
@require_POST
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
def report_publish(request, promise_id, tertial):
    return _transition(
        request,
        promise_id,
        tertial,
        step=services.report_publish,
        form_class=RevisionForm,
        success=_("The report was published."),
    )
