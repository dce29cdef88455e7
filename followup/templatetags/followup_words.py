"""Template filters that word a report's snapshot the same way on every page and in the PDF (followup.wording)."""

from django import template
from django.utils.formats import date_format

from .. import wording
from ..charts import line_chart_svg

register = template.Library()

register.filter("months", wording.period_label)
register.filter("value_when", wording.value_label)
register.filter("achieved_text", wording.achieved_text)
register.filter("quantity_text", wording.quantity_text)
register.filter("places_text", wording.places_text)
register.filter("target_text", wording.target_text)
register.filter("municipality_name", wording.municipality_name)
register.filter("indicator_value", wording.indicator_value)
register.filter("trend_text", wording.trend_text)
register.filter("target_value_text", wording.target_value_text)


@register.filter
def decided_on(forum, day):
    """ "Godkänt av Folkhälsorådet den 5 februari 2020." in the forum's words (followup.forum)."""
    return forum.decided_on(date_format(day, "j F Y") if day else "–")


@register.filter
def indicator_chart(indicator, prefix="indicator"):
    """The indicator's baseline and values as a line chart with its text alternative; nothing below two values."""
    series = indicator.series
    if len(series) < 2:
        return ""
    return line_chart_svg(
        title=indicator.name,
        description=wording.chart_description(indicator),
        points=[(wording.value_label(value), value.value) for value in series],
        unit=indicator.unit,
        element_id=f"{prefix}-{indicator.id}",
    )


@register.filter
def snapshot_activity(snapshot, activity_id):
    """The snapshot's line for one activity, or None for an activity it does not hold."""
    return snapshot.activity(activity_id)


@register.filter
def tertial_months(tertial):
    """A tertial as citizens read it: "januari–april 2020"."""
    return wording.months_label(tertial.start, tertial.end)
