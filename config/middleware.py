"""Session limits and caching rules for logged-in users (DESIGN §8: sessions that expire).

The idle limit: a session is saved, which pushes its expiry (cookie and stored row) SESSION_COOKIE_AGE =
SESSION_IDLE_TIMEOUT seconds ahead, by a logged-in request at least SESSION_REFRESH_INTERVAL seconds after the
last save. Django's SESSION_SAVE_EVERY_REQUEST would do it on every request, an UPDATE each time for an expiry
that moves by seconds; this way a session ends between SESSION_IDLE_TIMEOUT minus one interval and
SESSION_IDLE_TIMEOUT after its last request. What Django lacks is an absolute limit, a session that ends
SESSION_ABSOLUTE_TIMEOUT seconds after log-in however busy it is, and a rule that nothing shown to a
logged-in user is kept by a browser or proxy cache.

Last in this module: DatabaseUnavailableMiddleware, the 503 page when the database cannot be reached.
"""

import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

from staff.kept_forms import keep_form

# When the session's user logged in, as a POSIX timestamp (sessions are stored as JSON).
LOGGED_IN_AT = "portal_logged_in_at"
# When the session was last saved to push its idle expiry ahead, as a POSIX timestamp.
REFRESHED_AT = "portal_refreshed_at"


def is_logged_in(request):
    """Whether the request belongs to a logged-in user.

    A request without a session key cannot be; asking `request.user` would load the empty session anyway and
    mark it accessed, which adds `Vary: Cookie` to public responses for no reason.
    """
    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return False
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class SessionLifetimeMiddleware:
    """Log the user out, with a message, once SESSION_ABSOLUTE_TIMEOUT seconds have passed since log-in.

    The log-in time is written into the session by the response to the request that logged in (or, for a
    session that predates this middleware or was made by `force_login`, by its first request). Once past the
    limit the user is logged out before the view runs, so the view sees an anonymous visitor: a protected page
    sends them to the log-in page, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_logged_in = is_logged_in(request)
        if was_logged_in:
            logged_in_at = request.session.get(LOGGED_IN_AT)
            if logged_in_at is None:
                request.session[LOGGED_IN_AT] = timezone.now().timestamp()
            elif timezone.now().timestamp() - logged_in_at > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    gettext(
                        "You have been logged out because your session reached its longest allowed time. "
                        "Please log in again."
                    ),
                )
                was_logged_in = False

        response = self.get_response(request)

        if is_logged_in(request):
            now = timezone.now().timestamp()
            # Logged in by this very request: the clock starts now, whatever an earlier session left behind.
            if not was_logged_in:
                request.session[LOGGED_IN_AT] = now
            # Changing the session is what makes SessionMiddleware save it, and so push the idle expiry ahead.
            if now - request.session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_INTERVAL:
                request.session[REFRESHED_AT] = now
        return response


class NoStoreForLoggedInMiddleware:
    """Forbid caching of every response to a logged-in user; anonymous visitors' responses are left alone.

    A response counts as a logged-in user's if the user was logged in when the request arrived (the log-out
    redirect included) or is when it leaves (the log-in redirect included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_logged_in = is_logged_in(request)
        response = self.get_response(request)
        if was_logged_in or is_logged_in(request):
            add_never_cache_headers(response)
        return response


# --- Database outages (DESIGN §8: "a database outage gives a clear 503 page and the portal recovers by itself") ---

availability_logger = logging.getLogger("portal.availability")

# What Django raises when the database is down, restarting or unreachable, whatever the driver's wording.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# Seconds a client is asked to wait before trying again: about what a database restart or fail-over takes.
RETRY_AFTER = 30


def describe_database_error(error):
    """The error on one line: drivers spread their messages over several, with tabs, and a log wants one."""
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def database_unavailable_response(request, error):
    """The 503 page, logged as one warning line (an outage would otherwise print a traceback per request).

    503.html stands alone rather than extending base.html: base.html's menu asks for the user, which needs the
    session and the database. Rendered without the request, so no context processor runs either.
    """
    availability_logger.warning(
        "Database unavailable, answered 503 to %s %s (%s)", request.method, request.path, describe_database_error(error)
    )
    retry_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
    response = HttpResponse(render_to_string("503.html", {"retry_url": retry_url}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # A proxy that kept the 503 would go on answering it after the database is back.
    add_never_cache_headers(response)
    # The warning above says it all: without this Django adds an ERROR line "Service Unavailable" for each one.
    response._has_been_logged = True
    return response


def _note_database_error(sender, request=None, **kwargs):
    """Remember a database error that Django is turning into a 500, for DatabaseUnavailableMiddleware to see.

    Sent by Django while it handles the exception, so sys.exc_info() is the error itself.
    """
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_UNAVAILABLE):
        request.portal_database_error = error


class DatabaseUnavailableMiddleware:
    """Answer the 503 page, with Retry-After, when the database cannot be reached; never a bare 500.

    Three ways in, because Django turns an exception into a 500 response at every middleware layer, so a
    try/except around get_response never sees one raised further in:

    * a view (or the ATOMIC_REQUESTS transaction around it) raises: process_exception. The transaction has been
      rolled back by then, so nothing of the request is half-written;
    * the session or user cannot be read: the middleware below (session lifetime, no-store) ask for
      request.user before any view runs. This one asks first, inside a try, and the answer stays cached on the
      request, so it costs no extra query;
    * anything else further in raises: Django's got_request_exception signal marks the request, and the 500
      that comes back is replaced. Django has already logged that one with its traceback.

    It must come after AuthenticationMiddleware (it needs request.session and request.user) and before every
    middleware that reads the user. Its response then passes out through the locale, CSRF, session and security
    middleware; the session middleware saves no session on a 5xx response, so the 503 needs no database.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="config.middleware.database_unavailable")

    def __call__(self, request):
        try:
            is_logged_in(request)
        except DATABASE_UNAVAILABLE as error:
            # The session could not be loaded. Empty it for the rest of this request: the session middleware reads
            # its expiry on the way out, which would ask the database again and end in a 500. It saves nothing on a
            # 5xx response, so the stored session, and the user's log-in, are still there when the database is back.
            request.session.clear()
            return database_unavailable_response(request, error)
        response = self.get_response(request)
        error = getattr(request, "portal_database_error", None)
        if error is not None and response.status_code == 500:
            return database_unavailable_response(request, error)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response(request, exception)
        return None


class RefuseNullCharactersMiddleware:
    """Answers 400 to a request whose parameters hold a NUL character, before any view sees it.

    No form or page of the portal takes one, and PostgreSQL refuses to store or even compare them, so passing
    one on could only end in an error page of the wrong kind.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The open data API checks its own parameters and answers its errors in JSON.
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if any(
            "\x00" in key or "\x00" in value
            for parameters in (request.GET, request.POST)
            for key, values in parameters.lists()
            for value in values
        ):
            return HttpResponseBadRequest(render_to_string("400.html", request=request))
        return self.get_response(request)


class BrandedMethodNotAllowedMiddleware:
    """Turn Django's empty 405 (a GET to an address that only takes a form) into the portal's own page.

    It happens when a form is sent after the session ended: the log-in page sends the user back to the form's
    address with GET. A 405 that already has a body (the API's JSON) is left as it is; the Allow header stays.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content:
            return response
        branded = HttpResponse(render_to_string("405.html", request=request), status=405)
        if response.has_header("Allow"):
            branded["Allow"] = response["Allow"]
        add_never_cache_headers(branded)
        return branded


class KeepFormThroughLoginMiddleware:
    """An anonymous POST that a staff page answers with the log-in redirect: keep its fields, say why.

    The usual cause is a session that ended while the form was being filled in. The fields are kept in the new
    session (staff.kept_forms), the log-in page says what happened, and the form page shows them again after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and not request.user.is_authenticated
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL) + "?")
        ):
            match = request.resolver_match
            view = match.func if match else None
            page = getattr(view, "kept_form_page", None)
            if page is None:
                keep_form(request)
                kept = True
            else:
                # A step sent from another page (staff.kept_forms.shown_on): back to that page after the log-in,
                # never to the step's address, which a GET would answer with 405.
                path = page(**match.kwargs)
                name = view.kept_form_name(request)
                kept = name is not None
                if kept:
                    keep_form(request, path=path, form=name)
                response["Location"] = redirect_to_login(path).url
            if kept:
                message = gettext(
                    "You were logged out, so what you sent was not saved. Log in again: what you filled in "
                    "is kept and shown on the form, ready to send."
                )
            else:
                message = gettext("You were logged out, so nothing was sent. Log in again, then send it again.")
            messages.warning(request, message)
        return response
