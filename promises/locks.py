"""Which days of a promise are locked: the question the lower apps ask, answered by the app that owns the rule.

Once a follow-up period's report is approved, what it was judged on may no longer change (DESIGN §5). The rule
belongs to follow-up, but the records it protects live below it, in ``activities``, and must refuse an edit
whichever page or form makes it. So the records ask here, and ``followup`` registers its answer in its
``AppConfig.ready()``: a function ``(promise_id, day) -> the locking object or None``. Nothing here imports an
app above ``promises``.
"""

from collections.abc import Callable
from datetime import date

_rules: list[Callable] = []


def register(rule: Callable) -> None:
    """Adds a rule ``rule(promise_id=..., day=...)`` returning what locks that day of the promise, or None."""
    if rule not in _rules:
        _rules.append(rule)


def lock_on(promise_id: int, day: date):
    """What locks ``day`` of the promise (e.g. the approved report of its period), or None when it is open."""
    for rule in _rules:
        found = rule(promise_id=promise_id, day=day)
        if found is not None:
            return found
    return None


def is_locked(promise_id: int, day: date) -> bool:
    return lock_on(promise_id, day) is not None
