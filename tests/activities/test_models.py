import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import Activity, ActivityRecord
from followup.tertials import Tertial
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


def test_it_refuses_a_quantity_below_one(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1), quantity=0)


def test_it_refuses_a_target_count_of_zero(world):
    world.count_activity.target_count = 0
    with pytest.raises(IntegrityError), transaction.atomic():
        world.count_activity.save()


def test_it_refuses_a_voided_record_without_a_reason(world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    record.voided_at = timezone.now()
    record.voided_by = world.coordinator
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


@pytest.mark.parametrize("occurred_on", [datetime.date(2019, 12, 31), datetime.date(2021, 1, 1)])
def test_it_refuses_a_record_outside_the_promise_period(world, occurred_on):
    record = ActivityRecord(activity=world.count_activity, occurred_on=occurred_on, recorded_by=world.police_recorder)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["occurred_on"] == [
        "Datumet måste ligga inom löftets period, 2020-01-01–2020-12-31."
    ]


def test_it_refuses_a_record_in_the_future(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    world.promise.period_end = tomorrow + datetime.timedelta(days=30)
    world.promise.save()
    record = ActivityRecord(activity=world.count_activity, occurred_on=tomorrow, recorded_by=world.police_recorder)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "occurred_on" in error.value.message_dict


def test_it_refuses_a_place_outside_the_promises_municipalities(world):
    record = ActivityRecord(
        activity=world.count_activity,
        occurred_on=datetime.date(2020, 3, 1),
        place=world.foreign_place,
        recorded_by=world.police_recorder,
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "place" in error.value.message_dict


def test_it_accepts_a_record_inside_the_period_at_a_place_of_the_municipality(world):
    record = ActivityRecord(
        activity=world.count_activity,
        occurred_on=datetime.date(2020, 3, 1),
        place=world.site,
        recorded_by=world.police_recorder,
    )
    record.full_clean()


def test_active_leaves_out_voided_records(world):
    kept = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 2), voided=True)
    assert list(ActivityRecord.objects.active()) == [kept]
    assert ActivityRecord.objects.voided().count() == 1


def test_in_period_and_in_tertial_include_both_ends(world):
    first = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 1, 1))
    last = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 4, 30))
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 5, 1))
    assert set(ActivityRecord.objects.in_tertial(Tertial(2020, 1))) == {first, last}
    assert set(ActivityRecord.objects.active().in_period(datetime.date(2020, 4, 30), datetime.date(2020, 5, 1))) == {
        last,
        ActivityRecord.objects.get(occurred_on=datetime.date(2020, 5, 1)),
    }


def test_records_in_scope_exclude_other_municipalities(world):
    ours = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    theirs = make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1))
    assert list(ActivityRecord.objects.in_scope_of(world.coordinator)) == [ours]
    assert list(ActivityRecord.objects.in_scope_of(world.outsider)) == [theirs]
    assert list(ActivityRecord.objects.recorded_by(world.police_recorder)) == [ours]


def test_activities_involving_an_organisation_are_those_it_leads_or_joins(world):
    involving_police = set(Activity.objects.involving([world.police_organisation]))
    assert involving_police == {world.count_activity, world.places_activity, world.continuous_activity}
    assert set(Activity.objects.involving([world.municipal_organisation])) == {
        world.continuous_activity,
        world.once_activity,
    }
    assert world.foreign_activity not in Activity.objects.in_scope_of(world.police_recorder)
    assert set(Activity.objects.of_current_promises().in_scope_of(world.coordinator)) == {
        world.count_activity,
        world.places_activity,
        world.continuous_activity,
        world.once_activity,
    }


def test_the_target_reads_as_a_sentence(world):
    assert str(world.count_activity.target_text) == "minst 2 insatser"
    assert str(world.places_activity.target_text) == ""
