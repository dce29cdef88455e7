"""Data versions: what lets pages and figures be cached with exact invalidation.

Every promise and every municipality carries a ``data_version``, a random token that changes whenever
something its cached copies depend on changes:

- a promise's token changes with the promise itself and everything under it: focus areas, activities (and
  their partners and target places), records (and their organisations), planned events, reports, assessments,
  indicators and their values. Its figures (progress, quantities per tertial) are cached under it;
- a municipality's token changes with its promises' tokens, and with any change to the shared reference data
  public pages show by name (municipalities, places, organisations, councils, activity kinds), which changes
  every token. Its public pages are cached under it.

The receivers below change the tokens on every ORM write, in the same transaction as the write (requests run
in one, ``ATOMIC_REQUESTS``) and always *after* it, so a reader that sees a new token also sees the data it
stands for: whatever it caches under a token is what that token means. A reader reads the token first and the
data after; at worst it stores fresh data under a token that is already old, which is merely never read.
Random tokens rather than counters mean that a restored backup or a regenerated database never meets cache
entries made for other data under the same key.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``, raw SQL) must either sit in a
transaction that also saves a model of the same promise (as the report workflow's ``_advance`` and
``report_create`` do) or call :func:`bump_promises` / :func:`bump_everything` themselves. ``generate_national``
writes fresh tokens with its rows.
"""

import uuid
from functools import cache

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import Municipality, Place, Promise


def new_token():
    return uuid.uuid4()


def bump_promises(promises):
    """New tokens for these promises (a Promise QuerySet) and for every municipality they belong to: two UPDATEs."""
    token = new_token()
    ids = promises.values("pk")
    Promise.objects.filter(pk__in=ids).update(data_version=token)
    Municipality.objects.filter(promises__in=ids).update(data_version=token)


def bump_everything():
    """New tokens everywhere: for changes to shared reference data, which any page may show."""
    token = new_token()
    Promise.objects.update(data_version=token)
    Municipality.objects.update(data_version=token)


@cache
def _tree():
    """Each model under a promise, with the lookup from Promise to it and the field that points at its parent."""
    from activities.models import Activity, ActivityRecord, PlannedEvent
    from followup.models import Assessment, Indicator, IndicatorValue, TertialReport

    from .models import FocusArea

    return {
        FocusArea: ("focus_areas", "promise_id"),
        Activity: ("activities", "promise_id"),
        TertialReport: ("reports", "promise_id"),
        Indicator: ("indicators", "promise_id"),
        ActivityRecord: ("activities__records", "activity_id"),
        PlannedEvent: ("activities__planned_events", "activity_id"),
        Assessment: ("reports__assessments", "report_id"),
        IndicatorValue: ("indicators__values", "indicator_id"),
    }


@cache
def _reference_models():
    from activities.models import ActivityKind
    from followup.models import Council

    from .models import Organisation

    return (Municipality, Place, Organisation, Council, ActivityKind)


def _promises_now(instance):
    """The promise the instance belongs to as it is in memory (after a save: as stored now)."""
    lookup, parent_field = _tree()[type(instance)]
    parent_lookup = lookup.rpartition("__")[0] or "pk"
    return Promise.objects.filter(**{parent_lookup: getattr(instance, parent_field)})


def _remember_promises_before(sender, instance, **kwargs):
    """Before an edit or delete: the promise the stored row belongs to, which the edit may move it away from."""
    tree = _tree()
    if sender not in tree or instance.pk is None or instance._state.adding:
        return
    lookup, _parent = tree[sender]
    instance._promises_before = list(Promise.objects.filter(**{lookup: instance.pk}).values_list("pk", flat=True))


def _bump_after_tree_write(sender, instance, **kwargs):
    promises = _promises_now(instance)
    before = getattr(instance, "_promises_before", None)
    if before:
        promises = promises | Promise.objects.filter(pk__in=before)
    bump_promises(promises)


