"""Atom feed of a municipality's published tertial reports, newest first.

Only published reports of public promises are items: never a draft, submitted or merely approved report, and
never one of a promise that is (again) a draft. The item's text is the report's summary, HTML-escaped by the
template, so nothing staff typed can become markup in a feed reader.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from promises.models import Municipality

from . import selectors


class PublishedReportsFeed(Feed):
    feed_type = Atom1Feed
    description_template = "public/_feed_item.html"

    def get_object(self, request, municipality):
        return get_object_or_404(Municipality, slug=municipality)

    def title(self, obj):
        return _("Published results of the citizen promises in %(name)s") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Tertial follow-ups approved by the crime-prevention council, newest first.")

    def link(self, obj):
        return reverse("municipality", kwargs={"municipality": obj.slug})

    def items(self, obj):
        return selectors.published_reports_in(obj)

    def item_title(self, item):
        return f"{item.promise.title} – {item.tertial.label}"

    def item_link(self, item):
        return item.public_url

    # In Swedish time, like every time the portal shows; the offset keeps the instant exact for any reader.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.published_at)
