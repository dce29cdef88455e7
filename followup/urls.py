from django.urls import path

from .views import dashboard, exports, indicators, reports

app_name = "followup"

urlpatterns = [
    path("uppfoljning/", dashboard.follow_up_home, name="home"),
    path("uppfoljning/<int:promise_id>/", dashboard.promise_dashboard, name="dashboard"),
    path("uppfoljning/kommun/<slug:municipality>/", dashboard.municipality_overview, name="overview"),
    path("uppfoljning/nationellt/<int:year>/", dashboard.national_overview, name="national"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/", reports.report_detail, name="report"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/skapa/", reports.report_create, name="report_create"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/skicka/", reports.report_submit, name="report_submit"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/godkann/", reports.report_approve, name="report_approve"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/aterfor/", reports.report_return, name="report_return"),
    path("uppfoljning/<int:promise_id>/<tertial:tertial>/publicera/", reports.report_publish, name="report_publish"),
    path(
        "uppfoljning/<int:promise_id>/<tertial:tertial>/uppfoljning.<str:fmt>",
        exports.figures_export,
        name="figures_export",
    ),
    path(
        "uppfoljning/<int:promise_id>/<tertial:tertial>/registreringar.<str:fmt>",
        exports.records_export,
        name="records_export",
    ),
    path("uppfoljning/<int:promise_id>/indikatorer/", indicators.indicator_list, name="indicators"),
    path("uppfoljning/indikatorer/<int:indicator_id>/", indicators.indicator_detail, name="indicator"),
    path("uppfoljning/<int:promise_id>/nasta-ar/", indicators.promise_copy_next_year, name="copy_next_year"),
]
