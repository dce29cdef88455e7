"""Security events to the log (standard output): log-ins, failures, lock-outs and refusals.

Every log line written while a request is served carries the user's id and the client's address, added by
:class:`config.request_context.RequestContextFilter` from the request :class:`RequestContextMiddleware`
remembers. Log-in events come from Django's and axes' signals, refusals (403, and 404 answered to a logged-in
user, which is how the portal refuses anything outside a user's scope) from the middleware. A username that
looks like a personal identity number is never written: people do type their personnummer as user name. The same
name is what axes stores of a failed log-in (:func:`axes_username`, AXES_USERNAME_CALLABLE), through the same
normaliser as the text fields' guard (promises.privacy), so no spelling of the number reaches its tables either.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from promises.privacy import REDACTED, find_identity_numbers, redact_identity_numbers

from .request_context import current_request

security = logging.getLogger("portal.security")


def safe_username(username):
    """The typed user name, or a placeholder when it holds an identity number in any spelling."""
    username = str(username or "")[:150]
    return REDACTED if find_identity_numbers(username) else username


def axes_username(request, credentials=None):
    """The user name axes counts, stores and signals for a log-in attempt: the typed one, redacted like the log.

    Every attempt with an identity number as user name counts under the placeholder, which no account has, so
    nobody's account is locked by them and the counting of every other name is unchanged.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return None if username is None else safe_username(username)


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
                # A path is typed too: /811218-9876/ is logged without the number.
                path = redact_identity_numbers(request.path)
                security.warning("refused: %s %s -> %s", request.method, path, response.status_code)
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
