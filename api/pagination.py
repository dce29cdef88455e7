"""Pages of the open data lists."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class OpenDataPagination(PageNumberPagination):
    """Pages of ``PAGE_SIZE`` (50) results, where ``?page=`` is a page number and nothing else.

    DRF reads an empty ``?page=`` as the first page and ``?page=last`` as the last; the OpenAPI document says a
    page is an integer, so both are refused like any page that does not exist (404).
    """

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)

    def get_paginated_response(self, data):
        """The page, with the terms under which its data may be used (``settings.OPEN_DATA_LICENCE``)."""
        response = super().get_paginated_response(data)
        response.data["license"] = dict(settings.OPEN_DATA_LICENCE)
        return response

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["license"] = {
            "type": "object",
            "description": "The terms under which the data may be used.",
            "properties": {"name": {"type": "string"}, "url": {"type": "string", "format": "uri"}},
        }
        return described
