"""Progress rules (DESIGN.md section 5, "Progress"), with every expectation worked out by hand.

2020 is a leap year of 366 days. Days elapsed by the close of a day in 2020: 30 Apr = 121, 1 May = 122,
31 Aug = 244, 1 Sep = 245, 30 Dec = 365, 31 Dec = 366. No database needed.
"""

from datetime import date
from fractions import Fraction

import pytest
from django.utils import translation

from followup.progress import (
    Progress,
    RecordFact,
    Recurrence,
    Status,
    Target,
    activity_progress,
    promise_progress,
    quantities_by_tertial,
    status_counts,
    worst_of,
)
from followup.tertials import Period, Tertial

YEAR_2020 = Period(date(2020, 1, 1), date(2020, 12, 31))  # 366 days
SIGNED_IN_MARCH = Period(date(2020, 3, 15), date(2020, 12, 31))  # 292 days
TWO_YEARS = Period(date(2021, 1, 1), date(2022, 12, 31))  # 730 days

CONTINUOUS = Target(count=None, places=frozenset(), recurrence="continuous")
ONCE = Target(count=None, places=frozenset(), recurrence="once")


def at_least(count, places=()):
    return Target(count=count, places=frozenset(places), recurrence="continuous")


def in_places(*places):
    return Target(count=None, places=frozenset(places), recurrence="continuous")


def records_on(*days):
    return [RecordFact(occurred_on=day, quantity=1) for day in days]


def judge(target, records, at, period=YEAR_2020):
    return activity_progress(target=target, records=records, period=period, at=at)


# --- Count -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "achieved", "at", "status"),
    [
        # 8 * 121/366 = 2.64 -> floor 2; 2.64 / 2 = 1.32 -> floor 1
        (8, 2, date(2020, 4, 30), Status.ON_TRACK),
        (8, 1, date(2020, 4, 30), Status.AT_RISK),
        (8, 0, date(2020, 4, 30), Status.BEHIND),
        (8, 8, date(2020, 4, 30), Status.DONE),
        (8, 9, date(2020, 3, 1), Status.DONE),  # met early, and more than asked
        # 8 * 1/366 = 0.02 -> floor 0: nothing is expected on the first day
        (8, 0, date(2020, 1, 1), Status.ON_TRACK),
        # 3 * 121/366 = 0.99 -> floor 0: just short of one expected is still nothing expected
        (3, 0, date(2020, 4, 30), Status.ON_TRACK),
        # 3 * 122/366 = 1 exactly -> floor 1; 1 / 2 -> floor 0
        (3, 1, date(2020, 5, 1), Status.ON_TRACK),
        (3, 0, date(2020, 5, 1), Status.AT_RISK),
        # 6 * 121/366 = 1.98 -> floor 1; 0.99 -> floor 0
        (6, 1, date(2020, 4, 30), Status.ON_TRACK),
        (6, 0, date(2020, 4, 30), Status.AT_RISK),
        # 6 * 122/366 = 2 exactly -> floor 2; 2 / 2 = 1
        (6, 2, date(2020, 5, 1), Status.ON_TRACK),
        (6, 1, date(2020, 5, 1), Status.AT_RISK),
        (6, 0, date(2020, 5, 1), Status.BEHIND),
        # 8 * 365/366 = 7.98 -> floor 7; 3.99 -> floor 3
        (8, 7, date(2020, 12, 30), Status.ON_TRACK),
        (8, 3, date(2020, 12, 30), Status.AT_RISK),
        (8, 2, date(2020, 12, 30), Status.BEHIND),
        # The period has ended at the close of its last day: short of the count is missed.
        (8, 7, date(2020, 12, 31), Status.MISSED),
        (8, 8, date(2020, 12, 31), Status.DONE),
        (8, 0, date(2021, 2, 1), Status.MISSED),
    ],
)
def test_it_judges_a_count_against_the_floor_of_what_is_expected_by_the_date(count, achieved, at, status):
    records = [RecordFact(occurred_on=date(2020, 1, 10), quantity=1)] * achieved
    progress = judge(at_least(count), records, at)
    assert progress.achieved == achieved
    assert progress.status == status


