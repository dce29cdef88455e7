"""The selector feeds the progress rules from the database: voided records left out, a fixed query count."""

import datetime

import pytest

from followup.progress import Status
from followup.selectors import progress_of, promise_activities
from tests.conftest import make_record

pytestmark = pytest.mark.django_db

END_OF_T1 = datetime.date(2020, 4, 30)


def test_it_computes_every_activitys_status_at_a_date(world):
    by = world.police_recorder
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 1))
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 1), place=world.district)
    make_record(world.continuous_activity, by=by, occurred_on=datetime.date(2020, 4, 1))

    progress = progress_of(promise_activities(world.promise), at=END_OF_T1)

    # 2 × 121/366 = 0.66 expected → floor 0; 1 achieved ≥ 0: on track.
    assert (progress[world.count_activity.pk].achieved, progress[world.count_activity.pk].status) == (
        1,
        Status.ON_TRACK,
    )
    # 2 places × 121/366 = 0.66 → floor 0; 1 covered: on track, Stallarholmen still missing.
    assert progress[world.places_activity.pk].missing_places == {world.second_district.pk}
    assert progress[world.places_activity.pk].status == Status.ON_TRACK
    # T1 completed with a record: no gap.
    assert (progress[world.continuous_activity.pk].gaps, progress[world.continuous_activity.pk].status) == (
        0,
        Status.ON_TRACK,
    )
    # Once, no record, not yet in the last tertial.
    assert progress[world.once_activity.pk].status == Status.ON_TRACK


def test_voided_records_do_not_count(world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1), quantity=2)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 2), voided=True)
    progress = progress_of(promise_activities(world.promise), at=datetime.date(2020, 12, 31))
    assert (progress[world.count_activity.pk].achieved, progress[world.count_activity.pk].status) == (2, Status.DONE)


def test_records_on_the_same_day_and_place_are_summed(world):
    for _ in range(3):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    progress = progress_of(promise_activities(world.promise), at=datetime.date(2020, 12, 31))
    assert progress[world.count_activity.pk].achieved == 3


def test_at_the_end_an_unmet_target_is_missed(world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1))
    progress = progress_of(promise_activities(world.promise), at=datetime.date(2020, 12, 31))
    assert progress[world.count_activity.pk].status == Status.MISSED
    assert progress[world.places_activity.pk].status == Status.MISSED
    assert progress[world.once_activity.pk].status == Status.MISSED
    # Three completed tertials without a record: three gaps, at the end missed.
    assert (progress[world.continuous_activity.pk].gaps, progress[world.continuous_activity.pk].status) == (
        3,
        Status.MISSED,
    )


@pytest.mark.parametrize("records", [1, 10])
def test_it_reads_a_fixed_number_of_queries_whatever_the_records(world, django_assert_num_queries, records):
    for day in range(records):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 1, 1 + day))
        make_record(world.places_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1 + day))
    # activities with their promise, their target places, their partners, and the summed records
    with django_assert_num_queries(4):
        progress_of(promise_activities(world.promise), at=END_OF_T1)
