"""The open data API, version 1: read-only lists and details, and the OpenAPI document that describes them."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"


class Router(DefaultRouter):
    # No ".json"/".csv" suffixes on the paths: ?format= chooses the format, and one address per list is simpler.
    include_format_suffixes = False


router = Router()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("promises", views.PromiseViewSet, basename="promise")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("reports", views.ReportViewSet, basename="report")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    *router.urls,
]