def test_it_sums_quantities_and_reports_the_exact_expected_count():
    records = [
        RecordFact(occurred_on=date(2020, 2, 1), quantity=2),
        RecordFact(occurred_on=date(2020, 4, 30), quantity=1),  # on the day judged: counts
    ]
    progress = judge(at_least(8), records, date(2020, 4, 30))
    assert progress == Progress(
        status=Status.ON_TRACK,  # 3 >= 2
        achieved=3,  # 2 + 1
        expected=Fraction(484, 183),  # 8 * 121/366 = 968/366 = 484/183
        target_count=8,
        covered=frozenset(),
        target_places=frozenset(),
        expected_places=Fraction(0),
        gaps=0,
    )
    assert progress.expected_floor == 2
    assert progress.remaining == 5  # 8 - 3
    assert progress.percent == 37  # 300 / 8 = 37.5 -> 37


def test_it_counts_a_leap_day_in_2020():
    # 29 Feb is day 60 (31 + 29), so 366 * 60/366 = 60 are expected exactly.
    progress = judge(at_least(366), [RecordFact(occurred_on=date(2020, 2, 29), quantity=60)], date(2020, 2, 29))
    assert progress.expected == 60
    assert progress.status == Status.ON_TRACK


def test_it_counts_records_on_the_day_judged_but_not_those_after_it_or_outside_the_period():
    records = [
        RecordFact(occurred_on=date(2019, 12, 31), quantity=5),  # before the period
        RecordFact(occurred_on=date(2020, 5, 1), quantity=1),  # the day judged
        RecordFact(occurred_on=date(2020, 5, 2), quantity=5),  # after the day judged
        RecordFact(occurred_on=date(2021, 1, 1), quantity=5),  # after the period
    ]
    progress = judge(at_least(3), records, date(2020, 5, 1))
    assert progress.achieved == 1
    assert progress.status == Status.ON_TRACK  # 3 * 122/366 = 1 -> floor 1


def test_it_ignores_records_after_the_period_even_when_judged_later():
    records = [
        RecordFact(occurred_on=date(2020, 6, 1), quantity=2),
        RecordFact(occurred_on=date(2021, 1, 15), quantity=10),  # too late to count for 2020
    ]
    progress = judge(at_least(8), records, date(2021, 3, 1))
    assert progress.achieved == 2
    assert progress.expected == 8  # the whole period has elapsed: 8 * 366/366
    assert progress.status == Status.MISSED


def test_a_count_of_zero_is_met_from_the_start():
    assert judge(at_least(0), [], date(2020, 1, 1)).status == Status.DONE


# --- Promise signed mid-year and periods over several years --------------------------------------------


@pytest.mark.parametrize(
    ("records", "at", "achieved", "status"),
    [
        # 47 days elapsed by 30 Apr (17 of March + 30): 8 * 47/292 = 1.29 -> floor 1; 0.64 -> floor 0
        ([RecordFact(date(2020, 3, 15), 1)], date(2020, 4, 30), 1, Status.ON_TRACK),
        ([RecordFact(date(2020, 3, 10), 1)], date(2020, 4, 30), 0, Status.AT_RISK),  # before signing
        # 170 days elapsed by 31 Aug (47 + 31 + 30 + 31 + 31): 8 * 170/292 = 4.66 -> floor 4; 2.33 -> floor 2
        ([RecordFact(date(2020, 6, 1), 4)], date(2020, 8, 31), 4, Status.ON_TRACK),
        ([RecordFact(date(2020, 6, 1), 2)], date(2020, 8, 31), 2, Status.AT_RISK),
        ([RecordFact(date(2020, 6, 1), 1)], date(2020, 8, 31), 1, Status.BEHIND),
        ([RecordFact(date(2020, 6, 1), 7)], date(2020, 12, 31), 7, Status.MISSED),
    ],
)
def test_a_promise_signed_mid_year_expects_only_from_its_signing(records, at, achieved, status):
    progress = judge(at_least(8), records, at, period=SIGNED_IN_MARCH)
    assert progress.achieved == achieved
    assert progress.status == status


def test_a_promise_signed_mid_year_spreads_the_count_over_its_own_days():
    progress = judge(at_least(8), [], date(2020, 4, 30), period=SIGNED_IN_MARCH)
    assert progress.expected == Fraction(94, 73)  # 8 * 47/292 = 376/292 = 94/73


