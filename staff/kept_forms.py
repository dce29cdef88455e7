"""A form sent after the session ended is kept through the log-in (issue 18: nothing typed is lost).

config.middleware.KeepFormThroughLoginMiddleware stores what an anonymous POST to a staff page carried (never a
file, never the CSRF token or a password) in the new session, under the page's path. After the log-in the user
is sent back to that page with GET, and a form view asks `take_kept_form(request)` for the data to bind its form
with: the form shows what was typed, checked as if it had been sent, and nothing is saved until it is sent again.
"""

from django.http import QueryDict

SESSION_KEY = "portal_kept_form"
# Fields that must never be kept: the token is the old session's, a password is never stored.
NEVER_KEPT = {"csrfmiddlewaretoken", "password", "password1", "password2", "old_password", "new_password1"}


def keep_form(request):
    """Store the POST's fields for its path in the (anonymous) session; survives the log-in's cycle_key()."""
    pairs = [(key, value) for key, values in request.POST.lists() if key not in NEVER_KEPT for value in values]
    request.session[SESSION_KEY] = {"path": request.get_full_path(), "data": pairs}


def take_kept_form(request):
    """The kept fields for this page as a QueryDict, once, or None (a GET only: a new POST wins; nothing kept, a form
    of a file alone, is None too)."""
    if request.method != "GET" or SESSION_KEY not in request.session:
        return None
    kept = request.session[SESSION_KEY]
    if kept.get("path") != request.get_full_path():
        return None
    del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for key, value in kept.get("data", []):
        data.appendlist(key, value)
    return data or None


def form_data(request):
    """The data a staff form view binds its form with: the POST (even an empty one, a button alone), on a GET the
    fields kept through a log-in for this page (once), else None. Every staff form view that is shown and sent at
    the same address uses this, so no form loses what was typed when the session ends."""
    if request.method == "POST":
        return request.POST
    return take_kept_form(request)
