"""The API's errors in the portal's own words.

DRF turns Django's ``Http404`` into a 404 whose message is the exception's text, and ``get_object_or_404`` writes
"No TertialReport matches the given query.": a model's internal name in a public answer. Every 404 says
"Not found." instead, in the request's language (Swedish or English, as the pages choose it).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(gettext("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)
