"""Atom feed of a municipality's published tertial reports, newest first, one entry per published edition.

Only published editions of reports of public promises are items: never a draft, submitted or merely approved
report, and never one of a promise that is (again) a draft. The item's text is the report's summary as it was
published, HTML-escaped by the template, so nothing staff typed can become markup in a feed reader.

A correction is an entry of its own that says what it corrects and why. The edition it replaces stays in the feed,
its title and text saying that it was replaced, its link pointing at its own address and its updated time moved
to the moment it was replaced, so that a reader that already showed it shows the change. Every entry's id is the
address of its edition, which never changes.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from followup.wording import months_label
from promises.models import Municipality

from . import selectors


class StyledAtom1Feed(Atom1Feed):
    """Atom with the feed's style sheets: Django writes them in RSS only (RssFeed.add_stylesheets)."""

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # A processing instruction before the root element, as XML wants it.
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class PublishedReportsFeed(Feed):
    """The feed, in the visitor's language: the language cookie when set, else Accept-Language (LocaleMiddleware).

    The answer says ``Vary: Cookie, Accept-Language``: LocaleMiddleware names only Accept-Language, and a browser or
    proxy keeping the Swedish copy would otherwise hand it to a visitor who chose English with the cookie. The
    portal's own copy (public.page_cache) is kept per language already. A feed reader sends no cookie, so the
    Vary costs it nothing; the language stays out of the address, so a subscribed address never changes.
    """

    feed_type = StyledAtom1Feed
    description_template = "public/_feed_item.html"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    def get_object(self, request, municipality):
        self.request = request
        return get_object_or_404(Municipality, slug=municipality)

    def stylesheets(self, obj):
        # A browser shows the feed as a page through this style sheet (from the portal's own static files, on the
        # same host) instead of as raw XML; feed readers ignore it.
        return [Stylesheet(static("css/feed.css"), mimetype="text/css")]

    def title(self, obj):
        return _("Published results of the citizen promises in %(name)s") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Published follow-ups of the citizen promises, newest first.")

    def link(self, obj):
        return reverse("municipality", kwargs={"municipality": obj.slug})

    def items(self, obj):
        return selectors.published_reports_in(obj)

    def item_title(self, item):
        report = item.report
        title = (
            f"{item.frozen_title or report.promise.title} – {months_label(report.tertial.start, report.tertial.end)}"
        )
        if item.replaced_at:
            return _("%(title)s (replaced by a corrected edition)") % {"title": title}
        if item.edition > 1:
            return _("%(title)s (corrected edition %(edition)s)") % {"title": title, "edition": item.edition}
        return title

    def item_link(self, item):
        return item.public_url

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.entry_id)

    item_guid_is_permalink = False

    # In Swedish time, like every time the portal shows; the offset keeps the instant exact for any reader.
    def item_pubdate(self, item):
        return timezone.localtime(item.published_at)

    def item_updateddate(self, item):
        return timezone.localtime(item.replaced_at or item.published_at)
