"""Log-in lock-outs beyond axes' own pair (account, address): one account tried from many addresses, and one
address trying many accounts (password spraying).

Axes locks the pair after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME, which leaves two attacks free:
guessing one coordinator's password from a thousand addresses, and trying one common password on every account
from one address. Two wider limits close them, counted in axes' failure log (one row per failed log-in, kept
beyond the cool-off that clears the pairs):

* LOGIN_USERNAME_FAILURE_LIMIT failures of one username within LOGIN_USERNAME_WINDOW, from any addresses, lock that
  username everywhere;
* LOGIN_ADDRESS_FAILURE_LIMIT failures from one address within LOGIN_ADDRESS_WINDOW, for any usernames, lock that
  address for every username.

Both are higher than the pair's limit and count over a longer window, so an office's typos behind one NAT address
and a forgetful user's do not reach them. A lock lifts by itself once enough of the failures have left the
window. The lock-out page is the same as the pair's: it says nothing about which limit was reached.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.utils import timezone


def beyond_wider_limits(request, credentials=None):
    """Whether the request's username or address has failed too often, across addresses or usernames."""
    now = timezone.now()
    failures = AccessFailureLog.objects.order_by()
    username = get_client_username(request, credentials)
    if username:
        recent = failures.filter(username=username, attempt_time__gte=now - settings.LOGIN_USERNAME_WINDOW)
        if recent.count() >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
            return True
    address = getattr(request, "axes_ip_address", None)
    if address:
        recent = failures.filter(ip_address=address, attempt_time__gte=now - settings.LOGIN_ADDRESS_WINDOW)
        if recent.count() >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return True
    return False


class PortalAxesHandler(AxesDatabaseHandler):
    """Axes' database handler with the two wider limits (AXES_HANDLER)."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or beyond_wider_limits(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that reaches a wider limit is answered with the lock-out page, as the pair's fifth is.
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if beyond_wider_limits(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
