"""Every page the URL walk reaches, for every persona: a breadcrumb whose links work, and headings in order.

The walk is the one of test_url_walk (every named address, with arguments naming real objects of the world), over
a world with an activity outside any focus area too, since that is where a heading level was skipped ("Mina
aktiviteter" went from h2 to h4).
"""

import re
from html.parser import HTMLParser
from itertools import pairwise

import pytest
from django.urls import reverse

from activities.models import Activity
from tests.config.test_url_walk import PERSONAS, _kwargs, _named_patterns, _real_arguments

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """The breadcrumbs (each nav labelled "Du är här": its items, their links and aria-current) and the headings."""

    def __init__(self):
        super().__init__()
        self.crumbs = []  # one list of items per breadcrumb nav: (href or None, aria-current)
        self.headings = []
        self.current_text = ""  # what the breadcrumb calls the page itself
        self._in_current = False
        self._in_crumbs = False
        self._in_ordered_list = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Du är här":
            self._in_crumbs = True
            self.crumbs.append([])
        elif self._in_crumbs and tag == "ol":
            self._in_ordered_list = True
        elif self._in_crumbs and self._in_ordered_list and tag == "li":
            self.crumbs[-1].append([None, attrs.get("aria-current")])
            self._in_current = attrs.get("aria-current") == "page"
        elif self._in_crumbs and tag == "a" and self.crumbs[-1]:
            self.crumbs[-1][-1][0] = attrs.get("href")
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        if self._in_current:
            self.current_text += data.strip()

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_current = False
        if tag == "nav" and self._in_crumbs:
            self._in_crumbs = self._in_ordered_list = False


def _pages(client, world):
    """(persona, address name, url, parsed page) for every page that answers 200 with HTML."""
    Activity.objects.create(
        promise=world.promise,
        kind=world.count_activity.kind,
        title="Utan fokusområde",
        lead_organisation=world.police_organisation,
    )
    arguments = _real_arguments(world)
    for persona in PERSONAS:
        client.logout()
        if persona:
            client.force_login(getattr(world, persona))
        for name, parameters in sorted(_named_patterns().items()):
            url = reverse(name, kwargs=_kwargs(name, parameters, arguments))
            response = client.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                page = _Page()
                page.feed(response.content.decode())
                yield persona or "anonymous", name, url, page


def test_every_page_has_a_breadcrumb_whose_links_work_and_its_headings_in_order(client, world, clock):
    missing, broken, skipped = [], [], []
    checked = {}
    pages = 0
    for persona, name, url, page in _pages(client, world):
        pages += 1
        where = f"{persona} {name} {url}"
        if len(page.crumbs) != 1 or not page.crumbs[0]:
            missing.append(where)
        else:
            *above, current = page.crumbs[0]
            unnamed = not page.current_text
            if current[1] != "page" or current[0] is not None or unnamed or any(href is None for href, _ in above):
                missing.append(f"{where}: {page.crumbs[0]}")
            for href, _ in above:
                if (persona, href) not in checked:
                    # A page above may send on to the one page it has for this person (a coordinator's one
                    # municipality): it works if it ends on a page.
                    checked[persona, href] = client.get(href, follow=True).status_code
                if checked[persona, href] != 200:
                    broken.append(f"{where} → {href} ({checked[persona, href]})")
        levels = page.headings
        if (levels and levels[0] != 1) or any(after > before + 1 for before, after in pairwise(levels)):
            skipped.append(f"{where}: {levels}")
    assert pages > 100  # every persona's pages, not a walk that stopped early
    assert not missing, "\n".join(missing)
    assert not broken, "\n".join(broken)
    assert not skipped, "\n".join(skipped)
