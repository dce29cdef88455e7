"""How a request chooses between JSON and CSV."""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    """``?format=`` names a format the endpoint offers, or is left out.

    DRF reads an empty ``?format=`` as no format at all; the OpenAPI document lists json and csv only, so an empty
    one is refused as any unknown format is (404), instead of quietly answering with the default.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)
