"""On English pages every element whose content the municipality wrote in Swedish carries lang="sv" (WCAG 3.1.2,
issue 18): screen readers then read promise titles, texts and activities with a Swedish voice."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.conftest import freeze, make_record, make_report

pytestmark = pytest.mark.django_db


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LanguageOfText(HTMLParser):
    """Each piece of text on the page with the language in force there (the nearest lang attribute around it)."""

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            inherited = self.stack[-1][1] if self.stack else None
            self.stack.append((tag, dict(attrs).get("lang", inherited)))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip():
            self.texts.append((" ".join(data.split()), self.stack[-1][1] if self.stack else None))


def languages_of(content, text):
    parser = LanguageOfText()
    parser.feed(content[content.index("<main") : content.index("</main>")])  # the <title> names the page
    found = {language for data, language in parser.texts if text in data}
    assert found, f"{text!r} not on the page"
    return found


def english_promise_page(client, world):
    client.cookies["django_language"] = "en"
    url = reverse("promise", kwargs={"municipality": "strangnas", "year": world.promise.year})
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en"' in content
    return content


def swedish_texts(world):
    texts = [world.promise.title, world.count_activity.title]
    texts += [world.promise.pledge.split("\n")[0]] if world.promise.pledge else []
    texts += [world.focus_area.title]
    return [text for text in texts if text]


def test_swedish_content_on_the_english_promise_page_is_marked_swedish(client, world):
    world.promise.pledge = "Vi lovar att synas mer i centrum."
    world.promise.save()
    world.count_activity.description = "Polisen går en runda varje fredag."
    world.count_activity.save()
    content = english_promise_page(client, world)
    for text in [*swedish_texts(world), "Vi lovar att synas mer i centrum.", "Polisen går en runda varje fredag."]:
        assert languages_of(content, text) == {"sv"}, text


def test_published_results_on_the_english_promise_page_are_marked_swedish(client, world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 3))
    freeze(make_report(world.promise, status="published"))
    content = english_promise_page(client, world)
    assert languages_of(content, world.count_activity.title) == {"sv"}
