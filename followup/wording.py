"""The words citizens read about a report: periods as months, what was achieved, indicator values and trends.

Every public page, the PDF and the staff pages word a snapshot (:mod:`followup.snapshot`) through these functions,
so a figure reads the same wherever it is shown. Everything is translated in the language active when it runs.
Numbers up to twelve are written in words in running text, as Swedish plain-language guidance recommends
("i alla fyra kommundelar"); counts beside a figure stay digits.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from activities.models import Activity

from .charts import format_number
from .indicators import trend_sentence
from .progress import Status
from .snapshot import ActivitySnapshot, IndicatorSnapshot, PeriodSnapshot, ValueSnapshot

_NUMBER_WORDS = {
    2: gettext_lazy("two"),
    3: gettext_lazy("three"),
    4: gettext_lazy("four"),
    5: gettext_lazy("five"),
    6: gettext_lazy("six"),
    7: gettext_lazy("seven"),
    8: gettext_lazy("eight"),
    9: gettext_lazy("nine"),
    10: gettext_lazy("ten"),
    11: gettext_lazy("eleven"),
    12: gettext_lazy("twelve"),
}


def number_in_words(number: int) -> str:
    """ "fyra" for 4, digits from 13 on (and for 0 and 1, which need a gender in Swedish)."""
    return str(_NUMBER_WORDS.get(number, number))


def _whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def months_label(start: date, end: date) -> str:
    """A span of days as people say it: "januari–april 2020", "maj 2020", "september 2020–april 2021".

    A span that does not start and end with whole months is given in days: "15 mars–30 april 2020".
    """
    if _whole_months(start, end):
        if (start.year, start.month) == (end.year, end.month):
            return date_format(start, "F Y")
        if start.year == end.year:
            return f"{date_format(start, 'F')}–{date_format(end, 'F Y')}"
        return f"{date_format(start, 'F Y')}–{date_format(end, 'F Y')}"
    if start == end:
        return date_format(start, "j F Y")
    if start.year == end.year:
        return f"{date_format(start, 'j F')}–{date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')}–{date_format(end, 'j F Y')}"


def period_label(period: PeriodSnapshot | None) -> str:
    return months_label(period.start, period.end) if period else ""


def value_label(value: ValueSnapshot) -> str:
    """When a value was measured: its tertial as months, or its day."""
    return months_label(value.start, value.end)


def places_text(item: ActivitySnapshot) -> str:
    """Where a place target stands: "i alla fyra kommundelar", "på 1 av 2 platser", "i Mariefred".

    Districts and sites take different words in Swedish ("i kommundelarna", "på platserna"), so each has its own.
    """
    total, covered = len(item.target_places), len(item.covered_places)
    if not total:
        return ""
    districts = item.target_place_kind == "district"
    if covered == total:
        if total == 1:
            return _("in %(place)s") % {"place": item.target_places[0]}
        if total == 2:
            return _("in both districts") if districts else _("at both places")
        words = _("in all %(count)s districts") if districts else _("at all %(count)s places")
        return words % {"count": number_in_words(total)}
    if districts:
        words = ngettext("in %(covered)s of %(total)s district", "in %(covered)s of %(total)s districts", total)
    else:
        words = ngettext("at %(covered)s of %(total)s place", "at %(covered)s of %(total)s places", total)
    return words % {"covered": covered, "total": total}


def quantity_text(item: ActivitySnapshot) -> str:
    """What was done, in numbers: "303 trafikkontroller", or "3 genomförda" where the activity has no unit."""
    if item.unit:
        return f"{item.achieved} {item.unit}"
    return ngettext("%(count)s done", "%(count)s done", item.achieved) % {"count": item.achieved}


def achieved_text(item: ActivitySnapshot) -> str:
    """The quantity for every target, and for a place target where it stands: "303 trafikkontroller, i alla
    fyra kommundelar"."""
    places = places_text(item)
    quantity = quantity_text(item)
    text = f"{quantity}, {places}" if places else quantity
    if item.parts:
        text += "; " + _("per municipality: %(parts)s") % {
            "parts": ", ".join(f"{name} {achieved} ({Status(status).label})" for name, achieved, status in item.parts)
        }
    if item.outside_window:
        text += "; " + _("%(count)s more outside the target's period, not counted towards it") % {
            "count": item.outside_window
        }
    return text


