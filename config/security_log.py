"""Security events to the log (standard output): log-ins, failures, lock-outs and refusals.

Every log line written while a request is served carries the user's id and the client's address, added by
:class:`config.request_context.RequestContextFilter` from the request :class:`RequestContextMiddleware`
remembers. Log-in events come from Django's and axes' signals, refusals (403, and 404 answered to a logged-in
user, which is how the portal refuses anything outside a user's scope) from the middleware. A username that
looks like a personal identity number is never written: people do type their personnummer as user name.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from promises.privacy import find_identity_numbers

from .request_context import current_request

security = logging.getLogger("portal.security")


def safe_username(username):
    username = str(username or "")[:150]
    return "[removed: identity number]" if find_identity_numbers(username) else username


class RequestContextMiddleware:
    """Remembers the request for the log filter, and logs refusals to logged-in users."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if response.status_code in (403, 404) and user is not None and user.is_authenticated:
                security.warning("refused: %s %s -> %s", request.method, request.path, response.status_code)
            return response
        finally:
            current_request.reset(token)


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security.info("log-in: user=%s", user.pk)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    security.info("log-out: user=%s", user.pk if user else "-")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    security.warning("log-in failed: username=%r", safe_username(credentials.get("username")))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    security.warning("locked out: username=%r address=%s", safe_username(username), ip_address)
