"""Every logged-in page. The record pages are in the ``activities`` namespace and the follow-up pages in ``followup``,
as they always were; the coordinator workspace is ``workspace``, and the page an invitation links to ``invitation``
(config/urls.py includes the four lists, and adds the invitation page: its forms may lead to the identity providers,
which config.accounts lets the page's Content-Security-Policy allow)."""

from django.urls import path

from .views import (
    activities,
    dashboards,
    events,
    exports,
    floor,
    indicators,
    next_year,
    onboarding,
    records,
    reports,
    style,
    todo,
    workspace,
    workspace_councils,
    workspace_events,
    workspace_imports,
    workspace_municipalities,
    workspace_people,
    workspace_places,
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
        path("uppfoljning/nationellt/", dashboards.national_overview_latest, name="national_latest"),
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
        # The records of the whole period, beside each tertial's.
        path(
            "uppfoljning/<int:promise_id>/registreringar.<str:fmt>",
            exports.records_export_all,
            name="records_export_all",
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
        path("arbetsyta/platser/", workspace_places.place_list, name="places"),
        path("arbetsyta/platser/ny/", workspace_places.place_create, name="place_create"),
        path("arbetsyta/platser/<int:place_id>/andra/", workspace_places.place_edit, name="place_edit"),
        path("arbetsyta/platser/<int:place_id>/pensionera/", workspace_places.place_retire, name="place_retire"),
        path("arbetsyta/handelser/", workspace_events.event_list, name="events"),
        path("arbetsyta/handelser/ny/", workspace_events.event_create, name="event_create"),
        path("arbetsyta/handelser/<int:event_id>/andra/", workspace_events.event_edit, name="event_edit"),
        path("arbetsyta/handelser/<int:event_id>/stall-in/", workspace_events.event_cancel, name="event_cancel"),
        path("arbetsyta/personer/", workspace_people.people, name="people"),
        path("arbetsyta/personer/bjud-in/", workspace_people.invite, name="invite"),
        path(
            "arbetsyta/inbjudningar/<int:invitation_id>/dra-tillbaka/",
            workspace_people.invitation_withdraw,
            name="invitation_withdraw",
        ),
        path(
            "arbetsyta/medlemskap/<int:membership_id>/andra/",
            workspace_people.membership_change,
            name="membership_change",
        ),
        path(
            "arbetsyta/medlemskap/<int:membership_id>/avsluta/", workspace_people.membership_end, name="membership_end"
        ),
        path("arbetsyta/kommuner/", workspace_municipalities.municipality_list, name="municipalities"),
        # Before the slug pattern below: "ny" is never a municipality's address here.
        path("arbetsyta/kommuner/ny/", onboarding.onboard_municipality, name="onboard"),
        path(
            "arbetsyta/kommuner/<slug:slug>/",
            workspace_municipalities.municipality_settings,
            name="municipality_settings",
        ),
        path(
            "arbetsyta/kommuner/<slug:slug>/inloggning/ny/",
            workspace_municipalities.identity_provider_create,
            name="identity_provider_create",
        ),
        path("arbetsyta/rad/", workspace_councils.council_list, name="councils"),
        path("arbetsyta/rad/<int:council_id>/andra/", workspace_councils.council_edit, name="council_edit"),
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

# "Att göra", where everyone lands after log-in (LOGIN_REDIRECT_URL), with the notices and their settings.
todo_urls = (
    [
        path("att-gora/", todo.start, name="start"),
        path("att-gora/notiser/<int:notice_id>/", todo.open_notice, name="open_notice"),
        path("installningar/notiser/", todo.notice_settings, name="settings"),
        # The logged-in floor the benchmark measures: session, user, scope and the menu, nothing else.
        path("matsida/", floor.floor, name="floor"),
    ],
    "todo",
)

# The living style page: every component of the design system, for staff of any role.
style_urls = [path("stil/", style.style_guide, name="style")]
