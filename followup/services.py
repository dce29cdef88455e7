"""The tertial report workflow: draft → submitted → approved → published, with returns to draft and corrections.

Every transition is one transaction that first moves the report's revision on with a conditional UPDATE
(``WHERE revision = <the revision the user saw>``). Two people acting on the same report therefore never
overwrite each other: the second finds no row at that revision and gets :class:`StaleReport`, which names the
newer revision.

Submission freezes the whole report into ``snapshot`` (:mod:`followup.snapshot`): the figures and statuses as
computed at that moment, never a copy made earlier. The council reads that snapshot and approves exactly it:
approval computes the report again and refuses (:class:`FiguresMoved`) when anything moved since submission, so
the council never approves figures it has not seen; the report goes back to draft for the coordinator to look at
them again. Records dated in an approved tertial are locked until the report returns to draft.

Publishing copies the snapshot into a new :class:`~followup.models.Publication`, which nothing changes afterwards.
A published report is corrected by taking it back to draft with a reason (:func:`report_correct`); it is approved
and published again as the next edition, which carries the reason, while the public keeps reading the earlier
edition until then.
"""

import datetime
import logging
from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, change_reason
from promises.scope import scope_for

from .models import Assessment, Council, Publication, TertialReport
from .selectors import period_of, report_snapshot
from .signals import report_changed
from .snapshot import Snapshot, public_dict

logger = logging.getLogger("portal.reports")
security = logging.getLogger("portal.security")


# report_update's "council" when the form did not offer a choice: the report keeps its forum.
UNCHANGED = object()


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


class FiguresMoved(ReportError):
    """The report's figures changed after it was sent for decision: it must be looked at again."""

    def __init__(self, changes):
        self.changes = changes
        super().__init__(
            _(
                "The figures have changed since the report was sent for decision (%(changes)s), so no decision can "
                "be recorded on it as it stands: the forum decides only on what it has seen. Return the report to "
                "draft so that the coordinator can look at the new figures and send it again."
            )
            % {"changes": ", ".join(changes)}
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


# How long after the end of the period it reviews a council may approve a report.
MEETING_AFTER_PERIOD = datetime.timedelta(days=366)


def _require(allowed, message):
    if not allowed:
        raise ReportError(message)


def _require_coordinator(by, promise, message):
    _require(scope_for(by).is_coordinator_of(promise), message)


def _require_council_member(by, promise, message):
    _require(scope_for(by).is_council_member_of(promise), message)


def forums_of(promise):
    """The forums a report of the promise may go to: the councils of any of its municipalities, by name."""
    return (
        Council.objects.filter(municipalities__in=promise.municipalities.values("pk")).distinct().order_by("name", "pk")
    )


def default_forum(promise):
    """The forum a new report starts with: the one serving every municipality of the promise if there is one (a
    joint council), else the first by name. The coordinator chooses another on the report page."""
    ours = Q(municipalities__in=promise.municipalities.values("pk"))
    forums = list(forums_of(promise).annotate(served=Count("municipalities", filter=ours, distinct=True)))
    if not forums:
        return None
    return max(forums, key=lambda council: council.served)


@transaction.atomic
def report_create(*, promise, tertial, by):
    """A draft report for the tertial, with an assessment of every activity that follows its computed status."""
    _require_coordinator(by, promise, _("Only the promise's coordinator can start a report."))
    own = [period for period in period_of(promise).tertials() if period == tertial and type(period) is type(tertial)]
    _require(own, _("That tertial is not part of the promise's period."))
    tertial = own[0]
    council = default_forum(promise)
    try:
        with transaction.atomic():
            report = TertialReport.objects.create(promise=promise, council=council, **TertialReport.fields_for(tertial))
    except IntegrityError:
        raise ReportError(_("There is already a report for %(tertial)s.") % {"tertial": tertial.label}) from None
    # No status is stored: each assessment follows the status computed from the records until someone chooses one.
    Assessment.objects.bulk_create(
        Assessment(report=report, activity=activity) for activity in Activity.objects.filter(promise=promise)
    )
    logger.info("report created: report=%s promise=%s tertial=%s by=%s", report.pk, promise.pk, tertial.code, by.pk)
    return report


@transaction.atomic
def report_update(*, report, revision, by, summary, assessments, council=UNCHANGED):
    """Saves the draft's summary, forum and assessments; ``assessments`` maps activity id to a dict of fields.

    ``council`` must be one of the forums of the promise's municipalities (:func:`forums_of`).
    """
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can edit the report."))
    changes = {"summary": summary}
    if council is not UNCHANGED:
        _require(
            council is None or forums_of(report.promise).filter(pk=council.pk).exists(),
            _("Choose a forum of the promise's municipalities."),
        )
        changes["council"] = council
    _advance(report, revision=revision, from_statuses=[TertialReport.Status.DRAFT], **changes)
    existing = {assessment.activity_id: assessment for assessment in report.assessments.all()}
    ours = set(Activity.objects.filter(promise=report.promise_id, pk__in=assessments).values_list("pk", flat=True))
    for activity_id, fields in assessments.items():
        if activity_id not in ours:
            continue
        # An activity added after the draft was started gets its assessment when the draft is next saved.
        assessment = existing.get(activity_id) or Assessment(report=report, activity_id=activity_id)
        for field, value in fields.items():
            setattr(assessment, field, value)
        assessment.full_clean(exclude=["report", "activity"])
        assessment.save()
    return report


def _check_complete(report):
    """In the period's last tertial every activity needs a verdict, and a reason unless it was kept."""
    if not is_last_tertial(report):
        return
    assessments = {assessment.activity_id: assessment for assessment in report.assessments.select_related("activity")}
    for activity in Activity.objects.filter(promise=report.promise_id).order_by("order", "pk"):
        assessment = assessments.get(activity.pk)
        if assessment is None or not assessment.verdict:
            raise ReportError(
                _("Give every activity a verdict before submitting the last tertial: %(activity)s has none.")
                % {"activity": activity.title}
            )
        if assessment.verdict != Assessment.Verdict.KEPT and not assessment.verdict_reason:
            message = _("Give a reason for %(activity)s, which was not kept in full.")
            raise ReportError(message % {"activity": activity.title})
        if assessment.verdict != Assessment.Verdict.KEPT and not assessment.verdict_explanation.strip():
            message = _("Explain to citizens why %(activity)s was not kept in full.")
            raise ReportError(message % {"activity": activity.title})


@transaction.atomic
def report_submit(*, report, revision, by):
    """Sends the draft to the council, frozen as it stands now: the statuses computed at this moment."""
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can submit the report."))
    _check_complete(report)
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.DRAFT],
        status=TertialReport.Status.SUBMITTED,
        submitted_by=by,
        snapshot=snapshot_of(report).to_dict(),
    )
    logger.info("report submitted: report=%s by=%s", report.pk, by.pk)
    report_changed.send(TertialReport, report=report, event="submitted", by=by, submitted_by=by.pk)
    return report


