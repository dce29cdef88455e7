"""Who may open what in the staff site: helpers that return the object or raise 404.

Everything outside a user's scope answers 404, never 403, so that a page gives nothing away about what exists
elsewhere (DESIGN §2). Each helper reads the object through the models' ``in_scope_of`` QuerySets, which
decide the scope in one place (:mod:`promises.scope`).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from activities.models import ActivityRecord
from followup.models import Indicator
from followup.selectors import period_of
from promises.models import Promise
from promises.scope import Role

# The roles that may read dashboards and reports; recorders log records but do not follow up.
FOLLOW_UP_ROLES = (Role.COORDINATOR, Role.COUNCIL)


def promise_for_follow_up(user, promise_id):
    """The promise if the user coordinates it or sits on its council (or administers); otherwise 404."""
    promises = Promise.objects.in_scope_of(user, *FOLLOW_UP_ROLES).prefetch_related("municipalities")
    return get_object_or_404(promises, pk=promise_id)


def promise_for_coordinator(user, promise_id):
    """The promise if the user coordinates it (or administers); otherwise 404."""
    promises = Promise.objects.in_scope_of(user, Role.COORDINATOR).prefetch_related("municipalities")
    return get_object_or_404(promises, pk=promise_id)


def promise_in_tertial_for_follow_up(user, promise_id, tertial):
    """The promise as :func:`promise_for_follow_up` gives it, and 404 for a tertial outside its period."""
    promise = promise_for_follow_up(user, promise_id)
    if tertial not in period_of(promise).tertials():
        raise Http404
    return promise


def period_for_follow_up(user, promise_id, tertial):
    """(the promise, its own follow-up period equal to ``tertial``, as read from a URL); 404 as above.

    A custom period read from its code (2020P1) knows its days only from the promise's plan, so views use the
    period returned here rather than the one in the URL.
    """
    promise = promise_for_follow_up(user, promise_id)
    for period in period_of(promise).tertials():
        if period == tertial and type(period) is type(tertial):
            return promise, period
    raise Http404


def indicator_for_follow_up(user, indicator_id):
    """The indicator if the user may follow up its promise (see :func:`promise_for_follow_up`); otherwise 404."""
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    indicator.promise = promise_for_follow_up(user, indicator.promise_id)
    return indicator


def record_for_user(user, record_id):
    """The record if the user may see and change it (their own, or one they coordinate); otherwise 404."""
    records = ActivityRecord.objects.changeable_by(user).select_related(
        "activity__promise", "activity__lead_organisation", "place", "recorded_by", "voided_by"
    )
    return get_object_or_404(records, pk=record_id)
