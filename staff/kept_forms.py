"""A form sent after the session ended is kept through the log-in (issue 18: nothing typed is lost).

config.middleware.KeepFormThroughLoginMiddleware stores what an anonymous POST to a staff page carried (never a
file, never the CSRF token or a password) in the new session, under the page's path. After the log-in the user
is sent back to that page with GET, and a form view asks `take_kept_form(request)` for the data to bind its form
with: the form shows what was typed, checked as if it had been sent, and nothing is saved until it is sent again.

A form shown on one page and sent to another (the report's steps: approve, return, correct, send) names its page
with :func:`shown_on`: what it carried is kept for that page under the form's name, the log-in leads back there
(never to the step's address, which takes only POST), and the page asks ``take_kept_form(request, form=name)``.
"""

from django.http import QueryDict

SESSION_KEY = "portal_kept_form"
# Fields that must never be kept: the token is the old session's, a password is never stored.
NEVER_KEPT = {"csrfmiddlewaretoken", "password", "password1", "password2", "old_password", "new_password1"}


def keep_form(request, *, path=None, form=""):
    """Store the POST's fields for ``path`` (the POST's own by default) in the (anonymous) session, under the form's
    name (empty: the page's one form); survives the log-in's cycle_key()."""
    pairs = [(key, value) for key, values in request.POST.lists() if key not in NEVER_KEPT for value in values]
    request.session[SESSION_KEY] = {"path": path or request.get_full_path(), "form": form, "data": pairs}


def shown_on(page, form):
    """Marks a POST-only view whose form is shown on another page: ``page(**url_kwargs)`` is that page's path, and
    ``form(request)`` the name the page knows the form by, or None when the POST carried nothing typed (a button
    alone), so that nothing is kept but the log-in still leads back to the page. Put it below ``login_required``."""

    def mark(view):
        view.kept_form_page = page
        view.kept_form_name = form
        return view

    return mark


def take_kept_form(request, form=""):
    """The kept fields of the form named ``form`` for this page as a QueryDict, once, or None (a GET only: a new POST
    wins; nothing kept, a form of a file alone, is None too)."""
    if request.method != "GET" or SESSION_KEY not in request.session:
        return None
    kept = request.session[SESSION_KEY]
    if kept.get("path") != request.get_full_path() or kept.get("form", "") != form:
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