def snapshot_of(report) -> Snapshot:
    """The whole report as it stands now, computed live from the records: what submission and approval freeze."""
    return report_snapshot(report.promise, report.tertial, report=report, cached=False, taken_at=timezone.now())


@transaction.atomic
def report_approve(*, report, revision, by, meeting_date):
    _require_council_member(
        by,
        report.promise,
        _("Only a member of %(forum)s can record its decision on the report.") % {"forum": report.forum.title},
    )
    _require(
        meeting_date is not None,
        _("Give the date of the meeting at which %(forum)s decided on the report.") % {"forum": report.forum.title},
    )
    _require(meeting_date <= timezone.localdate(), _("The meeting date cannot be in the future."))
    period = report.tertial
    _require(
        meeting_date >= period.start,
        _("The meeting cannot have taken place before the period it reviews began, %(start)s.")
        % {"start": period.start.isoformat()},
    )
    # A year's slack after the period for a council that meets rarely; a date beyond that is a typing mistake.
    _require(
        meeting_date <= period.end + MEETING_AFTER_PERIOD,
        _("The meeting date must be within a year after the period it reviews ended, %(end)s.")
        % {"end": period.end.isoformat()},
    )
    submitted_by = TertialReport.objects.filter(pk=report.pk).values_list("submitted_by_id", flat=True).first()
    if submitted_by == by.pk:
        security.warning("report refused: approve by its submitter report=%s by=%s", report.pk, by.pk)
        raise ReportError(
            _("You sent this report to %(forum)s yourself, so another of its members must record its decision.")
            % {"forum": report.forum.title}
        )
    current = snapshot_of(report)
    if report.status == TertialReport.Status.SUBMITTED and report.snapshot:
        changes = current.differences(report.frozen)
        if changes:
            raise FiguresMoved(changes)
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
        snapshot=replace(current, meeting_date=meeting_date).to_dict(),
        return_comment="",
    )
    logger.info("report approved: report=%s by=%s", report.pk, by.pk)
    report_changed.send(TertialReport, report=report, event="approved", by=by, submitted_by=submitted_by)
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
    submitted_by = report.submitted_by_id
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
    report_changed.send(
        TertialReport, report=report, event="returned", by=by, submitted_by=submitted_by, comment=comment
    )
    return report


@transaction.atomic
def report_publish(*, report, revision, by):
    """Publishes the approved report as its next edition: the first, or a correction carrying its reason."""
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can publish the report."))
    reason = report.correction_reason
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.APPROVED],
        status=TertialReport.Status.PUBLISHED,
        published_at=timezone.now(),
        correction_reason="",
    )
    edition = report.publications.count() + 1
    # A report approved before this edition existed was never taken back to be corrected, so it has no reason.
    _require(edition == 1 or bool(reason), _("A correction needs the reason it was made."))
    Publication.objects.create(
        report=report,
        edition=edition,
        # Internal activities are the action plan's, not the public promise's: the edition never holds them.
        snapshot=public_dict(report.snapshot),
        published_at=report.published_at,
        published_by=by,
        reason=reason if edition > 1 else "",
    )
    logger.info("report published: report=%s edition=%s by=%s", report.pk, edition, by.pk)
    report_changed.send(TertialReport, report=report, event="published", by=by, edition=edition)
    return report


@transaction.atomic
def report_correct(*, report, revision, by, reason):
    """Takes a published report back to draft to correct it, with the reason the next edition will carry.

    What was published stays public, unchanged, until the corrected report is approved and published as the next
    edition; the tertial's records are unlocked meanwhile, so that a wrong record can be put right too.
    """
    _require_coordinator(by, report.promise, _("Only the promise's coordinator can correct a published report."))
    _require(bool(reason and reason.strip()), _("Say what the correction is for: citizens will read it."))
    report._change_reason = change_reason(reason)
    _advance(
        report,
        revision=revision,
        from_statuses=[TertialReport.Status.PUBLISHED],
        status=TertialReport.Status.DRAFT,
        correction_reason=reason.strip(),
        return_comment="",
        approved_by=None,
        approved_at=None,
        meeting_date=None,
        snapshot={},
    )
    logger.info("report taken back to be corrected: report=%s by=%s", report.pk, by.pk)
    return report
