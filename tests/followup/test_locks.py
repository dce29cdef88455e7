"""What an approved follow-up locks (DESIGN §5): the activity's promise and target, the promise's period where it
would move the approved tertial, and indicator values dated in it; and four eyes on approval."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from followup import services
from followup.models import Indicator, IndicatorValue
from followup.tertials import Tertial
from promises import locks
from promises.models import Membership
from tests.conftest import make_report

pytestmark = pytest.mark.django_db

LOCKED = "Uppföljningen av T1 2020 är godkänd"


@pytest.fixture
def approved(world):
    return make_report(world.promise, number=1, status="approved")


def return_to_draft(report):
    report.status, report.approved_at, report.meeting_date = "draft", None, None
    report.save()


def test_the_locks_of_a_promise_are_its_approved_and_published_reports(world, approved):
    published = make_report(world.promise, number=2, status="published")
    make_report(world.promise, number=3, status="draft")
    assert locks.locks_of(world.promise.pk) == [approved, published]
    assert locks.lock_on(world.promise.pk, datetime.date(2020, 4, 30)) == approved
    assert locks.lock_on(world.promise.pk, datetime.date(2020, 9, 1)) is None


@pytest.mark.parametrize(("field", "value"), [("target_count", 5), ("unit", "kontroller"), ("recurrence", "once")])
def test_an_approved_tertial_locks_the_activitys_target(world, approved, field, value):
    activity = world.count_activity
    setattr(activity, field, value)
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert LOCKED in str(refused.value.message_dict[field])
    return_to_draft(approved)
    activity.full_clean()


def test_an_approved_tertial_keeps_the_activity_in_its_promise(world, approved):
    activity = world.count_activity
    activity.promise, activity.focus_area = world.draft_promise, None
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert "promise" in refused.value.message_dict


def test_a_title_or_description_may_still_change(world, approved):
    world.count_activity.title = "Planlagda insatser mot narkotika"
    world.count_activity.full_clean()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (datetime.date(2020, 3, 1), datetime.date(2020, 12, 31), "period_start"),
        (datetime.date(2020, 1, 1), datetime.date(2020, 4, 29), "period_end"),
    ],
)
def test_the_period_may_not_move_an_approved_tertial(world, approved, start, end, field):
    world.promise.period_start, world.promise.period_end = start, end
    with pytest.raises(ValidationError) as refused:
        world.promise.full_clean()
    assert LOCKED in str(refused.value.message_dict[field])


def test_the_period_may_be_extended_or_shortened_where_nothing_is_approved(world, approved):
    world.promise.period_end = datetime.date(2021, 6, 30)
    world.promise.full_clean()
    world.promise.period_end = datetime.date(2020, 4, 30)
    world.promise.full_clean()


def test_indicator_values_in_an_approved_tertial_are_locked(world, approved):
    indicator = Indicator.objects.create(promise=world.promise, name="Anmälda narkotikabrott")
    value = IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=39)
    value.value = 45
    with pytest.raises(ValidationError, match=LOCKED):
        value.full_clean()
    dated = IndicatorValue(indicator=indicator, measured_on=datetime.date(2020, 3, 1), value=3)
    with pytest.raises(ValidationError, match=LOCKED):
        dated.full_clean()
    # Moved out of the approved tertial is a change of it too.
    value.year, value.number, value.value = None, None, 39
    value.measured_on = datetime.date(2020, 6, 1)
    with pytest.raises(ValidationError, match=LOCKED):
        value.full_clean()


# Four eyes ------------------------------------------------------------------------------------------------


def test_the_submitter_cannot_approve_even_as_a_council_member(world, clock):
    # The coordinator also sits on the council.
    Membership.objects.create(user=world.coordinator, organisation=world.police_organisation, role="council")
    report = services.report_create(promise=world.promise, tertial=Tertial(2020, 1), by=world.coordinator)
    report = services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    assert report.submitted_by == world.coordinator
    with pytest.raises(services.ReportError, match="annan ledamot"):
        services.report_approve(
            report=report, revision=report.revision, by=world.coordinator, meeting_date=datetime.date(2020, 4, 14)
        )
    report.refresh_from_db()
    assert (report.status, report.approved_by) == ("submitted", None)
    services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=datetime.date(2020, 4, 14)
    )
