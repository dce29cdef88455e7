"""The tertial report workflow as a service (followup.services): each step by each role, and the rules it keeps."""

import datetime

import pytest

from followup import services
from followup.models import TertialReport
from followup.progress import Status
from followup.tertials import Tertial
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


T1 = Tertial(2020, 1)


MEETING = datetime.date(2020, 5, 20)


@pytest.fixture
def records(world):
    by = world.police_recorder
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 3))
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 4), place=world.district)
    make_record(world.continuous_activity, by=by, occurred_on=datetime.date(2020, 4, 30))
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 6, 1))  # T2: not counted at T1's end


@pytest.fixture
def draft(world, records):
    return services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)


def submitted_report(world, draft):
    return services.report_submit(report=draft, revision=draft.revision, by=world.coordinator)


def approved_report(world, draft):
    report = submitted_report(world, draft)
    return services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=MEETING
    )


def test_a_continuous_activity_with_a_silent_tertial_is_at_risk(world):
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    # No status is copied into the draft: it follows the computed one.
    assert report.assessments.get(activity=world.continuous_activity).status == ""
    item = services.snapshot_of(report).activity(world.continuous_activity.pk)
    assert item.status == Status.AT_RISK  # one completed tertial without a record: one gap


def test_a_stale_revision_is_refused_by_the_service_itself(world, draft):
    services.report_update(report=draft, revision=1, by=world.coordinator, summary="Ett", assessments={})
    with pytest.raises(services.StaleReport) as error:
        services.report_update(report=draft, revision=1, by=world.coordinator, summary="Två", assessments={})
    assert error.value.current_revision == 2
    draft.refresh_from_db()
    assert draft.summary == "Ett"


def test_a_draft_cannot_be_approved(world, draft):
    with pytest.raises(services.ReportError):
        services.report_approve(report=draft, revision=draft.revision, by=world.council_member, meeting_date=MEETING)


def test_a_published_report_cannot_be_returned(world, draft):
    report = approved_report(world, draft)
    report = services.report_publish(report=report, revision=report.revision, by=world.coordinator)
    with pytest.raises(services.ReportError):
        services.report_return(report=report, revision=report.revision, by=world.coordinator, comment="Ändra")


@pytest.mark.parametrize(
    ("step", "persona", "allowed"),
    [
        ("submit", "coordinator", True),
        ("submit", "council_member", False),
        ("submit", "administrator", True),
        ("approve", "council_member", True),
        ("approve", "coordinator", False),
        ("approve", "administrator", True),
        ("publish", "coordinator", True),
        ("publish", "council_member", False),
        ("return_submitted", "council_member", True),
        ("return_submitted", "coordinator", False),
        ("return_approved", "coordinator", True),
        ("return_approved", "council_member", False),
    ],
)
def test_each_step_by_each_role(world, draft, step, persona, allowed):
    user = getattr(world, persona)
    if step in ("approve", "return_submitted"):
        draft = submitted_report(world, draft)
    if step in ("publish", "return_approved"):
        draft = approved_report(world, draft)
    action = {
        "submit": lambda: services.report_submit(report=draft, revision=draft.revision, by=user),
        "approve": lambda: services.report_approve(
            report=draft, revision=draft.revision, by=user, meeting_date=MEETING
        ),
        "publish": lambda: services.report_publish(report=draft, revision=draft.revision, by=user),
        "return_submitted": lambda: services.report_return(report=draft, revision=draft.revision, by=user, comment="x"),
        "return_approved": lambda: services.report_return(report=draft, revision=draft.revision, by=user, comment="x"),
    }[step]
    before = TertialReport.objects.get().status
    if allowed:
        action()
        assert TertialReport.objects.get().status != before
    else:
        with pytest.raises(services.ReportError):
            action()
        assert TertialReport.objects.get().status == before