def target_text(item) -> str:
    """The target in words, the one way every page, the PDF and the XLSX show it: "minst 8 nya
    grannsamverkansområden", "minst en gång i var och en av …", and for a target with neither a count nor places
    how often it is done ("Löpande", "En gång"), never a blank or a dash.

    ``item`` is a report's ActivitySnapshot or a live Activity (its target places read through
    ``target_places.all()``, so a caller that prefetched them pays no query).
    """
    if isinstance(item, ActivitySnapshot):
        count, unit, places = item.target_count, item.unit, list(item.target_places)
        recurrence, per_municipality, window = item.recurrence, item.target_per_municipality, item.target_window
    else:
        count, unit = item.target_count, item.unit_for(item.target_count)
        places = [place.name for place in item.target_places.all()]
        recurrence, per_municipality = item.recurrence, item.target_per_municipality
        window = (
            item.target_window_start and item.target_window_end and (item.target_window_start, item.target_window_end)
        )
        window = PeriodSnapshot(start=window[0], end=window[1]) if window else None
    parts = []
    if count is not None:
        parts.append(_("at least %(count)s %(unit)s") % {"count": count, "unit": unit})
    if places:
        parts.append(_("at least once in each of %(places)s") % {"places": ", ".join(places)})
    if not parts:
        # A snapshot from before recurrence was kept has none: the model's default, kept up every tertial.
        parts.append(str(Activity.Recurrence(recurrence or Activity.Recurrence.CONTINUOUS).label))
    text = "; ".join(parts)
    if per_municipality:
        text = text.rstrip() + " " + _("per municipality")
    if window is not None:
        text += ", " + months_label(window.start, window.end)
    return text


def municipality_name(name: str) -> str:
    """A municipality of a breakdown, or the words for records without a place."""
    return name or _("no place given")


def indicator_value(value) -> str:
    """An indicator's value as people read it: "12,5" in Swedish, "35" without decimals that are zero."""
    return format_number(value, -2)


def trend_text(indicator: IndicatorSnapshot) -> str:
    """The trend as a sentence with the two values it compares: Minskar, i önskad riktning: från 42 (…) till 35 (…)."""
    sentence = str(trend_sentence(indicator.trend, indicator.better))
    series = indicator.series
    if len(series) < 2:
        return sentence
    first, last = series[0], series[-1]
    return _("%(sentence)s: from %(first)s (%(first_when)s) to %(last)s (%(last_when)s).") % {
        "sentence": sentence,
        "first": indicator_value(first.value),
        "first_when": value_label(first),
        "last": indicator_value(last.value),
        "last_when": value_label(last),
    }


def target_value_text(indicator: IndicatorSnapshot) -> str:
    """The indicator's target and whether the latest value meets it; empty without a target."""
    if indicator.target_value is None:
        return ""
    target = indicator_value(indicator.target_value)
    if indicator.better == "lower":
        aim = _("The target is %(target)s or lower.") % {"target": target}
    else:
        aim = _("The target is %(target)s or higher.") % {"target": target}
    reached = indicator.target_reached
    if reached is None:
        return aim
    latest = _("The latest value meets it.") if reached else _("The latest value does not meet it yet.")
    return f"{aim} {latest}"


def chart_description(indicator: IndicatorSnapshot) -> str:
    """The chart's text alternative: every value with its time, then the trend."""
    unit = f" {indicator.unit}" if indicator.unit else ""
    values = "; ".join(f"{value_label(value)}: {indicator_value(value.value)}{unit}" for value in indicator.series)
    return _("Values over time: %(values)s. %(trend)s") % {"values": values, "trend": trend_text(indicator)}
