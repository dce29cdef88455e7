"""Who may see and change what: the one place that answers it for staff pages and the admin alike.

A user works for organisations through memberships that carry a role; each organisation serves one or more
municipalities. Everything a user sees is limited to those municipalities, and the role decides what they
may do there. Superusers are administrators of every municipality. Outside the scope an object answers 404,
so callers filter with the models' ``in_scope_of`` QuerySets and use ``get_object_or_404`` on the result.

This module imports no model: the models' QuerySets build on it, and it reads a user's memberships through
the user's own relation. Checks on one promise take the promise and read its municipalities through
``promise.municipalities.all()``, so a caller that prefetched them pays no query.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The role a membership gives in its organisation's municipalities (DESIGN §2)."""

    RECORDER = "recorder", _("Recorder")
    COORDINATOR = "coordinator", _("Coordinator")
    COUNCIL = "council", _("Council member")


def _municipality_ids_of(promise) -> set:
    # .all() rather than values_list(): it uses the municipalities an access helper already prefetched.
    return {municipality.pk for municipality in promise.municipalities.all()}


@dataclass(frozen=True)
class Scope:
    """What one user's memberships give them, read with one query and kept for the request."""

    is_administrator: bool = False
    # role -> municipality ids where the user has that role through some organisation
    municipalities_by_role: dict = field(default_factory=dict)
    # role -> organisation ids where the user has that role
    organisations_by_role: dict = field(default_factory=dict)
    # Whether one of the user's organisations requires a second factor (read with the memberships; None when the
    # memberships were not read, as for an administrator, whose scope needs none).
    second_factor_required: bool | None = None

    @property
    def municipality_ids(self) -> frozenset:
        return frozenset().union(*self.municipalities_by_role.values())

    @property
    def organisation_ids(self) -> frozenset:
        return frozenset().union(*self.organisations_by_role.values())

    def municipalities_where(self, *roles) -> frozenset:
        return frozenset().union(*(self.municipalities_by_role.get(role, ()) for role in roles))

    def organisations_where(self, *roles) -> frozenset:
        return frozenset().union(*(self.organisations_by_role.get(role, ()) for role in roles))

    # Somewhere at all ----------------------------------------------------------------------------------

    @property
    def is_coordinator(self) -> bool:
        """Whether the user coordinates some municipality (or administers them all)."""
        return self.is_administrator or bool(self.municipalities_by_role.get(Role.COORDINATOR))

    @property
    def is_council_member(self) -> bool:
        return bool(self.municipalities_by_role.get(Role.COUNCIL))

    @property
    def is_staff_member(self) -> bool:
        return self.is_administrator or bool(self.organisations_by_role)

    @property
    def logs_work(self) -> bool:
        """Whether the user logs activities (recorders and coordinators): a council member only reads and decides."""
        return self.is_administrator or bool(
            self.organisations_by_role.get(Role.RECORDER) or self.organisations_by_role.get(Role.COORDINATOR)
        )

    def has_role(self, *roles) -> bool:
        """Whether the user has one of these roles in some municipality (administrators have every role)."""
        return self.is_administrator or bool(self.municipalities_where(*roles))

    # On one promise or municipality --------------------------------------------------------------------

    def has_role_in(self, municipality_ids, *roles) -> bool:
        """Whether the user has one of these roles in one of these municipalities (or administers)."""
        return self.is_administrator or bool(self.municipalities_where(*roles) & set(municipality_ids))

    def is_coordinator_of(self, promise) -> bool:
        """Whether the user coordinates one of the promise's municipalities (a promise may span several)."""
        return self.has_role_in(_municipality_ids_of(promise), Role.COORDINATOR)

    def is_council_member_of(self, promise) -> bool:
        """Whether the user sits on the forum of one of the promise's municipalities (or administers)."""
        return self.has_role_in(_municipality_ids_of(promise), Role.COUNCIL)

    def follows_up(self, promise) -> bool:
        """Whether the user may read the promise's dashboards and reports: its coordinators and council."""
        return self.has_role_in(_municipality_ids_of(promise), Role.COORDINATOR, Role.COUNCIL)

    # For queries ---------------------------------------------------------------------------------------

    def municipality_filter(self, path: str, *roles) -> Q:
        """A Q limiting a query to these roles' municipalities, through the lookup path to a municipality id."""
        if self.is_administrator:
            return Q()
        ids = self.municipalities_where(*roles) if roles else self.municipality_ids
        return Q(**{f"{path}__in": ids})


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object so a request reads memberships once.

    With ``SCOPE_CACHE`` (on with a shared cache) it is also kept in the cache under the memberships version, so
    that a logged-in request reads no memberships at all until one changes (:func:`renew_memberships_version`).
    """
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or not user.is_active:
        scope = Scope()
    elif user.is_superuser:
        scope = Scope(is_administrator=True)
    elif settings.SCOPE_CACHE:
        scope = _cached_scope(user)
    else:
        scope = _read_scope(user)
    user._portal_scope = scope
    return scope


def _read_scope(user) -> Scope:
    municipalities: dict = {}
    organisations: dict = {}
    second_factor_required = False
    rows = user.memberships.order_by().values_list(
        "role", "organisation_id", "organisation__municipalities", "organisation__requires_mfa"
    )
    for role, organisation_id, municipality_id, requires_mfa in rows:
        second_factor_required = second_factor_required or requires_mfa
        organisations.setdefault(role, set()).add(organisation_id)
        if municipality_id is not None:
            municipalities.setdefault(role, set()).add(municipality_id)
    return Scope(
        municipalities_by_role={role: frozenset(ids) for role, ids in municipalities.items()},
        organisations_by_role={role: frozenset(ids) for role, ids in organisations.items()},
        second_factor_required=second_factor_required,
    )


# --- The scope in the cache --------------------------------------------------------------------------------------
#
# One version for every user's scope: memberships change rarely (a grant, an end, an organisation's municipalities
# or its second-factor rule), and one version is exact however a change reaches many users. It lives in the cache,
# not the database, so reading it costs no query; when the cache has lost it, a new one is made, which only means
# every scope is read again once.

VERSION_KEY = "portal:memberships-version"
SCOPE_TIMEOUT = 60 * 60  # an hour: entries of old versions and of users who left fall out on their own


def _scope_key(version, user_id) -> str:
    return f"portal:scope:{version}:{user_id}"


def memberships_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def renew_memberships_version() -> None:
    """Makes every cached scope stale: called after every write that can change someone's scope.

    Renewed at once (so the rest of the transaction, and the next request, see the change) and again once the
    transaction commits: a request that read the first new version before the commit may have stored the old
    memberships under it, and the second renewal makes sure nobody reads that entry.
    """
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))


def _cached_scope(user) -> Scope:
    version = memberships_version()
    if version is None:  # a cache that keeps nothing (the dummy cache)
        return _read_scope(user)
    key = _scope_key(version, user.pk)
    kept = cache.get(key)
    if kept is not None:
        municipalities, organisations, second_factor_required = kept
        return Scope(
            municipalities_by_role={role: frozenset(ids) for role, ids in municipalities.items()},
            organisations_by_role={role: frozenset(ids) for role, ids in organisations.items()},
            second_factor_required=second_factor_required,
        )
    scope = _read_scope(user)
    # Plain strings, tuples and booleans: what any cache backend stores and any release reads back.
    cache.set(
        key,
        (
            {str(role): tuple(sorted(ids)) for role, ids in scope.municipalities_by_role.items()},
            {str(role): tuple(sorted(ids)) for role, ids in scope.organisations_by_role.items()},
            scope.second_factor_required,
        ),
        timeout=SCOPE_TIMEOUT,
    )
    return scope
