from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control


def csrf_failure(request, reason=""):
    """A form whose CSRF token no longer matches: usually a page left open across a log-out or a new session."""
    return render(request, "403_csrf.html", status=403)


@cache_control(max_age=60 * 60 * 24 * 7, public=True)
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links: the portal's icon instead of a 404 per page."""
    path = finders.find("icons/favicon.ico")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
