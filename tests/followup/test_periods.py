"""Follow-up plans other than tertials (docs/RULES.md §17): the periods, and the progress rules judged on them.

Every expectation is worked out by hand in the comment beside it; the same examples are in docs/RULES.md.
"""

import datetime

import pytest

from followup.periods import (
    CUSTOM,
    HALF_YEARS,
    QUARTERS,
    TERTIALS,
    YEARLY,
    FollowUpPeriod,
    PlannedPeriod,
    Schedule,
    parse_code,
)
from followup.progress import RecordFact, Recurrence, Status, Target, activity_progress, quantities_by_tertial
from followup.tertials import Period, Tertial

D = datetime.date


def planned(start, end, plan, ends=()):
    return PlannedPeriod(start, end, schedule=Schedule(plan, tuple(ends)))


def records(*days, quantity=1):
    return [RecordFact(occurred_on=day, quantity=quantity, place_id=None) for day in days]


def status(period, at, *, target, days=(), quantity=1):
    return activity_progress(target=target, records=records(*days, quantity=quantity), period=period, at=at)


CONTINUOUS = Target(count=None, places=frozenset(), recurrence=Recurrence.CONTINUOUS)
ONCE = Target(count=None, places=frozenset(), recurrence=Recurrence.ONCE)


def count(n):
    return Target(count=n, places=frozenset(), recurrence=Recurrence.CONTINUOUS)


# The periods ------------------------------------------------------------------------------------------------


def test_half_years_quarters_and_years_cut_the_calendar():
    year = planned(D(2020, 1, 1), D(2020, 12, 31), HALF_YEARS)
    assert [(p.code, p.start, p.end) for p in year.periods()] == [
        ("2020H1", D(2020, 1, 1), D(2020, 6, 30)),
        ("2020H2", D(2020, 7, 1), D(2020, 12, 31)),
    ]
    quarters = planned(D(2020, 1, 1), D(2020, 12, 31), QUARTERS).periods()
    # 2020 is a leap year: Q1 is 31 + 29 + 31 = 91 days and ends on 31 March.
    assert [(p.code, p.end) for p in quarters] == [
        ("2020Q1", D(2020, 3, 31)),
        ("2020Q2", D(2020, 6, 30)),
        ("2020Q3", D(2020, 9, 30)),
        ("2020Q4", D(2020, 12, 31)),
    ]
    assert Period(quarters[0].start, quarters[0].end).days == 91
    two_years = planned(D(2021, 1, 1), D(2022, 12, 31), YEARLY).periods()
    assert [(p.code, p.label, p.start, p.end) for p in two_years] == [
        ("2021", "2021", D(2021, 1, 1), D(2021, 12, 31)),
        ("2022", "2022", D(2022, 1, 1), D(2022, 12, 31)),
    ]


def test_a_tertial_plan_gives_the_tertials_themselves():
    period = planned(D(2020, 3, 15), D(2020, 12, 31), TERTIALS)
    assert period.periods() == [Tertial(2020, 1), Tertial(2020, 2), Tertial(2020, 3)]
    assert period.periods() == Period(D(2020, 3, 15), D(2020, 12, 31)).tertials()


def test_custom_periods_run_from_one_end_date_to_the_next_and_the_last_ends_with_the_promise():
    # Gnosjö's "tertial 1–2" report: one period January–August, then September–December.
    period = planned(D(2021, 1, 1), D(2021, 12, 31), CUSTOM, [D(2021, 8, 31)])
    assert [(p.code, p.start, p.end) for p in period.periods()] == [
        ("2021P1", D(2021, 1, 1), D(2021, 8, 31)),
        ("2021P2", D(2021, 9, 1), D(2021, 12, 31)),
    ]
    # An end date outside the promise's period, or on its last day, adds no period.
    period = planned(D(2021, 1, 1), D(2021, 12, 31), CUSTOM, [D(2020, 5, 1), D(2021, 12, 31)])
    assert [p.code for p in period.periods()] == ["2021P1"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2020T1", Tertial(2020, 1)),
        ("2020H2", FollowUpPeriod("H", 2020, 2)),
        ("2020Q4", FollowUpPeriod("Q", 2020, 4)),
        ("2020", FollowUpPeriod("Y", 2020, 1)),
        ("2020P3", FollowUpPeriod("P", 2020, 3)),
    ],
)
def test_a_code_reads_back_as_its_period(code, expected):
    parsed = parse_code(code)
    assert parsed == expected
    assert type(parsed) is type(expected)
    assert parsed.code == code


