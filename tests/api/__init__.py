"""Tests of the open data API, and the few builders its test modules share."""

import datetime
from zoneinfo import ZoneInfo

from activities.models import PlannedEvent
from followup.models import Assessment
from tests.conftest import freeze, make_report

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def make_event(activity, *, by, title, starts_at, hours=2, **fields):
    return PlannedEvent.objects.create(
        activity=activity,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        created_by=by,
        **fields,
    )


def make_published_report(promise, *, number=1, comment="", approved_by=None, summary=""):
    """A published report whose snapshot is frozen as approval freezes it, with an internal council comment (and
    with it a chosen status) on each row."""
    report = make_report(promise, number=number, status="published")
    Assessment.objects.bulk_create(
        Assessment(report=report, activity=activity, status="on_track" if comment else "", comment=comment)
        for activity in promise.activities.all()
    )
    report.summary = summary
    report.approved_by = approved_by
    return freeze(report)
