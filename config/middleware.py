"""Session limits and caching rules for logged-in users (DESIGN §8: sessions that expire).

The idle limit needs no code: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST lets a session expire
SESSION_IDLE_TIMEOUT seconds after its last request. What Django lacks is an absolute limit, a session that
ends SESSION_ABSOLUTE_TIMEOUT seconds after log-in however busy it is, and a rule that nothing shown to a
logged-in user is kept by a browser or proxy cache.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

# When the session's user logged in, as a POSIX timestamp (sessions are stored as JSON).
LOGGED_IN_AT = "portal_logged_in_at"


def _is_logged_in(request):
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
        was_logged_in = _is_logged_in(request)
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

        # Logged in by this very request: the clock starts now, whatever an earlier session left behind.
        if not was_logged_in and _is_logged_in(request):
            request.session[LOGGED_IN_AT] = timezone.now().timestamp()
        return response


class NoStoreForLoggedInMiddleware:
    """Forbid caching of every response to a logged-in user; anonymous visitors' responses are left alone.

    A response counts as a logged-in user's if the user was logged in when the request arrived (the log-out
    redirect included) or is when it leaves (the log-in redirect included).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_logged_in = _is_logged_in(request)
        response = self.get_response(request)
        if was_logged_in or _is_logged_in(request):
            add_never_cache_headers(response)
        return response
