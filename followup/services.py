"""The tertial report workflow: draft → submitted → approved → published, with returns to draft.

Every transition is one transaction that first moves the report's revision on with a conditional UPDATE
(``WHERE revision = <the revision the user saw>``). Two people acting on the same report therefore never
overwrite each other: the second finds no row at that revision and gets :class:`StaleReport`, which names the
newer revision. Approval freezes every activity's figures into ``snapshot``; that, not the live records, is
what the public sees, and records dated in an approved tertial are locked until the report returns to draft.
"""

import logging
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import change_reason
from promises.scope import scope_for

from .models import Assessment, TertialReport
from .selectors import activity_rows, judged_at, period_of, promise_figures
from .snapshot import Snapshot

logger = logging.getLogger("portal.reports")
security = logging.getLogger("portal.security")


class ReportError(Exception):
    """A workflow step refused, with a message for the person who asked."""


class StaleReport(ReportError):
    """Someone else changed the report since the page was shown."""

    def __init__(self, report):
        self.current_revision = report.revision if report else None
        super().__init__(
            _(
                "Someone else has changed this report since you opened it (it is now at version %(version)s). "
                "Nothing was saved: reload the page to see their changes, then make yours again."
            )
            % {"version": self.current_revision}
        )


def is_last_tertial(report) -> bool:
    return report.tertial == period_of(report.promise).last_tertial()


def _advance(report, *, revision, from_statuses, where=None, **changes):
    """Moves the report on one revision if it is still at ``revision`` and in one of ``from_statuses``.

    The check and the increment are one UPDATE, so of two concurrent requests exactly one succeeds. The
    changed fields are then saved through the model as well, so that history records who did what.
    """
    rows = TertialReport.objects.filter(pk=report.pk, revision=revision, status__in=from_statuses)
    if where is not None:
        rows = rows.filter(where)
    updated = rows.update(revision=F("revision") + 1)
    if not updated:
        current = TertialReport.objects.filter(pk=report.pk).first()
        if current is not None and current.revision == revision:
            raise ReportError(
                _("This step is not possible while the report is %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        raise StaleReport(current)
    report.refresh_from_db()
    for field, value in changes.items():
        setattr(report, field, value)
    report.save()
    return report


def _require(allowed, message):
    if not allowed:
        raise ReportError(message)


def _require_coordinator(by, promise, message):
    _require(scope_for(by).is_coordinator_of(promise), message)


def _require_council_member(by, promise, message):
    _require(scope_for(by).is_council_member_of(promise), message)


@transaction.atomic
def report_create(*, promise, tertial, by):
    """A draft report for the tertial, with every activity's computed status filled in."""
    _require_coordinator(by, promise, _("Only the promise's coordinator can start a report."))
    _require(tertial in period_of(promise).tertials(), _("That tertial is not part of the promise's period."))
    council = promise.municipalities.first().councils.first() if promise.municipalities.exists() else None
    try:
        with transaction.atomic():
            report = TertialReport.objects.create(
                promise=promise, year=tertial.year, number=tertial.number, council=council
            )
    except IntegrityError:
        raise ReportError(_("There is already a report for %(tertial)s.") % {"tertial": tertial.label}) from None
    figures = promise_figures(promise, tertial, cached=False)
    Assessment.objects.bulk_create(
        Assessment(report=report, activity=figure.activity, status=figure.progress.status) for figure in figures
    )
    logger.info("report created: report=%s promise=%s tertial=%s by=%s", report.pk, promise.pk, tertial.code, by.pk)
    return report


@transaction.atomic
def report_update(*, report, revision, by, summary, assessments):
    """Saves the draft's summary and assessments; ``assessments`` maps activity id to a dict of fields."""
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can edit the report."))
    _advance(report, revision=revision, from_statuses=[TertialReport.Status.DRAFT], summary=summary)
    existing = {assessment.activity_id: assessment for assessment in report.assessments.all()}
    changed = []
    for activity_id, fields in assessments.items():
        assessment = existing[activity_id]
        for field, value in fields.items():
            setattr(assessment, field, value)
        changed.append(assessment)
    for assessment in changed:
        assessment.save()
    return report


def _check_complete(report):
    """In the period's last tertial every activity needs a verdict, and a reason unless it was kept."""
    if not is_last_tertial(report):
        return
    for assessment in report.assessments.select_related("activity"):
        if not assessment.verdict:
            raise ReportError(
                _("Give every activity a verdict before submitting the last tertial: %(activity)s has none.")
                % {"activity": assessment.activity.title}
            )
        if assessment.verdict != Assessment.Verdict.KEPT and not assessment.verdict_reason:
            message = _("Give a reason for %(activity)s, which was not kept in full.")
            raise ReportError(message % {"activity": assessment.activity.title})


@transaction.atomic
def report_submit(*, report, revision, by):
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can submit the report."))
    _check_complete(report)
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.DRAFT],
        status=TertialReport.Status.SUBMITTED,
        submitted_by=by,
    )
    logger.info("report submitted: report=%s by=%s", report.pk, by.pk)
    return report


