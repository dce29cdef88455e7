"""Every logged-in page. The paths and names are those the staff pages always had: the record pages under the
``activities`` namespace, the follow-up pages under ``followup`` (config/urls.py includes both lists)."""

from django.urls import path

from .views import activities, dashboards, events, exports, indicators, next_year, records, reports

activities_urls = (
    [
        path("mina-aktiviteter/", activities.my_activities, name="mine"),
        path("logga/", activities.log_record, name="log"),
        path("aktiviteter/<int:activity_id>/logga/", activities.log_record, name="log_activity"),
        path("mina-registreringar/", records.my_records, name="records"),
        path("registreringar/", records.municipality_records, name="municipality_records"),
        path("registreringar/<int:record_id>/", records.record_detail, name="record"),
        path("registreringar/<int:record_id>/andra/", records.edit_record, name="edit"),
        path("registreringar/<int:record_id>/makulera/", records.void_record, name="void"),
        path("planerade-aktiviteter/", events.planned_events, name="events"),
    ],
    "activities",
)

followup_urls = (
    [
        path("uppfoljning/", dashboards.follow_up_home, name="home"),
        path("uppfoljning/<int:promise_id>/", dashboards.promise_dashboard, name="dashboard"),
        path("uppfoljning/kommun/<slug:municipality>/", dashboards.municipality_overview, name="overview"),
        path("uppfoljning/nationellt/<int:year>/", dashboards.national_overview, name="national"),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/", reports.report_detail, name="report"),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/skapa/", reports.report_create, name="report_create"),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/skicka/", reports.report_submit, name="report_submit"),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/godkann/", reports.report_approve, name="report_approve"),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/aterfor/", reports.report_return, name="report_return"),
        path(
            "uppfoljning/<int:promise_id>/<tertial:tertial>/publicera/", reports.report_publish, name="report_publish"
        ),
        path("uppfoljning/<int:promise_id>/<tertial:tertial>/ratta/", reports.report_correct, name="report_correct"),
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
        path("uppfoljning/<int:promise_id>/nasta-ar/", next_year.promise_copy_next_year, name="copy_next_year"),
    ],
    "followup",
)