@pytest.mark.parametrize(
    ("achieved", "at", "status"),
    [
        # 365 of 730 days by 31 Dec 2021: 12 * 365/730 = 6 exactly; 6 / 2 = 3
        (6, date(2021, 12, 31), Status.ON_TRACK),  # the first year's end is not the period's
        (5, date(2021, 12, 31), Status.AT_RISK),
        (3, date(2021, 12, 31), Status.AT_RISK),
        (2, date(2021, 12, 31), Status.BEHIND),
        # 485 days by the end of T1 2022 (365 + 120): 12 * 485/730 = 7.97 -> floor 7; 3.99 -> floor 3
        (7, date(2022, 4, 30), Status.ON_TRACK),
        (6, date(2022, 4, 30), Status.AT_RISK),
        (11, date(2022, 12, 31), Status.MISSED),
        (12, date(2022, 12, 31), Status.DONE),
    ],
)
def test_a_two_year_period_spreads_the_count_over_both_years(achieved, at, status):
    records = [RecordFact(occurred_on=date(2021, 2, 1), quantity=achieved)]
    assert judge(at_least(12), records, at, period=TWO_YEARS).status == status


# --- Coverage ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("places", "at", "status"),
    [
        # 3 * 121/366 = 0.99 -> floor 0
        ([], date(2020, 4, 30), Status.ON_TRACK),
        # 3 * 122/366 = 1 exactly -> floor 1; 0.5 -> floor 0
        ([1], date(2020, 5, 1), Status.ON_TRACK),
        ([], date(2020, 5, 1), Status.AT_RISK),
        # 3 * 245/366 = 2.01 -> floor 2; 1.004 -> floor 1
        ([1, 2], date(2020, 9, 1), Status.ON_TRACK),
        ([1], date(2020, 9, 1), Status.AT_RISK),
        ([], date(2020, 9, 1), Status.BEHIND),
        ([1, 2, 3], date(2020, 9, 1), Status.DONE),
        ([1, 2, 3], date(2020, 2, 1), Status.DONE),
        ([1, 2], date(2020, 12, 31), Status.MISSED),
        ([], date(2020, 12, 31), Status.MISSED),
    ],
)
def test_it_judges_coverage_on_the_number_of_places_covered(places, at, status):
    records = [RecordFact(occurred_on=date(2020, 1, 15), quantity=1, place_id=place) for place in places]
    progress = judge(in_places(1, 2, 3), records, at)
    assert progress.covered == frozenset(places)
    assert progress.status == status


def test_only_target_places_count_as_covered_and_each_only_once():
    records = [
        RecordFact(occurred_on=date(2020, 2, 1), quantity=4, place_id=1),
        RecordFact(occurred_on=date(2020, 3, 1), quantity=2, place_id=1),  # the same place again
        RecordFact(occurred_on=date(2020, 3, 1), quantity=1, place_id=4),  # not a target place
        RecordFact(occurred_on=date(2020, 3, 1), quantity=1, place_id=None),  # no place given
        RecordFact(occurred_on=date(2020, 9, 2), quantity=1, place_id=2),  # after the day judged
    ]
    progress = judge(in_places(1, 2, 3), records, date(2020, 9, 1))
    assert progress.covered == frozenset({1})
    assert progress.missing_places == frozenset({2, 3})
    assert progress.achieved == 8  # 4 + 2 + 1 + 1: quantities are summed even without a count
    assert progress.expected_places == Fraction(245, 122)  # 3 * 245/366 = 735/366 = 245/122
    assert progress.expected_places_floor == 2
    assert progress.expected == 0  # there is no count
    assert progress.remaining is None
    assert progress.percent is None
    assert progress.status == Status.AT_RISK  # 1 place: below 2, at least 1


# --- Count and coverage together -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "at", "status"),
    [
        # By 1 Sep: count 20 * 245/366 = 13.39 -> floor 13, half 6.69 -> floor 6;
        # places 3 * 245/366 = 2.01 -> floor 2, half 1.004 -> floor 1.
        ({1: 20}, date(2020, 9, 1), Status.AT_RISK),  # count done (20), places at risk (1)
        ({None: 13}, date(2020, 9, 1), Status.BEHIND),  # count on track (13), places behind (0)
        ({1: 2, 2: 2, 3: 2}, date(2020, 9, 1), Status.AT_RISK),  # count at risk (6), places done (3)
        ({1: 2, 2: 2}, date(2020, 9, 1), Status.BEHIND),  # count behind (4), places on track (2)
        ({1: 7, 2: 7}, date(2020, 9, 1), Status.ON_TRACK),  # count on track (14), places on track (2)
        ({1: 7, 2: 7, 3: 7}, date(2020, 9, 1), Status.DONE),  # count done (21), places done (3)
        # At the end, whatever part is not met makes it missed.
        ({1: 10, 2: 10}, date(2020, 12, 31), Status.MISSED),  # count done (20), places 2 of 3
        ({1: 1, 2: 1, 3: 1}, date(2020, 12, 31), Status.MISSED),  # count 3 of 20, places done
        ({1: 10, 2: 5, 3: 5}, date(2020, 12, 31), Status.DONE),
    ],
)
def test_with_a_count_and_places_the_worse_part_decides(done, at, status):
    records = [
        RecordFact(occurred_on=date(2020, 1, 20), quantity=quantity, place_id=place) for place, quantity in done.items()
    ]
    assert judge(at_least(20, places=[1, 2, 3]), records, at).status == status


