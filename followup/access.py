"""Who may open a promise's follow-up: the one access helper the follow-up views share."""

from django.shortcuts import get_object_or_404

from promises.models import Promise
from promises.scope import Role


def promise_for_follow_up(user, promise_id):
    """The promise if the user coordinates it or sits on its council (or administers); otherwise 404."""
    promises = Promise.objects.in_scope_of(user, Role.COORDINATOR, Role.COUNCIL).prefetch_related("municipalities")
    return get_object_or_404(promises, pk=promise_id)


def promise_for_coordinator(user, promise_id):
    """The promise if the user coordinates it (or administers); otherwise 404."""
    promises = Promise.objects.in_scope_of(user, Role.COORDINATOR).prefetch_related("municipalities")
    return get_object_or_404(promises, pk=promise_id)
