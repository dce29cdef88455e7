"""The open data API: read-only lists and details of what the public pages show, as JSON or CSV.

Every queryset starts from the models' own "public" selectors, so the API can never show more than the public
pages: signed or closed promises, their activities and planned events, and published tertial reports. Each
list is a fixed number of queries however much data there is (related rows are joined or prefetched).
"""

import re

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from activities.models import Activity, PlannedEvent
from followup.models import Publication
from promises.models import Municipality, Promise
from promises.versions import read_through

from .negotiation import StrictFormatNegotiation
from .pagination import OpenDataPagination
from .renderers import CSVRenderer
from .serializers import (
    ActivitySerializer,
    EventSerializer,
    MunicipalitySerializer,
    PromiseSerializer,
    ReportSerializer,
)

# A CSV download is the whole filtered list, not one page; this keeps one request from dumping the country.
CSV_ROW_LIMIT = 10_000

# [0-9] rather than \d, which would also accept digits from other scripts. Four digits from 1000 keep every
# year a date can hold in any time zone, so the year lookups below cannot overflow.
_YEAR = re.compile(r"[1-9][0-9]{3}")
_PAGE = re.compile(r"[0-9]+")
# The largest id a database's bigint column holds.
MAX_ID = 2**63 - 1
# What a SlugField holds. Checked before the database sees it: PostgreSQL refuses a NUL character with an error.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")