@pytest.mark.parametrize("code", ["2020T4", "2020H3", "2020Q5", "2020P0", "20201", "2020X1", "", "٢٠٢٠T1"])
def test_a_malformed_code_is_refused(code):
    with pytest.raises(ValueError):
        parse_code(code)


# Progress on half-years ---------------------------------------------------------------------------------------


def test_a_continuous_activity_has_a_gap_per_half_year_without_a_record():
    # Records in March only. With half-years: H1 has one, H2 none, so one gap at the end of the year: at risk.
    # The same records with tertials leave T2 and T3 empty: two gaps, missed.
    half_years = planned(D(2021, 1, 1), D(2021, 12, 31), HALF_YEARS)
    tertials = Period(D(2021, 1, 1), D(2021, 12, 31))
    march = [D(2021, 3, 10)]
    assert status(half_years, D(2021, 6, 30), target=CONTINUOUS, days=march).status == Status.ON_TRACK
    assert status(half_years, D(2021, 12, 30), target=CONTINUOUS, days=march).gaps == 0
    at_end = status(half_years, D(2021, 12, 31), target=CONTINUOUS, days=march)
    assert (at_end.gaps, at_end.status) == (1, Status.AT_RISK)
    with_tertials = status(tertials, D(2021, 12, 31), target=CONTINUOUS, days=march)
    assert (with_tertials.gaps, with_tertials.status) == (2, Status.MISSED)


def test_a_one_off_activity_is_at_risk_from_the_first_day_of_the_last_half_year():
    period = planned(D(2021, 1, 1), D(2021, 12, 31), HALF_YEARS)
    assert status(period, D(2021, 6, 30), target=ONCE).status == Status.ON_TRACK
    assert status(period, D(2021, 7, 1), target=ONCE).status == Status.AT_RISK
    assert status(period, D(2021, 12, 31), target=ONCE).status == Status.MISSED


def test_quantities_are_summed_per_half_year():
    period = planned(D(2020, 1, 1), D(2020, 12, 31), HALF_YEARS)
    facts = records(D(2020, 6, 30), D(2020, 6, 30)) + records(D(2020, 7, 1), quantity=3)
    assert quantities_by_tertial(facts, period) == {FollowUpPeriod("H", 2020, 1): 2, FollowUpPeriod("H", 2020, 2): 3}


# A two-year promise followed up once a year -------------------------------------------------------------------


def test_a_two_year_promise_with_a_yearly_plan():
    period = planned(D(2021, 1, 1), D(2022, 12, 31), YEARLY)
    # 730 days (neither year is a leap year). Target 10; 3 done in 2021.
    # At 31 December 2021: 365 days elapsed, expected 10 × 365 / 730 = 5; 3 < 5 but 3 ≥ ⌊5 / 2⌋ = 2: at risk.
    first_year = status(period, D(2021, 12, 31), target=count(10), days=[D(2021, 5, 1)], quantity=3)
    assert (first_year.achieved, first_year.expected, first_year.status) == (3, 5, Status.AT_RISK)
    # With 5 done it is on track; the first year's report is judged on its last day, the promise not yet ended.
    assert status(period, D(2021, 12, 31), target=count(10), days=[D(2021, 5, 1)], quantity=5).status == (
        Status.ON_TRACK
    )
    # Continuous with records in 2021 only: the year 2022 is one gap once it is over, judged at risk.
    kept_up_once = status(period, D(2022, 12, 31), target=CONTINUOUS, days=[D(2021, 2, 1)])
    assert (kept_up_once.gaps, kept_up_once.status) == (1, Status.AT_RISK)
    assert status(period, D(2022, 12, 30), target=CONTINUOUS, days=[D(2021, 2, 1)]).gaps == 0
    # A one-off activity is at risk during the last period: from 1 January 2022.
    assert status(period, D(2021, 12, 31), target=ONCE).status == Status.ON_TRACK
    assert status(period, D(2022, 1, 1), target=ONCE).status == Status.AT_RISK
    assert period.last_period() == FollowUpPeriod("Y", 2022, 1)


