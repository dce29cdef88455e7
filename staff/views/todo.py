""" "Att göra": the page everyone lands on after log-in, their notices, and their notice settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from notices.forms import StaffPreferenceForm
from notices.models import StaffPreference
from notices.todo import notice_open, todo_for

from ..kept_forms import form_data


@login_required
@require_safe
def start(request):
    return render(request, "staff/todo.html", {"todo": todo_for(request.user)})


@login_required
@require_http_methods(["POST"])
def open_notice(request, notice_id):
    """Marks the notice read and goes where it points; another person's notice answers 404."""
    url = notice_open(request.user, notice_id)
    if url is None:
        raise Http404
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = settings.LOGIN_REDIRECT_URL
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request):
    preference = StaffPreference.objects.filter(user=request.user).first() or StaffPreference(
        user=request.user, language=settings.LANGUAGE_CODE
    )
    form = StaffPreferenceForm(form_data(request), preference=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notice settings are saved."))
        return redirect("todo:settings")
    return render(request, "staff/notice_settings.html", {"form": form})
