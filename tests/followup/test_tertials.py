"""Tertial and period arithmetic (DESIGN.md section 5, "Tertials"). No database needed."""

import dataclasses
from datetime import date

import pytest

from followup.tertials import Period, Tertial, tertials_between

T1_2020, T2_2020, T3_2020 = Tertial(2020, 1), Tertial(2020, 2), Tertial(2020, 3)

# --- Tertial -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tertial", "start", "end"),
    [
        (Tertial(2020, 1), date(2020, 1, 1), date(2020, 4, 30)),
        (Tertial(2020, 2), date(2020, 5, 1), date(2020, 8, 31)),
        (Tertial(2020, 3), date(2020, 9, 1), date(2020, 12, 31)),
        (Tertial(2021, 1), date(2021, 1, 1), date(2021, 4, 30)),
        (Tertial(2022, 3), date(2022, 9, 1), date(2022, 12, 31)),
    ],
)
def test_it_starts_and_ends_on_the_fixed_days_of_each_tertial(tertial, start, end):
    assert tertial.start == start
    assert tertial.end == end


def test_it_has_a_label_and_a_code():
    assert Tertial(2020, 1).label == "T1 2020"
    assert str(Tertial(2020, 1)) == "T1 2020"
    assert Tertial(2020, 1).code == "2020T1"
    assert Tertial(2022, 3).label == "T3 2022"
    assert Tertial(2022, 3).code == "2022T3"


def test_it_pads_the_year_of_the_code_to_four_digits_so_parse_reads_it_back():
    assert Tertial(999, 2).code == "0999T2"
    assert Tertial.parse("0999T2") == Tertial(999, 2)


@pytest.mark.parametrize("number", [0, 4, -1, 12, True, "1", 1.0, None])
def test_it_refuses_a_tertial_number_other_than_1_2_or_3(number):
    with pytest.raises(ValueError, match="1, 2 or 3"):
        Tertial(2020, number)


@pytest.mark.parametrize("year", [0, -2020, 10000, "2020", None])
def test_it_refuses_a_year_that_dates_cannot_hold(year):
    with pytest.raises(ValueError, match="year"):
        Tertial(year, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 1, 1), T1_2020),
        (date(2020, 2, 29), T1_2020),
        (date(2020, 4, 30), T1_2020),
        (date(2020, 5, 1), T2_2020),
        (date(2020, 8, 31), T2_2020),
        (date(2020, 9, 1), T3_2020),
        (date(2020, 12, 31), T3_2020),
        (date(2021, 1, 1), Tertial(2021, 1)),
    ],
)
def test_it_finds_the_tertial_containing_a_day(day, expected):
    assert Tertial.containing(day) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2020T1", T1_2020),
        ("2020T2", T2_2020),
        ("2020T3", T3_2020),
        ("2022T1", Tertial(2022, 1)),
    ],
)
def test_it_parses_a_code(code, expected):
    assert Tertial.parse(code) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "",
        "2020",
        "T1",
        "2020T0",
        "2020T4",
        "2020t1",
        "T1 2020",
        "2020-T1",
        " 2020T1",
        "2020T1 ",
        "2020T1\n",
        "20T1",
        "20201T1",
        "0000T1",  # year 0 does not exist
        "\u0662\u0660\u0662\u0660T1",  # 2020 in Arabic-Indic digits: digits to \d, but not a year in a URL
        None,
        2020,
    ],
)
def test_it_refuses_to_parse_junk(junk):
    with pytest.raises(ValueError):
        Tertial.parse(junk)


@pytest.mark.parametrize("tertial", [T1_2020, T2_2020, T3_2020, Tertial(1999, 3), Tertial(2100, 1)])
def test_it_reads_back_its_own_code(tertial):
    assert Tertial.parse(tertial.code) == tertial


@pytest.mark.parametrize(
    ("tertial", "following"),
    [
        (T1_2020, T2_2020),
        (T2_2020, T3_2020),
        (T3_2020, Tertial(2021, 1)),  # across the new year
        (Tertial(2021, 3), Tertial(2022, 1)),
    ],
)
def test_it_steps_to_the_next_and_previous_tertial_across_year_boundaries(tertial, following):
    assert tertial.next() == following
    assert following.previous() == tertial


