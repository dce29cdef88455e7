"""Indicators of expected effect with their measured values.

Coordinators and council members of a promise see its indicators; only coordinators add indicators and
values. A council member is inside the promise's scope, so a POST from one is refused with 403
(PermissionDenied); anyone outside the scope gets 404, as everywhere in the portal, and learns nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followup.indicator_forms import IndicatorForm, IndicatorValueForm
from followup.tertials import Tertial
from promises.scope import scope_for

from ..access import indicator_for_follow_up, promise_for_follow_up
from ..kept_forms import form_data


def _rows(values, promise=None):
    """Values in the order they were measured, each with its tertial (None for a value of one day) and whether it
    lies before the promise's period (a baseline).

    A tertial's value stands for the tertial as a whole, so it is placed at the tertial's last day, where a
    tertial is judged; a value of that same day comes after it.
    """
    rows = [
        {
            "value": value,
            "tertial": Tertial(value.year, value.number) if value.year else None,
            "before_period": promise is not None and value.last_day < promise.period_start,
        }
        for value in values
    ]
    return sorted(
        rows,
        key=lambda row: (
            row["tertial"].end if row["tertial"] else row["value"].measured_on,
            row["tertial"] is None,
            row["value"].pk,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_list(request, promise_id):
    """The promise's indicators, each with its latest value; a coordinator adds new ones here."""
    promise = promise_for_follow_up(request.user, promise_id)
    may_add = scope_for(request.user).is_coordinator_of(promise)
    if request.method == "POST" and not may_add:
        raise PermissionDenied
    form = IndicatorForm(form_data(request), promise=promise) if may_add else None
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, _("The indicator “%(name)s” was saved.") % {"name": indicator.name})
        return redirect("followup:indicators", promise_id=promise.pk)
    indicators = promise.indicators.prefetch_related("values").order_by("name")
    rows = [
        {"indicator": indicator, "latest": (_rows(indicator.values.all()) or [None])[-1]} for indicator in indicators
    ]
    return render(
        request,
        "staff/indicators.html",
        {"promise": promise, "rows": rows, "form": form, "may_add": may_add},
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_detail(request, indicator_id):
    """One indicator and its values in the order measured; a coordinator adds a value here."""
    indicator = indicator_for_follow_up(request.user, indicator_id)
    may_add = scope_for(request.user).is_coordinator_of(indicator.promise)
    if request.method == "POST" and not may_add:
        raise PermissionDenied
    form = IndicatorValueForm(form_data(request), indicator=indicator) if may_add else None
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The value was saved."))
        return redirect("followup:indicator", indicator_id=indicator.pk)
    return render(
        request,
        "staff/indicator.html",
        {
            "indicator": indicator,
            "promise": indicator.promise,
            "rows": _rows(indicator.values.all(), indicator.promise),
            "form": form,
        },
    )
