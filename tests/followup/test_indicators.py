"""How an indicator is judged (followup.indicators): the trend from its baseline to its latest value, in words."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from followup.indicators import Trend, in_desired_direction, target_reached, trend_of, trend_sentence
from followup.snapshot import IndicatorSnapshot, ValueSnapshot
from followup.wording import trend_text

D = Decimal


def sentence(values, better):
    with translation.override("sv"):
        return str(trend_sentence(trend_of([D(value) for value in values]), better))


@pytest.mark.parametrize(
    ("values", "better", "expected"),
    [
        ([42, 39, 35], "lower", "Minskar, i önskad riktning"),
        ([35, 39, 42], "lower", "Ökar, i fel riktning"),
        ([35, 39, 42], "higher", "Ökar, i önskad riktning"),
        ([42, 39, 35], "higher", "Minskar, i fel riktning"),
        ([40, 38, 40], "lower", "Oförändrat"),
        ([40, 40], "higher", "Oförändrat"),
        ([42], "lower", "För få värden"),
        ([], "higher", "För få värden"),
        # Only the ends count: the promise is judged on where it ended, not on the way there.
        ([42, 45, 35], "lower", "Minskar, i önskad riktning"),
    ],
)
def test_the_trend_sentence(values, better, expected):
    assert sentence(values, better) == expected


def test_the_direction_and_the_target():
    assert in_desired_direction(Trend.FALLING, "lower") is True
    assert in_desired_direction(Trend.RISING, "lower") is False
    assert in_desired_direction(Trend.UNCHANGED, "lower") is None
    assert target_reached(D(30), D(30), "lower") is True
    assert target_reached(D(31), D(30), "lower") is False
    assert target_reached(D(31), D(30), "higher") is True
    assert target_reached(None, D(30), "higher") is None
    assert target_reached(D(3), None, "higher") is None


def value(year, month, amount, end_month=None):
    start = datetime.date(year, month, 1)
    end = datetime.date(year, end_month, 28) if end_month else start
    return ValueSnapshot(start=start, end=end, value=D(amount))


def test_the_trend_starts_from_the_baseline_before_the_promise():
    indicator = IndicatorSnapshot(
        id=1,
        name="Individer i identifierade ungdomsnätverk",
        better="lower",
        baseline=ValueSnapshot(start=datetime.date(2019, 12, 31), end=datetime.date(2019, 12, 31), value=D(42)),
        values=(
            ValueSnapshot(start=datetime.date(2020, 1, 1), end=datetime.date(2020, 4, 30), value=D(39), code="2020T1"),
            ValueSnapshot(start=datetime.date(2020, 5, 1), end=datetime.date(2020, 8, 31), value=D(35), code="2020T2"),
        ),
    )
    with translation.override("sv"):
        assert trend_text(indicator) == (
            "Minskar, i önskad riktning: från 42 (31 december 2019) till 35 (maj–augusti 2020)."
        )
    with translation.override("en"):
        assert trend_text(indicator) == (
            "Falling, in the desired direction: from 42 (31 December 2019) to 35 (May–August 2020)."
        )


def test_one_value_is_too_few_to_say_anything():
    indicator = IndicatorSnapshot(id=1, name="Bostadsinbrott", values=(value(2020, 3, 12),))
    with translation.override("sv"):
        assert trend_text(indicator) == "För få värden"