def test_it_steps_back_from_t1_to_t3_of_the_previous_year():
    assert Tertial(2021, 1).previous() == Tertial(2020, 3)


def test_the_next_tertial_starts_the_day_after_this_one_ends():
    tertial = Tertial(2019, 1)
    for _ in range(7):
        following = tertial.next()
        assert (following.start - tertial.end).days == 1
        tertial = following


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 12, 31), False),
        (date(2020, 1, 1), True),
        (date(2020, 4, 30), True),
        (date(2020, 5, 1), False),
    ],
)
def test_it_contains_its_first_and_last_day_and_nothing_outside(day, expected):
    assert T1_2020.contains(day) is expected


def test_it_orders_tertials_chronologically():
    shuffled = [Tertial(2021, 1), T3_2020, T1_2020, Tertial(2020, 2)]
    assert sorted(shuffled) == [T1_2020, T2_2020, T3_2020, Tertial(2021, 1)]
    # T3 of one year is before T1 of the next although 3 > 1.
    assert Tertial(2020, 3) < Tertial(2021, 1)


def test_it_compares_and_hashes_by_value_so_it_can_key_a_dict():
    figures = {Tertial(2020, 1): 5}
    assert figures[Tertial.parse("2020T1")] == 5
    assert Tertial(2020, 1) == Tertial.containing(date(2020, 3, 3))


def test_it_cannot_be_changed():
    with pytest.raises(dataclasses.FrozenInstanceError):
        T1_2020.number = 2


# --- tertials_between ----------------------------------------------------------------------------------


def test_a_two_year_period_has_six_tertials():
    assert tertials_between(date(2021, 1, 1), date(2022, 12, 31)) == [
        Tertial(2021, 1),
        Tertial(2021, 2),
        Tertial(2021, 3),
        Tertial(2022, 1),
        Tertial(2022, 2),
        Tertial(2022, 3),
    ]


def test_a_promise_signed_in_march_still_has_t1_because_the_period_intersects_it():
    assert tertials_between(date(2020, 3, 15), date(2020, 12, 31)) == [T1_2020, T2_2020, T3_2020]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2020, 6, 1), date(2020, 6, 1), [T2_2020]),  # a single day
        (date(2020, 5, 10), date(2020, 6, 10), [T2_2020]),  # inside one tertial
        (date(2020, 4, 30), date(2020, 5, 1), [T1_2020, T2_2020]),  # two days, two tertials
        (date(2020, 12, 31), date(2021, 1, 1), [T3_2020, Tertial(2021, 1)]),  # across the new year
        (date(2020, 3, 15), date(2021, 6, 30), [T1_2020, T2_2020, T3_2020, Tertial(2021, 1), Tertial(2021, 2)]),
    ],
)
def test_it_lists_every_tertial_touched_by_a_period(start, end, expected):
    assert tertials_between(start, end) == expected


def test_it_refuses_an_end_before_the_start():
    with pytest.raises(ValueError):
        tertials_between(date(2020, 5, 1), date(2020, 4, 30))


# --- Period --------------------------------------------------------------------------------------------

YEAR_2020 = Period(date(2020, 1, 1), date(2020, 12, 31))
SIGNED_IN_MARCH = Period(date(2020, 3, 15), date(2020, 12, 31))
TWO_YEARS = Period(date(2021, 1, 1), date(2022, 12, 31))


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2020, 5, 1), date(2020, 4, 30))


@pytest.mark.parametrize(
    ("period", "days"),
    [
        (YEAR_2020, 366),  # a leap year
        (Period(date(2021, 1, 1), date(2021, 12, 31)), 365),
        (TWO_YEARS, 730),  # 365 + 365
        (SIGNED_IN_MARCH, 292),  # 366 - (31 Jan + 29 Feb + 14 days of March) = 366 - 74
        (Period(date(2020, 6, 1), date(2020, 6, 1)), 1),
        (Period(date(2020, 2, 28), date(2020, 3, 1)), 3),  # 28 Feb, 29 Feb, 1 Mar
    ],
)
def test_it_counts_the_days_of_a_period_with_both_ends_included(period, days):
    assert period.days == days


