"""How an indicator of expected effect is judged: which way it moves, and whether that is the way the promise wants.

Plain functions on plain values, no database: a report's snapshot holds an indicator's baseline and values, and
the pages, the PDF and the API judge them here, so every reader says the same thing (docs/RULES.md, "Indicators").

* The trend compares the **latest** value with the **first** one: the baseline (the latest value dated before the
  promise's period) when there is one, else the first value measured in the period. Lower than the first is
  **falling**, higher is **rising**, equal is **unchanged**; with fewer than two values there are **too few values**
  to say. Only the two ends count, so 42 → 45 → 35 is falling: the promise is judged on where it ended.
* Falling is the desired direction when lower is better, rising when higher is better; unchanged and too few
  values are neither.
* A target value, where one is set, is **reached** when the latest value is at or below it (lower is better) or
  at or above it (higher is better).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

__all__ = ["Trend", "in_desired_direction", "target_reached", "trend_of", "trend_sentence"]

LOWER = "lower"
HIGHER = "higher"


class Trend(StrEnum):
    FALLING = "falling"
    RISING = "rising"
    UNCHANGED = "unchanged"
    TOO_FEW = "too_few"


def trend_of(values: Sequence[Decimal]) -> Trend:
    """The trend of ``values`` in time order, the baseline first if there is one."""
    if len(values) < 2:
        return Trend.TOO_FEW
    first, last = values[0], values[-1]
    if last < first:
        return Trend.FALLING
    if last > first:
        return Trend.RISING
    return Trend.UNCHANGED


def in_desired_direction(trend: Trend, better: str) -> bool | None:
    """True when the indicator moves the way the promise wants, False when the other way, None when it does not move."""
    if trend == Trend.FALLING:
        return better == LOWER
    if trend == Trend.RISING:
        return better == HIGHER
    return None


def target_reached(latest: Decimal | None, target: Decimal | None, better: str) -> bool | None:
    """Whether the latest value meets the target; None without a target or a value."""
    if latest is None or target is None:
        return None
    return latest <= target if better == LOWER else latest >= target


# The sentences citizens read; colour is never the only signal, so the page shows these words.
_SENTENCES = {
    (Trend.FALLING, True): _("Falling, in the desired direction"),
    (Trend.FALLING, False): _("Falling, in the wrong direction"),
    (Trend.RISING, True): _("Rising, in the desired direction"),
    (Trend.RISING, False): _("Rising, in the wrong direction"),
}


def trend_sentence(trend: Trend, better: str) -> str:
    """ "Minskar, i önskad riktning", "Ökar, i fel riktning", "Oförändrat" or "För få värden"."""
    if trend == Trend.UNCHANGED:
        return _("Unchanged")
    if trend == Trend.TOO_FEW:
        return _("Too few values")
    return _SENTENCES[trend, in_desired_direction(trend, better)]
