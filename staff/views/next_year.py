"""Starting next year's promise as a draft copy of this one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup.next_year import PromiseCopyError, promise_copy_for_next_year

from ..access import promise_for_coordinator


@login_required
@require_POST
def promise_copy_next_year(request, promise_id):
    """Starts the next promise as a draft copy of this one and opens it in the workspace for editing."""
    promise = promise_for_coordinator(request.user, promise_id)
    try:
        new, created = promise_copy_for_next_year(promise=promise, by=request.user)
    except PromiseCopyError as error:
        messages.error(request, str(error))
        return redirect("followup:dashboard", promise_id=promise.pk)
    if created:
        messages.success(request, _("A draft for %(year)s was created.") % {"year": new.year})
    else:
        messages.info(request, _("The draft for %(year)s already exists: here it is.") % {"year": new.year})
    return redirect(reverse("workspace:promise", args=[new.pk]))
