"""Atom feed of published reports (placeholder: being written)."""

from django.contrib.syndication.views import Feed


class PublishedReportsFeed(Feed):
    pass