_ERROR = inline_serializer("Error", fields={"detail": serializers.CharField()})
_FILTER_ERROR = inline_serializer(
    "FilterError",
    fields={
        "municipality": serializers.ListField(child=serializers.CharField(), required=False),
        "year": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
MUNICIPALITY_PARAMETER = OpenApiParameter(
    "municipality",
    {"type": "string", "pattern": f"^{_SLUG.pattern}$"},
    description="Only those of the municipality with this slug, e.g. strangnas.",
)
FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    default="json",
    description=(
        "json (the default): one page of results, see page. csv: the whole filtered list, at most "
        f"{CSV_ROW_LIMIT} objects, semicolon-separated UTF-8 with a byte order mark; nested lists are joined with "
        '"; ". The header X-Truncated: true says the list was longer.'
    ),
)


def year_parameter(description):
    return OpenApiParameter("year", {"type": "integer", "minimum": 1000, "maximum": 9999}, description=description)


_THROTTLED = OpenApiResponse(_ERROR, description="Too many requests: wait and try again.")


def list_schema(serializer, *, year=None):
    """The list's query parameters and answers, for the OpenAPI document; ``year`` describes the year filter."""
    parameters = [FORMAT_PARAMETER]
    responses = {
        (200, "application/json"): serializer(many=True),
        (200, "text/csv"): OpenApiTypes.STR,
        (404, "application/json"): OpenApiResponse(_ERROR, description="No such page."),
        (429, "application/json"): _THROTTLED,
    }
    if year is not None:
        parameters = [MUNICIPALITY_PARAMETER, year_parameter(year), FORMAT_PARAMETER]
        responses[400, "application/json"] = OpenApiResponse(
            _FILTER_ERROR, description="The year is not four digits, or the municipality not a slug."
        )
    return extend_schema(parameters=parameters, responses=responses)


def detail_schema(serializer):
    return extend_schema(
        responses={
            200: serializer,
            404: OpenApiResponse(_ERROR, description="Not found, or not public."),
            429: _THROTTLED,
        }
    )


def _data_of(response):
    """What is kept of a list: its data and the headers that describe the download, never an error."""
    if response.status_code != 200:
        return None
    headers = {name: response[name] for name in ("Content-Disposition", "X-Truncated") if name in response}
    return (response.data, headers)


class OpenToAllOrigins:
    """Lets a web page on any other site read the answer, so that open data can be used from a browser, and says
    under which terms the data may be used (a ``Link`` with the relation "license", RFC 4946).

    Safe because the API has no authentication at all: a browser's cookies never change what it answers.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        # Headers a script may read beyond the few every browser allows.
        response["Access-Control-Expose-Headers"] = "Retry-After, X-Truncated, Link"
        response["Link"] = f'<{settings.OPEN_DATA_LICENCE["url"]}>; rel="license"'
        return response


class SchemaView(OpenToAllOrigins, SpectacularAPIView):
    """The OpenAPI document: YAML by default, JSON with ``?format=json``."""


class OpenDataViewSet(OpenToAllOrigins, viewsets.ReadOnlyModelViewSet):
    """Lists filtered by ``municipality`` and ``year``, paginated as JSON or whole as CSV (``?format=csv``).

    The CSV is a download of the whole filtered list, not of one page, capped at ``CSV_ROW_LIMIT`` objects;
    a longer list is cut there and answered with the header ``X-Truncated: true``, so filter by year or
    municipality to get everything. Details are JSON only, and the filters apply to lists only.
    """

    pagination_class = OpenDataPagination
    # No answer to OPTIONS (405): the methods are in the OpenAPI document, and there is nothing else to describe.
    metadata_class = None
    content_negotiation_class = StrictFormatNegotiation
    # Anything up to the next slash reaches the view, so that a malformed id is a JSON 404 like a missing one.
    lookup_value_regex = "[^/]+"
    # The queryset lookups that the two filters use, e.g. "municipalities__slug" and "year".
    municipality_lookup = ""
    year_lookup = ""
    # A nested list of objects that the CSV expands to one row per item (see api.renderers).
    csv_expand = None

    def get_renderers(self):
        # By route rather than by action, so that a refused method on a list is answered 405 even with ?format=csv.
        if self.detail:
            return [JSONRenderer()]
        return [JSONRenderer(), CSVRenderer()]

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return self._filtered(queryset, municipality_lookup=self.municipality_lookup, year_lookup=self.year_lookup)

    def _filtered(self, queryset, *, municipality_lookup, year_lookup):
        params = self.request.query_params
        if "municipality" in params:
            if not _SLUG.fullmatch(params["municipality"]):
                raise ValidationError({"municipality": [_("Give the municipality’s slug, e.g. strangnas.")]})
            queryset = queryset.filter(**{municipality_lookup: params["municipality"]})
        if "year" in params:
            if not _YEAR.fullmatch(params["year"]):
                raise ValidationError({"year": [_("Give the year as four digits, e.g. 2020.")]})
            queryset = queryset.filter(**{year_lookup: int(params["year"])})
        return queryset

    def list(self, request, *args, **kwargs):
        """A list of one municipality is kept in the cache under its data version (promises.versions.read_through)."""
        slug = request.query_params.get("municipality", "")
        if not self.municipality_lookup or not _SLUG.fullmatch(slug):
            return self._list(request)
        return read_through(
            request,
            slug,
            lambda: self._list(request),
            keep=_data_of,
            thaw=lambda kept: Response(kept[0], headers=kept[1]),
            extra=[request.accepted_renderer.format],
        )

    def _list(self, request):
        if request.accepted_renderer.format != CSVRenderer.format:
            return super().list(request)
        # The page does not apply to a download, but it is still a number: the document promises as much.
        if not _PAGE.fullmatch(request.query_params.get(self.paginator.page_query_param, "1")):
            raise NotFound(_("Invalid page."))
        # One more than the limit tells whether the list was cut, without a second query to count it.
        rows = list(self.filter_queryset(self.get_queryset())[: CSV_ROW_LIMIT + 1])
        # Named after the list's address: activities.csv for /api/v1/activities/.
        name = request.path.rstrip("/").rsplit("/", 1)[-1]
        headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
        if len(rows) > CSV_ROW_LIMIT:
            headers["X-Truncated"] = "true"
        return Response(self.get_serializer(rows[:CSV_ROW_LIMIT], many=True).data, headers=headers)

    def handle_exception(self, exc):
        # An error is JSON even when CSV was asked for: a program reads the message, and a spreadsheet holding
        # one error message helps nobody.
        if getattr(self.request, "accepted_renderer", None) is not None:
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


@extend_schema_view(list=list_schema(MunicipalitySerializer), retrieve=detail_schema(MunicipalitySerializer))
class MunicipalityViewSet(OpenDataViewSet):
    """Municipalities with at least one public promise."""

    queryset = Municipality.objects.with_public_promises().order_by("name", "pk")
    serializer_class = MunicipalitySerializer
    lookup_field = "slug"

    def filter_queryset(self, queryset):
        # Municipalities have neither filter: the list is short, and a municipality has no year.
        return queryset

    def get_object(self):
        if not _SLUG.fullmatch(self.kwargs[self.lookup_field]):
            raise Http404
        return super().get_object()


@extend_schema_view(
    list=list_schema(PromiseSerializer, year="Only the promises for this year."),
    retrieve=detail_schema(PromiseSerializer),
)
class PromiseViewSet(OpenDataViewSet):
    """Signed and closed citizen promises (never drafts), newest year first, with their focus areas."""

    queryset = (
        Promise.objects.public()
        .prefetch_related("municipalities", "signatories", "focus_areas")
        .order_by("-year", "title", "pk")
    )
    serializer_class = PromiseSerializer
    municipality_lookup = "municipalities__slug"
    year_lookup = "year"


@extend_schema_view(
    list=list_schema(ActivitySerializer, year="Only the activities of promises for this year."),
    retrieve=detail_schema(ActivitySerializer),
)
class ActivityViewSet(OpenDataViewSet):
    """The activities public promises commit to, with their targets: at least ``target_count`` ``unit``,
    a record in each of ``target_places``, done once or kept up every tertial (``recurrence``)."""

    queryset = (
        # Never an internal activity: those are the action plan's, not the public promise's.
        Activity.objects.filter(promise__in=Promise.objects.public(), is_internal=False)
        .select_related("focus_area", "kind", "lead_organisation")
        .prefetch_related("partner_organisations", "target_places")
        .order_by("promise_id", "order", "pk")
    )
    serializer_class = ActivitySerializer
    municipality_lookup = "promise__municipalities__slug"
    year_lookup = "promise__year"

    def filter_queryset(self, queryset):
        """The filters applied to the few public promises first, then the activities by their promise ids.

        Joined into the activities query, the municipality and year made eight relations, and PostgreSQL spent
        14 ms planning a query it ran in 0.3 ms (docs/PERFORMANCE.md §6).
        """
        if self.action != "list" or not {"municipality", "year"} & set(self.request.query_params):
            return queryset
        promises = self._filtered(
            Promise.objects.public(), municipality_lookup="municipalities__slug", year_lookup="year"
        )
        return queryset.filter(promise_id__in=list(promises.values_list("pk", flat=True)))


@extend_schema_view(
    list=list_schema(ReportSerializer, year="Only the reports of tertials in this year."),
    retrieve=detail_schema(ReportSerializer),
)
class ReportViewSet(OpenDataViewSet):
    """Published tertial reports, each as its current edition: every activity's figures, status and verdict and
    every indicator's values as frozen when the council approved the report.

    Reports still in draft, submitted or approved but not yet published are not shown; a report being corrected
    is shown as published until the correction is published as its next edition. The CSV has one row per activity
    of a report, the report's columns repeated and the activity's prefixed with ``activities.``.
    """

    queryset = (
        Publication.objects.current()
        .public()
        # An older snapshot is completed from its report, promise and council (followup.snapshot.filled_from).
        .select_related("report__promise", "report__council")
        .prefetch_related("report__promise__municipalities")
        .order_by("report__year", "report__number", "report__promise_id")
    )
    serializer_class = ReportSerializer
    lookup_field = "report"
    lookup_url_kwarg = "id"
    municipality_lookup = "report__promise__municipalities__slug"
    year_lookup = "report__year"
    csv_expand = "activities"

    def get_object(self):
        # The id names a report through a foreign key, whose lookup does not turn a number too large for the
        # database into "not found" as a primary key's does: refuse it here, as a 404 like any unknown id.
        value = self.kwargs[self.lookup_url_kwarg]
        if not _PAGE.fullmatch(value) or int(value) > MAX_ID:
            raise Http404
        return super().get_object()


@extend_schema_view(
    list=list_schema(EventSerializer, year="Only the events that start in this year (Swedish time)."),
    retrieve=detail_schema(EventSerializer),
)
class EventViewSet(OpenDataViewSet):
    """Planned public events of the activities of public promises, past and coming, soonest first.

    Times carry their offset from UTC. A cancelled event stays listed, with ``cancelled`` true.
    """

    queryset = PlannedEvent.objects.public().select_related("place").order_by("starts_at", "pk")
    serializer_class = EventSerializer
    lookup_field = "uid"
    municipality_lookup = "activity__promise__municipalities__slug"
    year_lookup = "starts_at__year"
