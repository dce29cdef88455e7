"""The workspace's councils: the forums that review the promises of the user's municipalities.

A joint council of several municipalities is edited by a coordinator of any of them; the municipalities they do not
coordinate are shown by name and kept as they are when the form is saved (CouncilForm).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from followup.forms import CouncilForm
from followup.models import Council
from promises.models import Municipality
from promises.scope import Role

from ..kept_forms import form_data
from .workspace import require_coordinator


@login_required
@require_safe
def council_list(request):
    """The councils of the municipalities the user coordinates, with every municipality of each: two queries."""
    require_coordinator(request.user)
    councils = (
        Council.objects.in_scope_of(request.user, Role.COORDINATOR)
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .order_by("name", "pk")
    )
    return render(request, "staff/workspace/councils.html", {"councils": councils})


@login_required
@require_http_methods(["GET", "POST"])
def council_edit(request, council_id):
    require_coordinator(request.user)
    council = get_object_or_404(Council.objects.in_scope_of(request.user, Role.COORDINATOR), pk=council_id)
    form = CouncilForm(form_data(request), instance=council, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("%(council)s was saved.") % {"council": council})
        return redirect("workspace:councils")
    return render(
        request,
        "staff/workspace/council_form.html",
        {"form": form, "council": council},
        status=409 if form.stale else 200,
    )
