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

Which models count is not known here: each app registers its own in its ``AppConfig.ready()`` with
:func:`register_under_promise`, :func:`register_reference` and :func:`register_links`, so this module imports
nothing above it. A test fails when a model that links to a promise is left out.

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``, raw SQL) must either sit in a
transaction that also saves a model of the same promise (as the report workflow's ``_advance`` and
``report_create`` do) or call :func:`bump_promises` / :func:`bump_everything` themselves. ``generate_national``
writes fresh tokens with its rows.

The read side is here too: :func:`municipality_version` reads a municipality's token in one small query, and
:func:`read_through` serves a response kept under it (the public pages, their feeds and the API lists use it).
"""

import hashlib
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone, translation

from .models import Municipality, Promise

_UID = "promises.versions"


@dataclass(frozen=True)
class UnderPromise:
    """How to find the promise of a model registered with :func:`register_under_promise`."""

    path: str  # the lookup from Promise to the model, e.g. "activities__records"
    parent: str  # the model's field that holds its parent's id, e.g. "activity_id"

    @property
    def parent_path(self) -> str:
        """The lookup from Promise to the parent, or "pk" when the parent is the promise itself."""
        return self.path.rpartition("__")[0] or "pk"


# The registry, filled by the apps' ready() methods.
_under_promise: dict = {}
_reference: set = set()
_links: set = set()


def new_token():
    return uuid.uuid4()


# Registration ---------------------------------------------------------------------------------------------


def register_under_promise(model, *, path: str, parent: str) -> None:
    """Renew the promise's token (and its municipalities') whenever a row of ``model`` is written.

    ``path`` is the lookup from Promise to ``model`` and ``parent`` the model's field holding its parent's id.
    """
    _under_promise[model] = UnderPromise(path=path, parent=parent)
    name = f"{_UID}.{model._meta.label_lower}"
    pre_save.connect(_remember_promises_before, sender=model, dispatch_uid=f"{name}.pre_save")
    pre_delete.connect(_remember_promises_before, sender=model, dispatch_uid=f"{name}.pre_delete")
    post_save.connect(_bump_after_tree_write, sender=model, dispatch_uid=f"{name}.post_save")
    post_delete.connect(_bump_after_tree_write, sender=model, dispatch_uid=f"{name}.post_delete")


def register_reference(*models) -> None:
    """Renew every token when a row of one of these shared models (shown by name on any page) is written."""
    for model in models:
        _reference.add(model)
        name = f"{_UID}.{model._meta.label_lower}"
        post_save.connect(_bump_after_reference_write, sender=model, dispatch_uid=f"{name}.post_save")
        post_delete.connect(_bump_after_reference_write, sender=model, dispatch_uid=f"{name}.post_delete")


def register_links(*through_models) -> None:
    """Renew the tokens a many-to-many link touches when it changes (``Model.field.through``)."""
    for through in through_models:
        _links.add(through)
        m2m_changed.connect(_bump_after_m2m_change, sender=through, dispatch_uid=f"{_UID}.{through._meta.label_lower}")


def registered():
    """What is registered: ({model: UnderPromise}, reference models, link tables), for the completeness test."""
    return dict(_under_promise), frozenset(_reference), frozenset(_links)


def connect() -> None:
    """Registers the promise itself and this app's models; called from the app's ``ready``."""
    from .models import FocusArea, MunicipalitySettings, Organisation, Place, PromiseLinkRequest

    pre_save.connect(_set_promise_token, sender=Promise, dispatch_uid=f"{_UID}.promise.pre_save")
    post_save.connect(_bump_after_promise_write, sender=Promise, dispatch_uid=f"{_UID}.promise.post_save")
    pre_delete.connect(_remember_promise_municipalities, sender=Promise, dispatch_uid=f"{_UID}.promise.pre_delete")
    post_delete.connect(_bump_after_promise_delete, sender=Promise, dispatch_uid=f"{_UID}.promise.post_delete")
    register_under_promise(FocusArea, path="focus_areas", parent="promise_id")
    register_under_promise(PromiseLinkRequest, path="link_requests", parent="promise_id")
    register_reference(Municipality, Place, Organisation, MunicipalitySettings)
    register_links(Promise.municipalities.through, Promise.signatories.through, Organisation.municipalities.through)


# Bumping --------------------------------------------------------------------------------------------------


# Inside renewed_once(): the promises whose renewal waits for the end of the block (None outside one).
_deferred = threading.local()


def bump_promises(promises):
    """New tokens for these promises (a Promise QuerySet) and for every municipality they belong to.

    One statement on PostgreSQL (a data-modifying WITH), two UPDATEs elsewhere. Inside :func:`renewed_once` the
    renewal waits for the end of the block, where all of its promises are renewed together.
    """
    pending = getattr(_deferred, "promises", None)
    if pending is not None:
        pending.append(promises)
        return
    token = new_token()
    ids = promises.values("pk")
    if connection.vendor == "postgresql":
        _bump_in_one_statement(ids, token)
        return
    Promise.objects.filter(pk__in=ids).update(data_version=token)
    Municipality.objects.filter(promises__in=ids).update(data_version=token)


def _bump_in_one_statement(ids, token):
    """Both UPDATEs of :func:`bump_promises` as one round trip: the promises, then their municipalities."""
    quote = connection.ops.quote_name
    promise, municipality = Promise._meta, Municipality._meta
    links = Promise.municipalities.through._meta
    version = quote(promise.get_field("data_version").column)
    ids_sql, params = ids.query.sql_with_params()
    sql = (
        f"WITH renewed AS (UPDATE {quote(promise.db_table)} SET {version} = %s "  # noqa: S608
        f"WHERE {quote(promise.pk.column)} IN ({ids_sql}) RETURNING {quote(promise.pk.column)}) "
        f"UPDATE {quote(municipality.db_table)} SET {quote(municipality.get_field('data_version').column)} = %s "
        f"WHERE {quote(municipality.pk.column)} IN (SELECT {quote(links.get_field('municipality').column)} "
        f"FROM {quote(links.db_table)} WHERE {quote(links.get_field('promise').column)} IN "
        f"(SELECT {quote(promise.pk.column)} FROM renewed))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token, *params, token])


@contextmanager
def renewed_once():
    """The data versions the writes inside the block renew, renewed once at its end instead of after each write.

    For a service that writes several rows of one promise in one transaction (a record, its history and its
    organisations): one renewal, not one per write. Still inside the caller's transaction and after its writes,
    so the rule above holds. A block inside another one leaves the renewal to the outer block; a block left by an
    exception renews nothing (its writes are rolled back with it).
    """
    if getattr(_deferred, "promises", None) is not None:
        yield
        return
    _deferred.promises = []
    try:
        yield
        pending = _deferred.promises
    finally:
        _deferred.promises = None
    if pending:
        combined = pending[0]
        for promises in pending[1:]:
            combined = combined | promises
        bump_promises(combined)


def bump_everything():
    """New tokens everywhere: for changes to shared reference data, which any page may show."""
    token = new_token()
    Promise.objects.update(data_version=token)
    Municipality.objects.update(data_version=token)


def _promises_now(instance):
    """The promise the instance belongs to as it is in memory (after a save: as stored now)."""
    found = _under_promise[type(instance)]
    return Promise.objects.filter(**{found.parent_path: getattr(instance, found.parent)})


def _remember_promises_before(sender, instance, **kwargs):
    """Before an edit or delete: the promise the stored row belongs to, which the edit may move it away from."""
    if sender not in _under_promise or instance.pk is None or instance._state.adding:
        return
    path = _under_promise[sender].path
    instance._promises_before = list(Promise.objects.filter(**{path: instance.pk}).values_list("pk", flat=True))


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
    if reverse or type(instance) in _reference:
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


# Reading under a version ----------------------------------------------------------------------------------

# Tokens make a copy exact; the timeout only lets copies of old tokens and days go.
COPY_TIMEOUT = 24 * 60 * 60
# A longer address is not kept: nobody links to it, and it could only fill the cache.
MAX_PATH_LENGTH = 300


def municipality_version(slug):
    """The municipality's data version, or None for an unknown slug: the one query a cached answer costs.

    Plain SQL because it runs on every hit, where building the ORM query took about a sixth of the answer's time.
    """
    meta = Municipality._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(meta.get_field('data_version').column)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.get_field('slug').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    # The UUID as the field reads it: a uuid on PostgreSQL, 32 hex digits on SQLite.
    return meta.get_field("data_version").to_python(row[0])


def copy_key(request, municipality_slug, token, *extra) -> str:
    """The key of a kept answer: the municipality's version, the address as asked for (pages and feeds carry
    absolute links), the language and the day."""
    parts = [
        municipality_slug,
        token.hex,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate(),
        *extra,
    ]
    return "page:" + hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def read_through(request, municipality_slug, build, *, keep, thaw, extra=()):
    """The answer to ``request`` kept under the municipality's data version, or ``build()`` kept for next time.

    ``keep(answer)`` is what to store of a fresh answer (None: store nothing, e.g. for an error), and
    ``thaw(kept)`` turns what was stored back into an answer (None: the copy is no longer good). An unknown
    municipality, or an address too long to be worth keeping, is answered by ``build()`` alone.
    """
    if len(request.get_full_path()) > MAX_PATH_LENGTH:
        return build()
    token = municipality_version(municipality_slug)
    if token is None:
        return build()
    key = copy_key(request, municipality_slug, token, *extra)
    kept = cache.get(key)
    if kept is not None:
        answer = thaw(kept)
        if answer is not None:
            return answer
    answer = build()
    copy = keep(answer)
    if copy is not None:
        cache.set(key, copy, COPY_TIMEOUT)
    return answer
