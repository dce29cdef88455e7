"""Who and where for every log line: the request being served, remembered for the logging filter.

Kept apart from config.security_log because the logging configuration loads this before Django's apps are
ready, so nothing here may import a model.
"""

import contextvars
import logging
import re

from django.utils.functional import empty

from promises.privacy import redact_identity_numbers  # no model: the guard's normaliser alone

current_request = contextvars.ContextVar("portal_request", default=None)


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry the nearest one added.

    Entries further left in X-Forwarded-For come from the client itself and could be anything, so only the
    one written by the outermost trusted proxy counts. Axes uses this too (AXES_CLIENT_IP_CALLABLE).
    """
    if request is None:
        return ""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote


def _user_id(request):
    user = getattr(request, "user", None) if request is not None else None
    # Only a user already loaded: reading request.user here could query the database from inside logging.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return str(user.pk) if user.is_authenticated else "-"


class RequestContextFilter(logging.Filter):
    """Adds ``user`` and ``client`` to every record, "-" outside a request."""

    def filter(self, record):
        request = current_request.get()
        record.user = _user_id(request)
        record.client = client_address(request) or "-"
        return True


class RedactIdentityNumbersFilter(logging.Filter):
    """Takes every personal identity number, in any spelling, out of a log line: a path, a user name or a message
    of Django's ("Not Found: /811218-9876/") may carry one, and a log must never hold one.

    Django writes a path's non-ASCII characters as escapes (``811218\\u20139876`` for an en dash), which read as
    the number just the same: they are read as the characters they stand for, and a line that held a number is
    written with every non-ASCII character escaped again, so that nothing unescaped (a line break) gets in.
    """

    def filter(self, record):
        message = record.getMessage()
        unescaped = _ESCAPE.sub(lambda match: chr(int(match.group(1) or match.group(2) or match.group(3), 16)), message)
        redacted = redact_identity_numbers(unescaped)
        if redacted != unescaped:
            if unescaped != message:
                redacted = redacted.encode("unicode_escape").decode("ascii")
            record.msg, record.args = redacted, ()
        return True


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8}))")
