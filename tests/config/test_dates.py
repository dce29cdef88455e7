"""Swedish dates through the locale's formats (issue 18, klarspråk): "31 dec. 2020" on Swedish pages, never
"31 Dec 2020"; English pages keep English month names."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

SWEDISH_SHORT = r"\d{1,2} (jan\.|febr\.|mars|apr\.|maj|juni|juli|aug\.|sept\.|okt\.|nov\.|dec\.) \d{4}"
ENGLISH_MONTH = r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{4}"


def render(template, language, **context):
    with translation.override(language):
        return Template(template).render(Context(context))


@pytest.mark.parametrize(
    ("day", "swedish", "english"),
    [
        (datetime.date(2020, 12, 31), "31 dec. 2020", "31 Dec 2020"),
        (datetime.date(2020, 5, 3), "3 maj 2020", "3 May 2020"),
        (datetime.date(2021, 2, 1), "1 febr. 2021", "1 Feb 2021"),
        (datetime.date(2021, 9, 9), "9 sept. 2021", "9 Sep 2021"),
    ],
)
def test_the_short_date_reads_as_swedish_in_swedish(day, swedish, english):
    template = '{{ day|date:"SHORT_DATE_FORMAT" }}'
    assert render(template, "sv", day=day) == swedish
    assert render(template, "en", day=day) == english


def test_the_staff_overview_shows_the_judgement_date_in_swedish(client, world):
    client.force_login(world.coordinator)
    client.cookies["django_language"] = "sv"
    content = client.get(reverse("followup:overview", args=["strangnas"])).content.decode()
    notes = re.findall(r'<span class="overview-note">(.*?)</span>', content, re.S)
    assert notes and all(re.search(SWEDISH_SHORT, note) for note in notes), notes
    assert not re.search(ENGLISH_MONTH, content)


def test_the_public_promise_page_shows_its_period_in_the_pages_language(client, world):
    url = reverse("promise", kwargs={"municipality": "strangnas", "year": world.promise.year})
    swedish = client.get(url).content.decode()
    assert "1 januari 2020 – 31 december 2020" in swedish
    assert not re.search(ENGLISH_MONTH, swedish)
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "1 January 2020 – 31 December 2020" in english
