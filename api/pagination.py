"""Pages of the open data lists."""

from rest_framework.pagination import PageNumberPagination


class OpenDataPagination(PageNumberPagination):
    """Pages of ``PAGE_SIZE`` (50) results, where ``?page=`` is a page number and nothing else.

    DRF reads an empty ``?page=`` as the first page and ``?page=last`` as the last; the OpenAPI document says a
    page is an integer, so both are refused like any page that does not exist (404).
    """

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        return request.query_params.get(self.page_query_param, 1)
