"""Public pages served from the cache, kept exact by the municipality's data version.

A municipality's public pages (its page, its promises, their published reports and PDFs, its Atom and ICS
feeds) change only when something of that municipality changes, and every such write renews the
municipality's ``data_version`` (:mod:`promises.versions`). A page's copy is kept under that token, the
address with its query string, the language and the day, so a hit costs one small query and one cache read
instead of a dozen queries and a template. The token is read before the page is built, so a copy is never
older than the token it is kept under.

Only a visitor without a session or messages is served a copy: a logged-in user's menu and a message
("Du har loggats ut") are their own. The one per-visitor part of a public page, the CSRF token of the
language switch, is taken out of the copy and put back for each visitor. A page whose content runs out
at a known moment (the next planned event ends) says so with ``response.cache_valid_until``; its copy is
not served after it.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from .models import Municipality

# Tokens make a copy exact; the timeout only lets copies of old tokens and days go.
PAGE_TIMEOUT = 24 * 60 * 60
# A longer address is not kept: nobody links to it, and it could only fill the cache.
MAX_PATH_LENGTH = 300
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf\x00"


@dataclass(frozen=True)
class _Copy:
    status: int
    headers: dict
    content: bytes
    valid_until: datetime | None

    def response_for(self, request):
        content = self.content
        if _CSRF_PLACEHOLDER in content:
            content = content.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def _visitor_has_state(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES


def page_key(request, municipality_slug, token, *extra) -> str:
    """The key of a copy: the municipality's version, the address as asked for (pages and feeds carry absolute
    links), the language and the day."""
    parts = [
        municipality_slug,
        token.hex,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        translation.get_language(),
        timezone.localdate(),
        *extra,
    ]
    return "page:" + hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def municipality_version(slug):
    """The municipality's data version, or None for an unknown slug: the one query a cached page costs.

    Plain SQL because it runs on every hit, where building the ORM query took about a sixth of the answer's time.
    """
    meta = Municipality._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {quote(meta.get_field('data_version').column)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.get_field('slug').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    # The UUID as the field reads it: a uuid on PostgreSQL, 32 hex digits on SQLite.
    return meta.get_field("data_version").to_python(row[0])


def cached_public_page(view):
    """Serves anonymous GETs of a municipality's public page (its slug in ``municipality``) from a copy kept under
    the municipality's data version."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        slug = kwargs.get("municipality")
        if (
            request.method != "GET"
            or not slug
            or _visitor_has_state(request)
            or len(request.get_full_path()) > MAX_PATH_LENGTH
        ):
            return view(request, *args, **kwargs)
        token = municipality_version(slug)
        if token is None:
            return view(request, *args, **kwargs)  # answers 404 as it always did
        key = page_key(request, slug, token)
        copy = cache.get(key)
        if copy is not None and (copy.valid_until is None or timezone.now() < copy.valid_until):
            return copy.response_for(request)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, _copy_of(response), PAGE_TIMEOUT)
        return response

    # Reads only, and one query on a hit: the BEGIN and COMMIT of ATOMIC_REQUESTS would be two more round trips.
    return transaction.non_atomic_requests(wrapper)


def _copy_of(response) -> _Copy:
    headers = {name: value for name, value in response.headers.items() if name.lower() != "set-cookie"}
    content = _CSRF_FIELD.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    return _Copy(response.status_code, headers, content, getattr(response, "cache_valid_until", None))
