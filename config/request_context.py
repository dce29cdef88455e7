"""Who and where for every log line: the request being served, remembered for the logging filter.

Kept apart from config.security_log because the logging configuration loads this before Django's apps are
ready, so nothing here may import a model.
"""

import contextvars
import logging

from django.utils.functional import empty

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