def snapshot_of(report) -> Snapshot:
    """Every activity's figures at the tertial's end, with the council's assessment: what approval freezes."""
    assessments = {assessment.activity_id: assessment for assessment in report.assessments.all()}
    figures = promise_figures(report.promise, report.tertial, cached=False)
    activities = activity_rows(figures, assessments, up_to=report.tertial)
    return Snapshot(
        tertial=report.tertial.code,
        judged_at=judged_at(report.promise, report.tertial),
        taken_at=timezone.now(),
        # Two decimals are enough for people; the exact fraction stays derivable from the dates.
        activities=tuple(replace(row, expected=round(row.expected, 2)) for row in activities),
    )


@transaction.atomic
def report_approve(*, report, revision, by, meeting_date):
    _require_council_member(
        by,
        report.promise,
        _("Only a member of the crime-prevention council can approve the report."),
    )
    _require(meeting_date is not None, _("Give the date of the council meeting that approved the report."))
    _require(meeting_date <= timezone.localdate(), _("The meeting date cannot be in the future."))
    submitted_by = TertialReport.objects.filter(pk=report.pk).values_list("submitted_by_id", flat=True).first()
    if submitted_by == by.pk:
        security.warning("report refused: approve by its submitter report=%s by=%s", report.pk, by.pk)
        raise ReportError(
            _("You sent this report to the council yourself, so another member of the council must approve it.")
        )
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.SUBMITTED],
        # Four eyes, kept by the UPDATE itself: whoever submitted the report never approves it.
        where=~Q(submitted_by=by),
        status=TertialReport.Status.APPROVED,
        meeting_date=meeting_date,
        approved_by=by,
        approved_at=timezone.now(),
        snapshot=snapshot_of(report).to_dict(),
        return_comment="",
    )
    logger.info("report approved: report=%s by=%s", report.pk, by.pk)
    return report


@transaction.atomic
def report_return(*, report, revision, by, comment):
    """Back to draft with a comment: a council member returns a submitted report, a coordinator an approved one.

    Returning an approved report unlocks its tertial's records; the reason is kept in the report's history.
    """
    _require(bool(comment and comment.strip()), _("Say why the report goes back to draft."))
    if report.status == TertialReport.Status.SUBMITTED:
        _require_council_member(
            by,
            report.promise,
            _("Only a council member can return a submitted report."),
        )
    elif report.status == TertialReport.Status.APPROVED:
        _require_coordinator(
            by,
            report.promise,
            _("Only the promise's coordinator can reopen an approved report."),
        )
    else:
        raise ReportError(_("Only a submitted or approved report can be returned to draft."))
    report._change_reason = change_reason(comment)
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.SUBMITTED, TertialReport.Status.APPROVED],
        status=TertialReport.Status.DRAFT,
        return_comment=comment,
        submitted_by=None,
        approved_by=None,
        approved_at=None,
        meeting_date=None,
        snapshot={},
    )
    logger.info("report returned to draft: report=%s by=%s", report.pk, by.pk)
    return report


@transaction.atomic
def report_publish(*, report, revision, by):
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can publish the report."))
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.APPROVED],
        status=TertialReport.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    logger.info("report published: report=%s by=%s", report.pk, by.pk)
    return report