# --- Continuous activities without a number ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "at", "gaps", "status"),
    [
        ([], date(2019, 12, 31), 0, Status.ON_TRACK),  # before the period
        ([], date(2020, 4, 29), 0, Status.ON_TRACK),  # T1 is not over yet
        ([], date(2020, 4, 30), 1, Status.AT_RISK),  # T1 is judged on its last day
        ([date(2020, 4, 30)], date(2020, 4, 30), 0, Status.ON_TRACK),  # ...which still counts
        ([date(2020, 5, 1)], date(2020, 4, 30), 1, Status.AT_RISK),  # a record after the day judged
        ([date(2020, 2, 1)], date(2020, 8, 30), 0, Status.ON_TRACK),  # T2 is not over yet
        ([date(2020, 2, 1)], date(2020, 8, 31), 1, Status.AT_RISK),  # T2 empty
        ([], date(2020, 8, 31), 2, Status.BEHIND),  # T1 and T2 empty
        ([date(2020, 2, 1), date(2020, 6, 1)], date(2020, 12, 30), 0, Status.ON_TRACK),  # T3 not over
        ([date(2020, 2, 1), date(2020, 6, 1), date(2020, 10, 1)], date(2020, 12, 31), 0, Status.DONE),
        # One gap at the end stays at risk: DESIGN.md gives "missed" only for more gaps.
        ([date(2020, 2, 1), date(2020, 10, 1)], date(2020, 12, 31), 1, Status.AT_RISK),
        ([date(2020, 2, 1)], date(2020, 12, 31), 2, Status.MISSED),  # T2 and T3 empty
        ([], date(2021, 3, 1), 3, Status.MISSED),
    ],
)
def test_a_continuous_activity_is_judged_by_its_completed_tertials_without_a_record(days, at, gaps, status):
    progress = judge(CONTINUOUS, records_on(*days), at)
    assert progress.gaps == gaps
    assert progress.status == status


@pytest.mark.parametrize(
    ("days", "at", "gaps", "status"),
    [
        ([], date(2020, 3, 14), 0, Status.ON_TRACK),  # not signed yet
        ([], date(2020, 4, 29), 0, Status.ON_TRACK),
        # T1 of this promise is 15 Mar-30 Apr: a record from before the signing does not fill it.
        ([date(2020, 3, 1)], date(2020, 4, 30), 1, Status.AT_RISK),
        ([date(2020, 3, 15)], date(2020, 4, 30), 0, Status.ON_TRACK),
        ([date(2020, 3, 20), date(2020, 6, 1), date(2020, 9, 1)], date(2020, 12, 31), 0, Status.DONE),
    ],
)
def test_a_continuous_activity_of_a_promise_signed_mid_year_judges_only_the_part_of_t1_after_signing(
    days, at, gaps, status
):
    progress = judge(CONTINUOUS, records_on(*days), at, period=SIGNED_IN_MARCH)
    assert progress.gaps == gaps
    assert progress.status == status


EVERY_TERTIAL_BUT_T2_2022 = [date(2021, 2, 1), date(2021, 6, 1), date(2021, 10, 1), date(2022, 2, 1)]