def test_it_counts_a_leap_day_in_2020_so_t1_2020_ends_on_day_121():
    # 31 Jan + 29 Feb + 31 Mar + 30 Apr = 121
    assert YEAR_2020.days_elapsed(T1_2020.end) == 121


def test_t1_ends_on_day_120_in_a_year_without_a_leap_day():
    # 31 + 28 + 31 + 30 = 120
    assert Period(date(2021, 1, 1), date(2021, 12, 31)).days_elapsed(date(2021, 4, 30)) == 120


@pytest.mark.parametrize(
    ("period", "at", "elapsed"),
    [
        (YEAR_2020, date(2019, 12, 31), 0),  # before the start
        (YEAR_2020, date(2020, 1, 1), 1),  # the first day counts as soon as it is judged
        (YEAR_2020, date(2020, 2, 29), 60),  # 31 + 29
        (YEAR_2020, date(2020, 5, 1), 122),  # 121 + 1
        (YEAR_2020, date(2020, 8, 31), 244),  # 121 + 31 + 30 + 31 + 31
        (YEAR_2020, date(2020, 12, 30), 365),
        (YEAR_2020, date(2020, 12, 31), 366),
        (YEAR_2020, date(2021, 6, 1), 366),  # clamped after the end
        (SIGNED_IN_MARCH, date(2020, 3, 14), 0),
        (SIGNED_IN_MARCH, date(2020, 3, 15), 1),
        (SIGNED_IN_MARCH, date(2020, 4, 30), 47),  # 17 days of March (15..31) + 30
        (SIGNED_IN_MARCH, date(2020, 8, 31), 170),  # 47 + 31 + 30 + 31 + 31
        (SIGNED_IN_MARCH, date(2020, 12, 31), 292),
        (TWO_YEARS, date(2021, 12, 31), 365),
        (TWO_YEARS, date(2022, 4, 30), 485),  # 365 + 120
    ],
)
def test_it_counts_the_days_elapsed_by_a_date_clamped_to_the_period(period, at, elapsed):
    assert period.days_elapsed(at) == elapsed


def test_the_tertials_of_a_two_year_period_include_t1_2022():
    tertials = TWO_YEARS.tertials()
    assert len(tertials) == 6
    assert tertials[3] == Tertial(2022, 1)
    assert tertials[3].label == "T1 2022"


def test_the_tertials_of_a_period_signed_in_march_are_the_three_of_2020():
    assert SIGNED_IN_MARCH.tertials() == [T1_2020, T2_2020, T3_2020]


@pytest.mark.parametrize(
    ("period", "last"),
    [
        (YEAR_2020, T3_2020),
        (TWO_YEARS, Tertial(2022, 3)),
        (Period(date(2020, 3, 15), date(2021, 6, 30)), Tertial(2021, 2)),  # extended past its year
        (Period(date(2020, 5, 10), date(2020, 6, 10)), T2_2020),
    ],
)
def test_it_knows_its_last_tertial(period, last):
    assert period.last_tertial() == last


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 3, 14), False),
        (date(2020, 3, 15), True),
        (date(2020, 12, 31), True),
        (date(2021, 1, 1), False),
    ],
)
def test_a_period_contains_both_its_ends(day, expected):
    assert SIGNED_IN_MARCH.contains(day) is expected


@pytest.mark.parametrize(
    ("at", "ended"),
    [
        (date(2020, 1, 1), False),
        (date(2020, 12, 30), False),
        (date(2020, 12, 31), True),  # judged at the close of its last day
        (date(2021, 1, 1), True),
    ],
)
def test_a_period_has_ended_on_its_last_day(at, ended):
    assert YEAR_2020.ended(at) is ended
