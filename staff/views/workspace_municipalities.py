"""The workspace's municipality settings (issue 16): what a coordinator keeps about each municipality they
coordinate. The contact e-mail and phone residents reach about the promises, shown on the municipality's public
pages and in its accessibility statement; what that statement says beyond the national one; and the forums that
follow up its promises (kept on the councils' pages, linked from here).

Only the municipalities the user coordinates are listed or open; any other answers 404. A save on a form someone
else saved meanwhile is refused with their version shown; every save is kept in the settings' history.

An administrator also sees there the identity providers of the municipality's organisations, and registers a new
one on its own page (issue 16): the people of that organisation then log in, and accept invitations, through it.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from followup.models import Council
from promises.forms import IdentityProviderForm, MunicipalitySettingsForm
from promises.models import IdentityProvider, Municipality, MunicipalitySettings
from promises.scope import Role

from ..kept_forms import form_data
from .workspace import require_coordinator

security = logging.getLogger("portal.security")

# The first key of the settings' lock (PostgreSQL's advisory locks take two): "MS" for municipality settings.
_SETTINGS_LOCK = 0x4D53


def _coordinated(user):
    return Municipality.objects.in_scope_of(user, Role.COORDINATOR)


def _lock_settings_of(municipality):
    """Locks the municipality's settings for the rest of the request, so that of two saves sent at once the second
    waits for the first and sees it (and is refused as stale).

    A lock of its own (PostgreSQL's advisory lock for the transaction), not the municipality's row: the save renews
    every data version, promises first and municipalities after (promises.versions), while a record logged meanwhile
    has renewed its promise and waits for its municipality's row; holding that row from the start deadlocked the
    two (found by the two-server soak, docs/OPERATIONS.md §12). SQLite writes one transaction at a time: no lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SETTINGS_LOCK, municipality.pk])


@login_required
@require_safe
def municipality_list(request):
    """The municipalities the user coordinates, with their contact and forums: three queries."""
    require_coordinator(request.user)
    municipalities = list(
        _coordinated(request.user)
        .select_related("settings")
        .prefetch_related(Prefetch("councils", queryset=Council.objects.order_by("name")))
        .order_by("name")
    )
    for municipality in municipalities:
        # A municipality whose coordinators have saved nothing yet has no settings row.
        municipality.kept = getattr(municipality, "settings", None)
    return render(request, "staff/workspace/municipalities.html", {"municipalities": municipalities})


@login_required
@require_http_methods(["GET", "POST"])
def municipality_settings(request, slug):
    require_coordinator(request.user)
    municipality = get_object_or_404(_coordinated(request.user), slug=slug)
    if request.method == "POST":
        _lock_settings_of(municipality)
    settings = MunicipalitySettings.objects.filter(municipality=municipality).first()
    settings = settings or MunicipalitySettings(municipality=municipality)
    form = MunicipalitySettingsForm(form_data(request), instance=settings)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The settings of %(municipality)s were saved.") % {"municipality": municipality})
        return redirect("workspace:municipalities")
    councils = Council.objects.filter(municipalities=municipality).order_by("name")
    providers = None
    if request.user.is_superuser:
        providers = list(_providers_of(municipality))
    return render(
        request,
        "staff/workspace/municipality_form.html",
        {"form": form, "municipality": municipality, "councils": councils, "providers": providers},
        status=409 if form.stale else 200,
    )


def _providers_of(municipality):
    return (
        IdentityProvider.objects.filter(organisation__municipalities=municipality)
        .select_related("organisation")
        .order_by("name")
    )


def callback_address(request, provider):
    """The redirect address to register at the provider."""
    return request.build_absolute_uri(reverse("openid_connect_callback", args=[provider.slug]))


@login_required
@require_http_methods(["GET", "POST"])
def identity_provider_create(request, slug):
    """An administrator registers the OpenID Connect provider of one of the municipality's organisations."""
    if not request.user.is_superuser:
        raise Http404
    municipality = get_object_or_404(Municipality, slug=slug)
    form = IdentityProviderForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        provider = form.save()
        security.info(
            "identity provider registered: provider=%s organisation=%s by=%s",
            provider.slug,
            provider.organisation_id,
            request.user.pk,
        )
        messages.success(
            request,
            _(
                "%(name)s was registered. At the provider, register the redirect address %(address)s; then set "
                "%(variable)s to the client secret on every app server and restart."
            )
            % {
                "name": provider.name,
                "address": callback_address(request, provider),
                "variable": provider.secret_variable,
            },
        )
        return redirect("workspace:municipality_settings", slug=municipality.slug)
    return render(request, "staff/workspace/identity_provider_form.html", {"form": form, "municipality": municipality})
