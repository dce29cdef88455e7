"""Public pages served from the cache, kept exact by the municipality's data version.

A municipality's public pages (its page, its promises, their published reports and PDFs, its Atom and ICS
feeds) change only when something of that municipality changes, and every such write renews the
municipality's ``data_version`` (:mod:`promises.versions`). A page's copy is kept under that token, the
address with its query string, the language and the day (:func:`promises.versions.read_through`), so a hit
costs one small query and one cache read instead of a dozen queries and a template. The token is read before
the page is built, so a copy is never older than the token it is kept under.

None of these pages reads a query parameter, so an address with a query string is redirected to the page's own
address: ``…/2020T1.pdf?a=1``, ``?a=2``, … would otherwise each be a new copy, and a new PDF rendered for each.

Only a visitor without a session or messages is served a copy: a logged-in user's menu and a message
("Du har loggats ut") are their own. The one per-visitor part of a public page, the CSRF token of the
language switch, is taken out of the copy and put back for each visitor. A page whose content runs out
at a known moment (the next planned event ends) says so with ``response.cache_valid_until``; its copy is
not served after it.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.module_loading import import_string

from promises.versions import read_through

_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf\x00"


@dataclass(frozen=True)
class _Copy:
    status: int
    headers: dict
    content: bytes
    valid_until: datetime | None

    def response_for(self, request):
        """The page for this visitor, or None once the copy's content has run out."""
        if self.valid_until is not None and timezone.now() >= self.valid_until:
            return None
        content = self.content
        if _CSRF_PLACEHOLDER in content:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def _visitor_has_state(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def _copy_of(response) -> _Copy | None:
    """What is kept of a page: a whole, successful page that sets no cookie."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    headers = {name: value for name, value in response.headers.items() if name.lower() != "set-cookie"}
    content = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    return _Copy(response.status_code, headers, content, getattr(response, "cache_valid_until", None))


def cached_public_page(view):
    """Serves anonymous GETs of a municipality's public page (its slug in ``municipality``) from a copy kept under
    the municipality's data version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.META.get("QUERY_STRING"):
            # The canonical address, on this host: request.path is the path alone, never another host.
            return HttpResponsePermanentRedirect(iri_to_uri(request.path))
        slug = kwargs.get("municipality")
        if request.method != "GET" or not slug or _visitor_has_state(request):
            return view(request, *args, **kwargs)
        return read_through(
            request,
            slug,
            lambda: view(request, *args, **kwargs),
            keep=_copy_of,
            thaw=lambda copy: copy.response_for(request),
        )

    # Reads only, and one query on a hit: the BEGIN and COMMIT of ATOMIC_REQUESTS would be two more round trips.
    return transaction.non_atomic_requests(wrapper)


def rate_limited_for_anonymous(view):
    """Refuses an anonymous visitor's request to ``view`` with the 429 page once their address has made
    PUBLIC_PDF_RENDERS_PER_MINUTE of them this minute (counted in the cache, shared by every worker in production).

    Put inside :func:`cached_public_page`, it counts what is rendered, not what is served from a copy: a visitor
    reading the PDF everyone reads is never refused, one who makes the server render many is.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_logged_in(request) and not _rendering_allowed(request):
            response = render(request, "429.html", status=429)
            response["Retry-After"] = str(RATE_WINDOW_SECONDS)
            return response
        return view(request, *args, **kwargs)

    return wrapper


RATE_WINDOW_SECONDS = 60


def _is_logged_in(request):
    # Without a session cookie nobody is logged in; asking request.user would load an empty session and add
    # "Vary: Cookie" to a public answer for nothing.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _rendering_allowed(request):
    address = import_string(settings.CLIENT_ADDRESS_CALLABLE)(request)
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = "pdf-renders:" + hashlib.sha256(f"{address}\n{window}".encode()).hexdigest()
    # add() then incr(): atomic in Redis and in the local-memory cache, so parallel requests are all counted.
    cache.add(key, 0, RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between the two calls: count this one as the first
        cache.set(key, 1, RATE_WINDOW_SECONDS * 2)
        count = 1
    return count <= settings.PUBLIC_PDF_RENDERS_PER_MINUTE
