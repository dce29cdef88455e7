"""The workspace's places: the districts and named sites of the municipalities the user coordinates.

A site may lie in a district. Places are added and renamed here, never deleted: records, targets and planned
events count on them. A place no longer in use is retired: offered for nothing new, still named where it was used.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from promises.forms import PlaceForm
from promises.models import Municipality, Place
from promises.scope import Role

from ..kept_forms import form_data
from .workspace import require_coordinator

# An administrator sees every municipality's places: a page holds this many municipalities.
MUNICIPALITIES_PER_PAGE = 10


def _place_for_coordinator(user, place_id):
    """A place of a municipality the user coordinates; 404 for anything else."""
    require_coordinator(user)
    places = Place.objects.in_scope_of(user, Role.COORDINATOR).select_related("municipality")
    return get_object_or_404(places, pk=place_id)


@login_required
@require_safe
def place_list(request):
    """Each municipality's districts, with the sites in them, and the sites in no district: a fixed number of
    queries."""
    require_coordinator(request.user)
    municipalities = Municipality.objects.in_scope_of(request.user, Role.COORDINATOR).order_by("name", "pk")
    page = Paginator(municipalities, MUNICIPALITIES_PER_PAGE).get_page(request.GET.get("sida"))
    shown = list(page)
    by_municipality = {municipality.pk: [] for municipality in shown}
    for place in Place.objects.filter(municipality__in=shown).order_by("name", "pk"):
        by_municipality[place.municipality_id].append(place)
    groups = []
    for municipality in shown:
        places = by_municipality[municipality.pk]
        districts = [place for place in places if place.kind == Place.Kind.DISTRICT]
        sites = {district.pk: [] for district in districts}
        loose = []
        for place in places:
            if place.kind == Place.Kind.SITE:
                sites.get(place.parent_id, loose).append(place)
        groups.append(
            {
                "municipality": municipality,
                "districts": [(district, sites[district.pk]) for district in districts],
                "loose": loose,
            }
        )
    return render(request, "staff/workspace/places.html", {"groups": groups, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request):
    require_coordinator(request.user)
    form = PlaceForm(form_data(request), user=request.user, initial={"kind": Place.Kind.DISTRICT})
    if request.method == "POST" and form.is_valid():
        place = form.save()
        names = {"place": place.name, "municipality": place.municipality.name}
        messages.success(request, _("%(place)s was added to %(municipality)s.") % names)
        return redirect("workspace:places")
    return render(request, "staff/workspace/place_form.html", {"form": form, "place": None})


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request, place_id):
    place = _place_for_coordinator(request.user, place_id)
    form = PlaceForm(form_data(request), instance=place, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The place %(place)s was saved.") % {"place": place})
        return redirect("workspace:places")
    return render(
        request, "staff/workspace/place_form.html", {"form": form, "place": place}, status=409 if form.stale else 200
    )


@login_required
@require_POST
def place_retire(request, place_id):
    """Retires the place (or, with ``bring_back``, takes it into use again): the button on its edit page."""
    place = _place_for_coordinator(request.user, place_id)
    if "bring_back" in request.POST:
        place.retired_at = None
        place.save(update_fields=["retired_at"])
        messages.success(request, _("%(place)s is offered again.") % {"place": place.name})
    else:
        place.retire()
        messages.success(
            request,
            _("%(place)s was retired: it is offered for nothing new and stays on what already names it.")
            % {"place": place.name},
        )
    return redirect("workspace:places")
