"""Target windows and targets per municipality (issue 15, items 5 and 6), with hand-computed expectations.

The rules are pure (followup.progress.target_progress); the figures below are worked out by hand in the comments,
and the same examples are in docs/RULES.md §11 and §12.
"""

from datetime import date
from fractions import Fraction

import pytest

from followup.progress import RecordFact, Status, Target, target_progress
from followup.tertials import Period

YEAR = Period(date(2020, 1, 1), date(2020, 12, 31))  # 2020 is a leap year: 366 days
# "Minst 18 trafikkontroller under vintersäsongen (februari–april)": 29 + 31 + 30 = 90 days.
WINTER = Period(date(2020, 2, 1), date(2020, 4, 30))


def winter_target(count=18):
    return Target(count=count, places=frozenset(), recurrence="continuous", window=WINTER)


WINTER_RECORDS = [
    RecordFact(date(2020, 1, 10), 3),  # before the window: shown, not counted
    RecordFact(date(2020, 2, 10), 4),
    RecordFact(date(2020, 4, 20), 10),
    RecordFact(date(2020, 5, 5), 10),  # after the window: shown, not counted
]


@pytest.mark.parametrize(
    ("at", "status", "achieved", "expected", "outside"),
    [
        # Before the window: nothing expected yet, the January controls do not count.
        (date(2020, 1, 15), Status.ON_TRACK, 0, Fraction(0), 3),
        # 1 March: 29 + 1 = 30 of 90 days, expected 18 × 30 / 90 = 6; 4 done ≥ ⌊6 / 2⌋ = 3, so at risk.
        (date(2020, 3, 1), Status.AT_RISK, 4, Fraction(6), 3),
        # 19 April: 29 + 31 + 19 = 79 days, expected 18 × 79 / 90 = 15.8; 4 < ⌊7.9⌋ = 7: behind.
        (date(2020, 4, 19), Status.BEHIND, 4, Fraction(79, 5), 3),
        # 30 April, the window's last day: judged there, 14 of 18 is missed.
        (date(2020, 4, 30), Status.MISSED, 14, Fraction(18), 3),
        # Later in the year the verdict stands; the May controls are outside the window.
        (date(2020, 6, 30), Status.MISSED, 14, Fraction(18), 13),
        (date(2020, 12, 31), Status.MISSED, 14, Fraction(18), 13),
    ],
)
def test_a_windowed_target_is_prorated_over_its_window_and_judged_at_its_end(at, status, achieved, expected, outside):
    progress = target_progress(target=winter_target(), records=WINTER_RECORDS, period=YEAR, at=at)
    assert (progress.status, progress.achieved, progress.expected, progress.outside_window) == (
        status,
        achieved,
        expected,
        outside,
    )


def test_over_the_whole_year_the_same_records_would_have_looked_on_track():
    # What the linear proration over the year said on 1 March: 18 × 61 / 366 = 3, and 4 + 3 ≥ 3 is on track.
    whole_year = Target(count=18, places=frozenset(), recurrence="continuous")
    progress = target_progress(target=whole_year, records=WINTER_RECORDS, period=YEAR, at=date(2020, 3, 1))
    assert (progress.status, progress.expected, progress.outside_window) == (Status.ON_TRACK, Fraction(3), 0)


def test_a_window_met_before_its_end_is_done_and_stays_done():
    records = [RecordFact(date(2020, 2, 3), 10), RecordFact(date(2020, 3, 3), 8)]
    for at in (date(2020, 3, 3), date(2020, 4, 30), date(2020, 9, 1)):
        assert target_progress(target=winter_target(), records=records, period=YEAR, at=at).status == Status.DONE


def test_a_window_crossing_a_tertial_boundary_counts_gaps_in_its_tertials_only():
    # A continuous activity kept up from 1 March to 31 October: its tertials are T1, T2 and T3 of 2020.
    window = Period(date(2020, 3, 1), date(2020, 10, 31))
    target = Target(count=None, places=frozenset(), recurrence="continuous", window=window)
    records = [RecordFact(date(2020, 3, 20), 1), RecordFact(date(2020, 1, 5), 1)]  # January is outside
    # On 30 April T1's part (1 March–30 April) is complete and has a record: no gap.
    assert target_progress(target=target, records=records, period=YEAR, at=date(2020, 4, 30)).gaps == 0
    # On 31 August T2 is complete without a record: one gap, at risk.
    progress = target_progress(target=target, records=records, period=YEAR, at=date(2020, 8, 31))
    assert (progress.gaps, progress.status, progress.outside_window) == (1, Status.AT_RISK, 1)
    # On 31 October the window's part of T3 is complete too: two gaps, missed at the window's end.
    progress = target_progress(target=target, records=records, period=YEAR, at=date(2020, 10, 31))
    assert (progress.gaps, progress.status) == (2, Status.MISSED)


# --- Per municipality ------------------------------------------------------------------------------------------

STENUNGSUND, TJORN, ORUST = 1, 2, 3  # a place in each
GROUPS = (["Orust", "Stenungsund", "Tjörn"], {STENUNGSUND: "Stenungsund", TJORN: "Tjörn", ORUST: "Orust"})


def five_each(**fields):
    return Target(count=5, places=frozenset(), recurrence="continuous", per_municipality=True, **fields)


def records_at(*items):
    return [RecordFact(day, quantity, place) for day, quantity, place in items]