# A promise signed mid-year, in a leap year ----------------------------------------------------------------------


def test_a_promise_signed_mid_year_in_a_leap_year_with_half_years():
    period = planned(D(2020, 3, 15), D(2020, 12, 31), HALF_YEARS)
    # 366 days in 2020, less 31 (January) + 29 (February) + 14 (1–14 March) = 292 days.
    assert period.days == 292
    # 30 June: 17 (15–31 March) + 30 + 31 + 30 = 108 days elapsed. Target 12: expected 12 × 108 / 292 ≈ 4.44.
    four = status(period, D(2020, 6, 30), target=count(12), days=[D(2020, 4, 1)], quantity=4)
    assert four.expected * 292 == 12 * 108
    assert four.status == Status.ON_TRACK  # 4 ≥ ⌊4.44⌋ = 4
    three = status(period, D(2020, 6, 30), target=count(12), days=[D(2020, 4, 1)], quantity=3)
    assert three.status == Status.AT_RISK  # 3 < 4, 3 ≥ ⌊2.22⌋ = 2
    # A record before the signing does not count, so H1 (its part 15 March–30 June) is a gap on 30 June.
    before = status(period, D(2020, 6, 30), target=CONTINUOUS, days=[D(2020, 3, 1)])
    assert (before.achieved, before.gaps, before.status) == (0, 1, Status.AT_RISK)
    assert status(period, D(2020, 6, 29), target=CONTINUOUS, days=[D(2020, 3, 1)]).gaps == 0


def test_leap_day_falls_in_the_first_quarter():
    period = planned(D(2020, 1, 1), D(2020, 12, 31), QUARTERS)
    assert period.period_of(D(2020, 2, 29)) == FollowUpPeriod("Q", 2020, 1)
    kept = status(period, D(2020, 3, 31), target=CONTINUOUS, days=[D(2020, 2, 29)])
    assert (kept.gaps, kept.status) == (0, Status.ON_TRACK)
    # Leap year: 31 March is day 91 of 366; target 366 gives exactly 91 expected.
    assert status(period, D(2020, 3, 31), target=count(366), days=[D(2020, 2, 29)], quantity=91).expected == 91


# Custom periods (a combined report "T1–T2") ------------------------------------------------------------------


def test_custom_periods_judge_gaps_at_each_end_date():
    period = planned(D(2021, 1, 1), D(2021, 12, 31), CUSTOM, [D(2021, 8, 31)])
    may = [D(2021, 5, 2)]
    assert status(period, D(2021, 8, 31), target=CONTINUOUS, days=may).status == Status.ON_TRACK
    at_end = status(period, D(2021, 12, 31), target=CONTINUOUS, days=may)
    assert (at_end.gaps, at_end.status) == (1, Status.AT_RISK)
    # A one-off activity is at risk from the first day of the last period, 1 September.
    assert status(period, D(2021, 8, 31), target=ONCE).status == Status.ON_TRACK
    assert status(period, D(2021, 9, 1), target=ONCE).status == Status.AT_RISK
    # Count targets are prorated over the promise's period whatever the plan: 31 August is day 243 of 365.
    assert status(period, D(2021, 8, 31), target=count(365), days=may).expected == 243


def test_the_schedule_finds_the_promises_own_custom_period_for_a_code():
    schedule = Schedule(CUSTOM, (D(2021, 8, 31),))
    own = schedule.resolve(parse_code("2021P2"), D(2021, 1, 1), D(2021, 12, 31))
    assert (own.start, own.end) == (D(2021, 9, 1), D(2021, 12, 31))
    assert schedule.resolve(parse_code("2021P3"), D(2021, 1, 1), D(2021, 12, 31)) is None
    assert schedule.resolve(parse_code("2021T1"), D(2021, 1, 1), D(2021, 12, 31)) is None
