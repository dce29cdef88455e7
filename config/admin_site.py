"""The portal's admin site: every ModelAdmin registered on it, the portal's own and those of installed packages
(axes, …), gets a list page that refuses parameters it cannot use instead of answering 500.

Django's list page turns an unknown lookup or a malformed value into a reload with ``?e=1`` ("Fel i filtret"), but
not a value that overflows: ``?occurred_on__year=99999999999999999999`` raises OverflowError while the date
hierarchy builds its dates, an id beyond 64 bits raises OverflowError on SQLite and DataError on PostgreSQL when
the list is counted. Guarding the site's ``register`` means a new admin cannot forget it.
"""

import functools

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db import DataError, transaction


@functools.cache
def _guarded_changelist(changelist_class):
    class GuardedChangeList(changelist_class):
        def __init__(self, request, model, *args, **kwargs):
            try:
                # A savepoint, so that PostgreSQL's refusal does not leave the request's transaction broken.
                with transaction.atomic(using=model.objects.db):
                    super().__init__(request, model, *args, **kwargs)
            except (OverflowError, DataError) as error:
                raise IncorrectLookupParameters(error) from error

    GuardedChangeList.__name__ = GuardedChangeList.__qualname__ = f"Guarded{changelist_class.__name__}"
    return GuardedChangeList


class GuardedChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return _guarded_changelist(super().get_changelist(request, **kwargs))


@functools.cache
def guarded(admin_class):
    """``admin_class`` with the guarded list page (one subclass per class, named as the class)."""
    if issubclass(admin_class, GuardedChangeListMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (GuardedChangeListMixin, admin_class),
        {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
    )


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, guarded(admin_class or admin.ModelAdmin), **options)