SHARED_YEAR = records_at(
    (date(2020, 2, 1), 3, STENUNGSUND),
    (date(2020, 3, 1), 1, TJORN),
    (date(2020, 9, 1), 3, STENUNGSUND),
    (date(2020, 10, 1), 4, TJORN),
    (date(2020, 11, 1), 4, ORUST),
    (date(2020, 11, 2), 2, None),  # no place: no municipality's part
)


def test_one_municipality_behind_makes_the_activity_not_kept():
    progress = target_progress(
        target=five_each(), records=SHARED_YEAR, period=YEAR, groups=GROUPS, at=date(2020, 12, 31)
    )
    parts = {name: (part.achieved, part.status) for name, part in progress.parts}
    # Stenungsund 6 and Tjörn 5 are kept, Orust 4 of 5 is not: the activity is missed.
    assert parts == {
        "Orust": (4, Status.MISSED),
        "Stenungsund": (6, Status.DONE),
        "Tjörn": (5, Status.DONE),
    }
    assert progress.status == Status.MISSED
    # 15 of 15 in total, the place-less 2 left out: a total alone would have said done.
    assert (progress.achieved, progress.target_count, progress.remaining, progress.percent) == (15, 15, 1, 93)


def test_each_municipality_is_judged_against_its_own_expected_figure_during_the_year():
    # 30 June: 182 of 366 days; each expects 5 × 182 / 366 = 455/183 ≈ 2.49, so ⌊2.49⌋ = 2 is on track, ⌊1.24⌋ = 1
    # at risk. Stenungsund 3 is on track, Tjörn 1 at risk, Orust 0 behind: the activity is behind.
    progress = target_progress(
        target=five_each(), records=SHARED_YEAR, period=YEAR, groups=GROUPS, at=date(2020, 6, 30)
    )
    assert [(name, part.status) for name, part in progress.parts] == [
        ("Orust", Status.BEHIND),
        ("Stenungsund", Status.ON_TRACK),
        ("Tjörn", Status.AT_RISK),
    ]
    assert progress.status == Status.BEHIND
    assert progress.expected == 3 * Fraction(455, 183)


def test_a_continuous_activity_has_its_gaps_per_municipality():
    target = Target(count=None, places=frozenset(), recurrence="continuous", per_municipality=True)
    records = records_at((date(2020, 2, 1), 1, STENUNGSUND), (date(2020, 6, 1), 1, STENUNGSUND))
    records += records_at((date(2020, 3, 1), 1, TJORN))
    # 31 August: T1 and T2 are complete. Stenungsund has both, Tjörn T1 only (one gap), Orust neither (two).
    progress = target_progress(target=target, records=records, period=YEAR, groups=GROUPS, at=date(2020, 8, 31))
    assert [(name, part.gaps, part.status) for name, part in progress.parts] == [
        ("Orust", 2, Status.BEHIND),
        ("Stenungsund", 0, Status.ON_TRACK),
        ("Tjörn", 1, Status.AT_RISK),
    ]
    assert (progress.gaps, progress.status) == (3, Status.BEHIND)
    # As one target, one record anywhere filled each tertial for all three.
    whole = Target(count=None, places=frozenset(), recurrence="continuous")
    assert target_progress(target=whole, records=records, period=YEAR, at=date(2020, 8, 31)).status == Status.ON_TRACK


def test_target_places_per_municipality_are_each_municipalitys_own():
    target = Target(count=None, places=frozenset({STENUNGSUND, TJORN}), recurrence="continuous", per_municipality=True)
    records = records_at((date(2020, 3, 1), 1, STENUNGSUND))
    progress = target_progress(target=target, records=records, period=YEAR, groups=GROUPS, at=date(2020, 12, 31))
    # Orust has no target place, so no part; Tjörn's place was never visited.
    assert [(name, part.status) for name, part in progress.parts] == [
        ("Stenungsund", Status.DONE),
        ("Tjörn", Status.MISSED),
    ]
    assert progress.status == Status.MISSED


def test_a_window_and_a_share_together():
    # Five each between 1 February and 30 April; on 1 March (30 of 90 days) each expects 5 × 30 / 90 = 5/3: ⌊5/3⌋ = 1
    # is on track and ⌊5/6⌋ = 0 at risk, so Orust's 0 is at risk.
    target = five_each(window=WINTER)
    progress = target_progress(target=target, records=SHARED_YEAR, period=YEAR, groups=GROUPS, at=date(2020, 3, 1))
    assert [(name, part.achieved, part.status) for name, part in progress.parts] == [
        ("Orust", 0, Status.AT_RISK),
        ("Stenungsund", 3, Status.ON_TRACK),
        ("Tjörn", 1, Status.ON_TRACK),
    ]
    assert progress.expected == 3 * Fraction(5, 3)
    # At the window's end Stenungsund has 3 of 5: missed, and the activity with it; later records do not count.
    progress = target_progress(target=target, records=SHARED_YEAR, period=YEAR, groups=GROUPS, at=date(2020, 12, 31))
    assert progress.status == Status.MISSED and progress.outside_window == 13


def test_without_several_municipalities_a_share_is_the_whole_target():
    records = records_at((date(2020, 2, 1), 5, STENUNGSUND))
    progress = target_progress(target=five_each(), records=records, period=YEAR, at=date(2020, 12, 31), groups=None)
    assert (progress.status, progress.parts) == (Status.DONE, ())
