"""Words about an activity that depend on a number: ``{{ activity|unit_for:count }}`` gives the singular unit for 1."""

from django import template

register = template.Library()


@register.filter
def unit_for(activity, count):
    """The activity's unit for ``count``: its singular for exactly 1 (when it has one), else the unit."""
    return activity.unit_for(count)
