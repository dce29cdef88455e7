import time

from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from config.middleware import REFRESHED_AT


def csrf_failure(request, reason=""):
    """A form whose CSRF token no longer matches: usually a page left open across a log-out or a new session."""
    return render(request, "403_csrf.html", status=403)


@cache_control(max_age=60 * 60 * 24 * 7, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the portal's icon instead of a 404 per page."""
    path = finders.find("icons/favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_POST
def session_keepalive(request):
    """The session warning's "stay logged in": saving the session pushes its idle expiry ahead (204, no page).

    Without a session there is nothing to keep: the log-in page, which says why, instead.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.POST.get("next") or "/")
    request.session[REFRESHED_AT] = int(time.time())
    return HttpResponse(status=204)