@pytest.mark.parametrize(
    ("days", "at", "gaps", "status"),
    [
        ([date(2021, 2, 1)], date(2021, 12, 31), 2, Status.BEHIND),  # T2, T3 2021 empty; not ended
        (EVERY_TERTIAL_BUT_T2_2022, date(2022, 8, 30), 0, Status.ON_TRACK),
        (EVERY_TERTIAL_BUT_T2_2022, date(2022, 8, 31), 1, Status.AT_RISK),  # T2 2022 empty
        (EVERY_TERTIAL_BUT_T2_2022, date(2022, 12, 31), 2, Status.MISSED),  # T2 and T3 2022 empty
        # Every tertial but T1 2022: one gap at the end.
        (
            [date(2021, 2, 1), date(2021, 6, 1), date(2021, 10, 1), date(2022, 6, 1), date(2022, 10, 1)],
            date(2022, 12, 31),
            1,
            Status.AT_RISK,
        ),
    ],
)
def test_a_continuous_activity_over_two_years_has_six_tertials_to_fill(days, at, gaps, status):
    progress = judge(CONTINUOUS, records_on(*days), at, period=TWO_YEARS)
    assert progress.gaps == gaps
    assert progress.status == status


@pytest.mark.parametrize(
    ("at", "gaps", "status"),
    [
        (date(2021, 6, 29), 0, Status.ON_TRACK),
        # The period ends on 30 Jun 2021, so its last tertial is judged then, not on 31 Aug.
        (date(2021, 6, 30), 1, Status.AT_RISK),
    ],
)
def test_the_last_tertial_of_a_period_ending_mid_tertial_is_judged_on_the_periods_last_day(at, gaps, status):
    period = Period(date(2020, 1, 1), date(2021, 6, 30))
    records = records_on(date(2020, 2, 1), date(2020, 6, 1), date(2020, 10, 1), date(2021, 2, 1))
    progress = judge(CONTINUOUS, records, at, period=period)
    assert progress.gaps == gaps
    assert progress.status == status


# --- Once, without a number -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "at", "status"),
    [
        ([], date(2019, 12, 31), Status.ON_TRACK),  # before the period
        ([], date(2020, 8, 31), Status.ON_TRACK),  # T1 and T2 are not the last tertial
        ([], date(2020, 9, 1), Status.AT_RISK),  # T3 2020 is the last tertial
        ([], date(2020, 12, 30), Status.AT_RISK),
        ([], date(2020, 12, 31), Status.MISSED),  # ended at the close of its last day
        ([], date(2021, 1, 15), Status.MISSED),
        ([date(2020, 2, 10)], date(2020, 3, 1), Status.DONE),
        ([date(2020, 2, 10)], date(2020, 12, 31), Status.DONE),
        ([date(2020, 10, 1)], date(2020, 9, 30), Status.AT_RISK),  # the record is after the day judged
        ([date(2019, 12, 1)], date(2020, 5, 1), Status.ON_TRACK),  # the record is before the period
    ],
)
def test_a_one_off_activity_is_done_after_its_first_record_and_at_risk_in_the_last_tertial(days, at, status):
    assert judge(ONCE, records_on(*days), at).status == status


@pytest.mark.parametrize(
    ("period", "at", "status"),
    [
        (TWO_YEARS, date(2021, 9, 1), Status.ON_TRACK),  # T3 2021 is not the period's last tertial
        (TWO_YEARS, date(2022, 8, 31), Status.ON_TRACK),
        (TWO_YEARS, date(2022, 9, 1), Status.AT_RISK),
        # Extended to 30 Jun 2021: the last tertial is T2 2021.
        (Period(date(2020, 3, 15), date(2021, 6, 30)), date(2021, 4, 30), Status.ON_TRACK),
        (Period(date(2020, 3, 15), date(2021, 6, 30)), date(2021, 5, 1), Status.AT_RISK),
        (Period(date(2020, 3, 15), date(2021, 6, 30)), date(2021, 6, 30), Status.MISSED),
        # A period inside one tertial is in its last tertial from its first day.
        (Period(date(2020, 5, 10), date(2020, 6, 10)), date(2020, 5, 9), Status.ON_TRACK),
        (Period(date(2020, 5, 10), date(2020, 6, 10)), date(2020, 5, 10), Status.AT_RISK),
    ],
)
def test_a_one_off_activity_is_at_risk_from_the_start_of_the_periods_last_tertial(period, at, status):
    assert judge(ONCE, [], at, period=period).status == status


def test_a_one_off_activity_with_a_count_follows_the_count_rule():
    target = Target(count=1, places=frozenset(), recurrence="once")
    # 1 * 245/366 = 0.67 -> floor 0: on track, where a one-off without a count would be at risk in T3.
    assert judge(target, [], date(2020, 9, 1)).status == Status.ON_TRACK


