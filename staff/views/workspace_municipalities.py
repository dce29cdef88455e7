"""The workspace's municipality settings (issue 16): what a coordinator keeps about each municipality they
coordinate. The contact e-mail and phone residents reach about the promises, shown on the municipality's public
pages and in its accessibility statement; what that statement says beyond the national one; and the forums that
follow up its promises (kept on the councils' pages, linked from here).

Only the municipalities the user coordinates are listed or open; any other answers 404. A save on a form someone
else saved meanwhile is refused with their version shown; every save is kept in the settings' history.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from followup.models import Council
from promises.forms import MunicipalitySettingsForm
from promises.models import Municipality, MunicipalitySettings
from promises.scope import Role

from ..kept_forms import form_data
from .workspace import require_coordinator


def _coordinated(user):
    return Municipality.objects.in_scope_of(user, Role.COORDINATOR)


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
        # Locked for the rest of the request, so that of two saves sent at once the second sees the first.
        Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
        settings = MunicipalitySettings.objects.filter(municipality=municipality).first()
    else:
        settings = MunicipalitySettings.objects.filter(municipality=municipality).first()
    settings = settings or MunicipalitySettings(municipality=municipality)
    form = MunicipalitySettingsForm(form_data(request), instance=settings)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("The settings of %(municipality)s were saved.") % {"municipality": municipality})
        return redirect("workspace:municipalities")
    councils = Council.objects.filter(municipalities=municipality).order_by("name")
    return render(
        request,
        "staff/workspace/municipality_form.html",
        {"form": form, "municipality": municipality, "councils": councils},
        status=409 if form.stale else 200,
    )
