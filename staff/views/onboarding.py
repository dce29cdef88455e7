"""The administrators' onboarding page: a new municipality, its organisations, districts, forum and the first
coordinator's invitation in one form (staff/onboarding.py). Anyone but a superuser gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..kept_forms import form_data
from ..onboarding import OnboardingForm, onboard


@login_required
@require_http_methods(["GET", "POST"])
def onboard_municipality(request):
    if not request.user.is_superuser:
        raise Http404
    form = OnboardingForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        municipality, invitation = onboard(
            by=request.user,
            data=form.cleaned_data,
            link_for=lambda token: request.build_absolute_uri(reverse("invitation:accept", args=[token])),
        )
        messages.success(
            request,
            _("%(municipality)s was created, and %(email)s was invited to coordinate it.")
            % {"municipality": municipality.name, "email": invitation.email},
        )
        return redirect("workspace:municipality_settings", slug=municipality.slug)
    return render(request, "staff/workspace/onboard.html", {"form": form})