# --- Before the period starts ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", [at_least(8), in_places(1, 2), at_least(8, places=[1, 2]), CONTINUOUS, ONCE])
def test_before_the_period_starts_nothing_is_achieved_or_expected_and_all_is_on_track(target):
    early = [RecordFact(occurred_on=date(2019, 12, 31), quantity=3, place_id=1)]
    progress = judge(target, early, date(2019, 12, 31))
    assert progress.status == Status.ON_TRACK
    assert progress.achieved == 0
    assert progress.expected == 0
    assert progress.expected_places == 0
    assert progress.covered == frozenset()
    assert progress.gaps == 0


# --- Target, Status and Progress values --------------------------------------------------------------------


def test_a_target_accepts_any_collection_of_places_and_keeps_a_frozenset():
    target = Target(count=None, places={2, 1}, recurrence="once")
    assert target.places == frozenset({1, 2})
    assert target.recurrence is Recurrence.ONCE


@pytest.mark.parametrize(
    ("count", "recurrence"),
    [(-1, "once"), (None, "weekly"), (None, ""), (None, "ONCE")],
)
def test_a_target_refuses_a_negative_count_or_an_unknown_recurrence(count, recurrence):
    with pytest.raises(ValueError):
        Target(count=count, places=frozenset(), recurrence=recurrence)


def test_the_statuses_have_stable_values_from_best_to_worst():
    assert [status.value for status in Status] == ["done", "on_track", "at_risk", "behind", "missed"]
    assert [status.rank for status in Status] == [0, 1, 2, 3, 4]
    assert Status.DONE == "done"


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.DONE, "Done"),
        (Status.ON_TRACK, "On track"),
        (Status.AT_RISK, "At risk"),
        (Status.BEHIND, "Behind"),
        (Status.MISSED, "Missed"),
    ],
)
def test_each_status_has_an_english_source_label_for_translation(status, label):
    with translation.override("en"):
        assert str(status.label) == label


@pytest.mark.parametrize(
    ("statuses", "worst"),
    [
        ([Status.DONE, Status.ON_TRACK], Status.ON_TRACK),
        ([Status.AT_RISK, Status.DONE], Status.AT_RISK),
        ([Status.ON_TRACK, Status.BEHIND, Status.AT_RISK], Status.BEHIND),
        ([Status.DONE, Status.MISSED], Status.MISSED),
        ([Status.MISSED, Status.BEHIND], Status.MISSED),
        ([Status.DONE], Status.DONE),
    ],
)
def test_it_picks_the_worst_of_several_statuses(statuses, worst):
    assert worst_of(statuses) == worst


def test_there_is_no_worst_of_no_statuses():
    with pytest.raises(ValueError):
        worst_of([])


@pytest.mark.parametrize(
    ("count", "achieved", "remaining", "percent"),
    [
        (8, 0, 8, 0),
        (8, 3, 5, 37),  # 300 / 8 = 37.5 -> 37
        (8, 8, 0, 100),
        (8, 11, 0, 100),  # beyond the target shows as full
        (3, 2, 1, 66),  # 200 / 3 = 66.7 -> 66
    ],
)
def test_progress_tells_what_remains_and_the_share_achieved(count, achieved, remaining, percent):
    records = [RecordFact(occurred_on=date(2020, 1, 10), quantity=achieved)] if achieved else []
    progress = judge(at_least(count), records, date(2020, 6, 1))
    assert progress.remaining == remaining
    assert progress.percent == percent


# --- A whole promise ---------------------------------------------------------------------------------------


def test_it_judges_every_activity_of_a_promise_from_one_stream_of_records():
    targets = {1: at_least(4), 2: ONCE, 3: CONTINUOUS, 4: in_places(7, 8)}
    # A generator, as rows come from one query: it can only be read once.
    records = (
        pair
        for pair in [
            (1, RecordFact(date(2020, 2, 1), 2)),
            (2, RecordFact(date(2020, 3, 1), 1)),
            (1, RecordFact(date(2020, 3, 1), 1)),
            (99, RecordFact(date(2020, 3, 1), 5)),  # an activity not asked about
            (4, RecordFact(date(2020, 4, 1), 1, place_id=7)),
        ]
    )
    progress = promise_progress(targets=targets, records=records, period=YEAR_2020, at=date(2020, 4, 30))

    assert set(progress) == {1, 2, 3, 4}
    # 2 + 1 = 3 against 4 * 121/366 = 1.32 -> floor 1
    assert progress[1].achieved == 3
    assert progress[1].expected == Fraction(242, 183)  # 484/366
    assert progress[1].status == Status.ON_TRACK
    assert progress[2].status == Status.DONE
    # No records at all, and T1 is judged on 30 Apr: one gap.
    assert progress[3].gaps == 1
    assert progress[3].status == Status.AT_RISK
    # 1 of 2 places against 2 * 121/366 = 0.66 -> floor 0
    assert progress[4].covered == frozenset({7})
    assert progress[4].status == Status.ON_TRACK


