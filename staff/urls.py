"""Every logged-in page. The record pages are in the ``activities`` namespace and the follow-up pages in ``followup``,
as they always were; the coordinator workspace is ``workspace`` (config/urls.py includes the three lists)."""

from django.urls import path

from .views import (
    activities,
    dashboards,
    events,
    exports,
    indicators,
    next_year,
    records,
    reports,
    workspace,
    workspace_imports,
    workspace_promises,
)

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

workspace_urls = (
    [
        path("arbetsyta/", workspace.workspace_home, name="home"),
        path("arbetsyta/loften/nytt/", workspace_promises.promise_create, name="promise_create"),
        path("arbetsyta/loften/<int:promise_id>/", workspace.promise_page, name="promise"),
        path("arbetsyta/loften/<int:promise_id>/andra/", workspace_promises.promise_edit, name="promise_edit"),
        path("arbetsyta/loften/<int:promise_id>/underteckna/", workspace_promises.promise_sign, name="promise_sign"),
        path("arbetsyta/loften/<int:promise_id>/avsluta/", workspace_promises.promise_close, name="promise_close"),
        path("arbetsyta/loften/<int:promise_id>/oppna-igen/", workspace_promises.promise_reopen, name="promise_reopen"),
        path("arbetsyta/loften/<int:promise_id>/tillsammans/", workspace_promises.promise_share, name="promise_share"),
        path("arbetsyta/forfragningar/<int:request_id>/", workspace_promises.link_request, name="link_request"),
        path(
            "arbetsyta/forfragningar/<int:request_id>/dra-tillbaka/",
            workspace_promises.link_request_withdraw,
            name="link_request_withdraw",
        ),
        path(
            "arbetsyta/loften/<int:promise_id>/fokusomraden/nytt/",
            workspace_promises.focus_area_create,
            name="focus_area_create",
        ),
        path(
            "arbetsyta/fokusomraden/<int:focus_area_id>/andra/",
            workspace_promises.focus_area_edit,
            name="focus_area_edit",
        ),
        path(
            "arbetsyta/loften/<int:promise_id>/aktiviteter/ny/",
            workspace_promises.activity_create,
            name="activity_create",
        ),
        path("arbetsyta/aktiviteter/<int:activity_id>/andra/", workspace_promises.activity_edit, name="activity_edit"),
        # Imports (issue 16): a promise from the template or its published text, any promise as the template,
        # and records from a sheet.
        path("arbetsyta/importera/", workspace_imports.promise_import, name="promise_import"),
        path("arbetsyta/importera/mall.xlsx", workspace_imports.promise_template, name="promise_template"),
        path("arbetsyta/importera/text/", workspace_imports.promise_paste, name="promise_paste"),
        path("arbetsyta/loften/<int:promise_id>/loftet.xlsx", workspace_imports.promise_export, name="promise_export"),
        path(
            "arbetsyta/loften/<int:promise_id>/registreringar/importera/",
            workspace_imports.records_import,
            name="records_import",
        ),
        path(
            "arbetsyta/loften/<int:promise_id>/registreringar/mall.xlsx",
            workspace_imports.records_template,
            name="records_template",
        ),
    ],
    "workspace",
)
