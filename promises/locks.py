"""What an approved follow-up locks: the question the lower apps ask, answered by the app that owns the rule.

Once a follow-up period's report is approved, nothing it was judged on may change (DESIGN §5): records dated in
the period, the activity's promise, target and places, the promise's period where it would move the approved
period, indicator values dated in it. The rule belongs to follow-up, but what it protects lives below it, in
``promises`` and ``activities``, and must be refused whichever page or form makes the edit. So the models ask
here, and ``followup`` registers its answer in its ``AppConfig.ready()``. Nothing here imports an app above
``promises``.

A lock is anything with a ``start`` and an ``end`` date (the locked period, both days included) and a ``label``
people read ("T1 2020"); :class:`LockedError`'s message names it.
"""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Each source is a function (promise_id) -> the locks of that promise, oldest first.
_sources: list[Callable] = []


def register(source: Callable) -> None:
    """Adds a source of locks: ``source(promise_id)`` returns the promise's locks (each with start, end, label)."""
    if source not in _sources:
        _sources.append(source)


def locks_of(promise_id) -> list:
    """Every lock of the promise, in the order their sources give them; one query per source."""
    if promise_id is None:
        return []
    return [lock for source in _sources for lock in source(promise_id)]


def lock_on(promise_id, day: date, *, locks=None):
    """The lock that covers ``day`` of the promise, or None when the day is open."""
    for lock in locks_of(promise_id) if locks is None else locks:
        if lock.start <= day <= lock.end:
            return lock
    return None


def is_locked(promise_id, day: date) -> bool:
    return lock_on(promise_id, day) is not None


def locked_message(lock) -> str:
    """Why an edit is refused, naming what locks it and how to unlock it."""
    return _(
        "The follow-up of %(period)s is approved, so what it was judged on can no longer change. Ask a "
        "coordinator to return that follow-up to draft if something must be corrected."
    ) % {"period": lock.label}


class LockedError(ValidationError):
    """An edit that would change what an approved follow-up was judged on."""

    def __init__(self, lock, field=None):
        self.lock = lock
        message = locked_message(lock)
        super().__init__({field: [message]} if field else message, code="locked")


def open_days(promise, *, today: date, locks=None):
    """The first and last day a record of the promise may be dated today, as ``(first, last)``, or None when no day
    is open: inside the promise's period, not after today, and after the locked periods that start it (the
    approved follow-ups come in order, so the open days are the ones after the last lock at the start)."""
    first, last = promise.period_start, min(promise.period_end, today)
    for lock in sorted(locks_of(promise.pk) if locks is None else locks, key=lambda each: each.start):
        if lock.start <= first <= lock.end:
            first = date.fromordinal(lock.end.toordinal() + 1)
    return (first, last) if first <= last else None