def test_a_promise_counts_only_the_records_it_is_given_so_voided_ones_stay_out():
    # The selector leaves voided records out of its query; here they are left out by hand.
    stored = [
        (1, RecordFact(date(2020, 2, 1), 3), False),
        (1, RecordFact(date(2020, 2, 2), 40), True),  # voided: typed 40 instead of 4
        (1, RecordFact(date(2020, 2, 2), 4), False),
        (2, RecordFact(date(2020, 2, 1), 1), True),  # voided: the only record of activity 2
    ]
    given = [(activity_id, record) for activity_id, record, voided in stored if not voided]
    targets = {1: at_least(10), 2: ONCE}
    progress = promise_progress(targets=targets, records=given, period=YEAR_2020, at=date(2020, 6, 1))
    assert progress[1].achieved == 7  # 3 + 4
    # 1 Jun is day 153 (121 + 31 + 1): 10 * 153/366 = 4.18 -> floor 4, and 7 >= 4; with the voided 40
    # it would have been done.
    assert progress[1].status == Status.ON_TRACK
    assert progress[2].achieved == 0
    assert progress[2].status == Status.ON_TRACK  # June is not in the last tertial


def test_a_promise_without_activities_has_no_progress():
    assert promise_progress(targets={}, records=[], period=YEAR_2020, at=date(2020, 6, 1)) == {}


# --- Figures per tertial and counts per status ------------------------------------------------------------


def test_it_sums_quantities_per_tertial_of_the_period_leaving_out_records_outside_it():
    records = [
        RecordFact(date(2020, 3, 1), 4),  # before the signing
        RecordFact(date(2020, 3, 15), 2),
        RecordFact(date(2020, 4, 30), 3),
        RecordFact(date(2020, 5, 1), 1),
        RecordFact(date(2021, 1, 1), 9),  # after the period
    ]
    totals = quantities_by_tertial(records, SIGNED_IN_MARCH)
    assert totals == {Tertial(2020, 1): 5, Tertial(2020, 2): 1, Tertial(2020, 3): 0}  # T1: 2 + 3
    assert list(totals) == [Tertial(2020, 1), Tertial(2020, 2), Tertial(2020, 3)]


def test_every_tertial_of_a_two_year_period_has_a_figure_even_without_records():
    totals = quantities_by_tertial([RecordFact(date(2022, 3, 1), 6), RecordFact(date(2022, 4, 30), 1)], TWO_YEARS)
    assert totals == {
        Tertial(2021, 1): 0,
        Tertial(2021, 2): 0,
        Tertial(2021, 3): 0,
        Tertial(2022, 1): 7,  # 6 + 1
        Tertial(2022, 2): 0,
        Tertial(2022, 3): 0,
    }


def _progress_with(status):
    return Progress(
        status=status,
        achieved=0,
        expected=Fraction(0),
        target_count=None,
        covered=frozenset(),
        target_places=frozenset(),
        expected_places=Fraction(0),
        gaps=0,
    )


def test_it_counts_activities_per_status_with_every_status_present():
    progresses = [_progress_with(Status.DONE), _progress_with(Status.MISSED), _progress_with(Status.DONE)]
    counts = status_counts(progresses)
    assert counts == {
        Status.DONE: 2,
        Status.ON_TRACK: 0,
        Status.AT_RISK: 0,
        Status.BEHIND: 0,
        Status.MISSED: 1,
    }
    assert list(counts) == list(Status)  # best first, for a legend in a fixed order


def test_it_counts_nothing_as_zero_of_every_status():
    assert status_counts([]) == dict.fromkeys(Status, 0)


def test_it_counts_bare_statuses_too_such_as_the_councils_assessments():
    counts = status_counts([Status.AT_RISK, "at_risk", _progress_with(Status.BEHIND)])
    assert counts[Status.AT_RISK] == 2
    assert counts[Status.BEHIND] == 1