def _set_promise_token(sender, instance, **kwargs):
    """A promise's own edits change its token in the same UPDATE."""
    instance.data_version = new_token()


def _bump_after_promise_write(sender, instance, **kwargs):
    # The promise's own row already has its new token; its municipalities follow (a deleted one has none left).
    Municipality.objects.filter(promises=instance.pk).update(data_version=new_token())


def _remember_promise_municipalities(sender, instance, **kwargs):
    instance._municipalities_before = list(instance.municipalities.values_list("pk", flat=True))


def _bump_after_promise_delete(sender, instance, **kwargs):
    Municipality.objects.filter(pk__in=instance._municipalities_before).update(data_version=new_token())


def _bump_after_reference_write(sender, instance, **kwargs):
    bump_everything()


def _bump_after_m2m_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove") and not pk_set:
        return  # set() with what is already there: nothing changed
    if sender is Promise.municipalities.through and not reverse:
        _bump_after_promise_moves(instance, action, pk_set)
        return
    if not action.startswith("post_"):
        return
    if reverse or type(instance) in _reference_models():
        # Edited from the organisation's or place's side, or the reference data's own links: rare
        # administrative edits, which any page may show.
        bump_everything()
    elif isinstance(instance, Promise):
        bump_promises(Promise.objects.filter(pk=instance.pk))
    else:
        bump_promises(_promises_now(instance))


def _bump_after_promise_moves(promise, action, pk_set):
    """A promise added to or removed from municipalities: its token, theirs, and those it still belongs to."""
    if action == "pre_clear":
        promise._municipalities_before = list(promise.municipalities.values_list("pk", flat=True))
        return
    if not action.startswith("post_"):
        return
    token = new_token()
    Promise.objects.filter(pk=promise.pk).update(data_version=token)
    affected = {*(pk_set or ()), *getattr(promise, "_municipalities_before", ())}
    Municipality.objects.filter(Q(pk__in=affected) | Q(promises=promise.pk)).update(data_version=token)


@cache
def _tree_m2m_senders():
    from activities.models import Activity, ActivityRecord
    from followup.models import Council

    from .models import Organisation

    return (
        Promise.municipalities.through,
        Promise.signatories.through,
        Activity.partner_organisations.through,
        Activity.target_places.through,
        ActivityRecord.participating_organisations.through,
        Organisation.municipalities.through,
        Council.municipalities.through,
    )


def connect():
    """Connects the receivers; called once from the app's ``ready``."""
    uid = "promises.versions"
    pre_save.connect(_set_promise_token, sender=Promise, dispatch_uid=f"{uid}.promise.pre_save")
    post_save.connect(_bump_after_promise_write, sender=Promise, dispatch_uid=f"{uid}.promise.post_save")
    pre_delete.connect(_remember_promise_municipalities, sender=Promise, dispatch_uid=f"{uid}.promise.pre_delete")
    post_delete.connect(_bump_after_promise_delete, sender=Promise, dispatch_uid=f"{uid}.promise.post_delete")
    for model in _tree():
        name = f"{uid}.{model._meta.label_lower}"
        pre_save.connect(_remember_promises_before, sender=model, dispatch_uid=f"{name}.pre_save")
        pre_delete.connect(_remember_promises_before, sender=model, dispatch_uid=f"{name}.pre_delete")
        post_save.connect(_bump_after_tree_write, sender=model, dispatch_uid=f"{name}.post_save")
        post_delete.connect(_bump_after_tree_write, sender=model, dispatch_uid=f"{name}.post_delete")
    for model in _reference_models():
        name = f"{uid}.{model._meta.label_lower}"
        post_save.connect(_bump_after_reference_write, sender=model, dispatch_uid=f"{name}.post_save")
        post_delete.connect(_bump_after_reference_write, sender=model, dispatch_uid=f"{name}.post_delete")
    for through in _tree_m2m_senders():
        m2m_changed.connect(_bump_after_m2m_change, sender=through, dispatch_uid=f"{uid}.{through._meta.label_lower}")
