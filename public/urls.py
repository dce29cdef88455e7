"""The public pages. They come last in config/urls.py: a municipality's slug is the first part of the path."""

from django.urls import path

from . import calendar, feeds, subscriptions, views
from .page_cache import cached_public_page

urlpatterns = [
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    # E-mail subscriptions (notices): the links in the confirmation and in every message.
    path("prenumeration/bekrafta/<str:token>/", subscriptions.confirm, name="subscription_confirm"),
    path("prenumeration/avsluta/<str:token>/", subscriptions.unsubscribe, name="subscription_unsubscribe"),
    path("<slug:municipality>/prenumerera/", subscriptions.subscribe, name="subscribe"),
    path("<slug:municipality>/", views.municipality_page, name="municipality"),
    path("<slug:municipality>/tillganglighet/", views.municipality_accessibility, name="municipality_accessibility"),
    path("<slug:municipality>/flode.atom", cached_public_page(feeds.PublishedReportsFeed()), name="municipality_feed"),
    path("<slug:municipality>/kalender.ics", calendar.municipality_calendar, name="municipality_calendar"),
    path("<slug:municipality>/<int:year>/", views.promise_page, name="promise"),
    path("<slug:municipality>/<int:year>/resultat/<tertial:tertial>/", views.report_page, name="report"),
    path("<slug:municipality>/<int:year>/resultat/<tertial:tertial>.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<slug:municipality>/<int:year>/resultat/<tertial:tertial>/utgava-<int:edition>/",
        views.report_page,
        name="report_edition",
    ),
    path(
        "<slug:municipality>/<int:year>/resultat/<tertial:tertial>/utgava-<int:edition>.pdf",
        views.report_pdf,
        name="report_edition_pdf",
    ),
    path("<slug:municipality>/<int:year>/<slug:slug>/", views.promise_page, name="promise_slug"),
    path(
        "<slug:municipality>/<int:year>/<slug:slug>/resultat/<tertial:tertial>/",
        views.report_page,
        name="report_slug",
    ),
    path(
        "<slug:municipality>/<int:year>/<slug:slug>/resultat/<tertial:tertial>.pdf",
        views.report_pdf,
        name="report_slug_pdf",
    ),
    path(
        "<slug:municipality>/<int:year>/<slug:slug>/resultat/<tertial:tertial>/utgava-<int:edition>/",
        views.report_page,
        name="report_slug_edition",
    ),
    path(
        "<slug:municipality>/<int:year>/<slug:slug>/resultat/<tertial:tertial>/utgava-<int:edition>.pdf",
        views.report_pdf,
        name="report_slug_edition_pdf",
    ),
]
