"""The public side as a citizen meets it: axe in Swedish and English, 320 px and 200 % zoom, keyboard alone."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, PlannedEvent
from followup import services
from followup.models import Indicator, IndicatorValue
from followup.tertials import Tertial
from promises.models import MunicipalitySettings, Promise
from tests.browser.axe import assert_no_axe_violations


@pytest.fixture
def published(demo_data):
    """Strängnäs 2020 with T1 published, and an upcoming public parent meeting."""
    users = get_user_model().objects
    promise = Promise.objects.get(slug="strangnas-2020")
    coordinator, council = users.get(username="samordnare"), users.get(username="radsledamot")
    # The municipality's contact and its own part of the accessibility statement (issue 16).
    MunicipalitySettings.objects.create(
        municipality=promise.municipalities.get(),
        contact_email="trygghet@strangnas.se",
        contact_phone="0152-291 00",
        accessibility_statement="Protokollen är inskannade PDF-filer.",
    )
    # An indicator with a baseline and a value, so that the pages draw a chart, a table and a trend.
    indicator = Indicator.objects.get(promise=promise, name__startswith="Narkotikabrott")
    IndicatorValue.objects.create(indicator=indicator, measured_on=datetime.date(2019, 12, 31), value=42)
    IndicatorValue.objects.create(indicator=indicator, year=2020, number=1, value=39)
    report = services.report_create(promise=promise, tertial=Tertial(2020, 1), by=coordinator)
    first = promise.activities.order_by("order").first()
    services.report_update(
        report=report,
        revision=report.revision,
        by=coordinator,
        summary="Arbetet har kommit igång.",
        assessments={first.pk: {"comment": "Den första insatsen genomfördes i mars.", "comment_public": True}},
    )
    report = services.report_submit(report=report, revision=report.revision, by=coordinator)
    report = services.report_approve(
        report=report, revision=report.revision, by=council, meeting_date=datetime.date(2020, 5, 20)
    )
    services.report_publish(report=report, revision=report.revision, by=coordinator)
    publish_the_end_of_2019(coordinator, council)
    start = timezone.now() + datetime.timedelta(days=7)
    PlannedEvent.objects.create(
        activity=Activity.objects.get(promise=promise, title__startswith="Föräldraträffar"),
        title="Föräldraträff om droger",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place_text="Aulan",
        created_by=coordinator,
    )
    return promise


def publish_the_end_of_2019(coordinator, council):
    """The 2019 promise's last report, with a verdict for every activity: the page that answers "was it kept?"."""
    promise = Promise.objects.get(slug="strangnas-2019")
    report = services.report_create(promise=promise, tertial=Tertial(2019, 3), by=coordinator)
    assessments = {}
    for number, activity in enumerate(promise.activities.order_by("order")):
        verdict = ("kept", "partly_kept", "not_kept")[number % 3]
        assessments[activity.pk] = {
            "verdict": verdict,
            "verdict_reason": "" if verdict == "kept" else "resources",
            "verdict_explanation": "" if verdict == "kept" else "Det fanns inte resurser under hösten.",
        }
    services.report_update(report=report, revision=report.revision, by=coordinator, summary="Året är slut.",
                           assessments=assessments)  # fmt: skip
    report.refresh_from_db()
    report = services.report_submit(report=report, revision=report.revision, by=coordinator)
    report = services.report_approve(
        report=report, revision=report.revision, by=council, meeting_date=datetime.date(2020, 2, 5)
    )
    services.report_publish(report=report, revision=report.revision, by=coordinator)


def public_urls():
    return [
        reverse("home"),
        reverse("home") + "?q=sträng",
        reverse("municipality", args=["strangnas"]),
        reverse("promise", args=["strangnas", 2020]),
        reverse("promise", args=["strangnas", 2019]),
        reverse("report", args=["strangnas", 2020, "2020T1"]),
        reverse("report_edition", args=["strangnas", 2020, "2020T1", 1]),
        reverse("report", args=["strangnas", 2019, "2019T3"]),
        reverse("accessibility"),
        reverse("municipality_accessibility", args=["strangnas"]),
        reverse("login"),
    ]


def switch_to_english(page):
    page.goto(reverse("home"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def fits_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_public_page_passes_axe(page, published, language):
    if language == "en":
        switch_to_english(page)
    for url in public_urls():
        response = page.goto(url)
        assert response.ok, url
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert page.locator("h1").count() == 1, url
        assert_no_axe_violations(page)


def test_the_public_pages_fit_320_pixels_and_200_percent_zoom(page, published):
    page.set_viewport_size({"width": 320, "height": 640})
    for url in public_urls():
        page.goto(url)
        assert fits_width(page), f"{url} scrolls sideways at 320 px"
    # Browser zoom at 200 % of a 1280 px window lays the page out in 640 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 800})
    for url in public_urls():
        page.goto(url)
        assert fits_width(page), f"{url} scrolls sideways at 200 % zoom"
    # Text alone at 200 % (WCAG 1.4.4): nothing may be cut off or spill sideways.
    page.set_viewport_size({"width": 1280, "height": 800})
    for url in public_urls():
        page.goto(url)
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert fits_width(page), f"{url} scrolls sideways with text at 200 %"


def test_the_status_is_never_colour_alone(page, published):
    page.goto(reverse("promise", args=["strangnas", 2020]))
    statuses = page.locator(".status")
    assert statuses.count() > 0
    for text in statuses.all_inner_texts():
        assert re.search(r"\w", text), "a status without a word"


def tab_to(page, name_pattern, limit=120):
    """Tab until the focused link or button's text matches, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement && document.activeElement.innerText || ''")
        if re.search(name_pattern, text):
            return
    pytest.fail(f"Tab never reached {name_pattern}")


def test_a_keyboard_walk_from_the_start_page_to_a_published_report(page, published):
    page.goto(reverse("home"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    tab_to(page, r"^Strängnäs")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Strängnäs")
    tab_to(page, r"2020")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2020")
    tab_to(page, r"januari–april 2020")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/resultat/2020T1/$"))
    expect(page.locator("main")).to_contain_text("Arbetet har kommit igång.")


def test_focus_is_always_visible(page, published):
    page.goto(reverse("home"))
    for _ in range(8):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), page.evaluate("document.activeElement.outerHTML")


def test_the_chart_labels_are_readable_on_a_phone(page, published):
    # Issue 18: scaled down with its box, a chart drawn 560 units wide wrote its labels about 7 px high on a phone.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(reverse("promise", args=["strangnas", 2020]))
    heights = page.eval_on_selector_all(
        ".chart svg text", "texts => texts.map(text => text.getBoundingClientRect().height)"
    )
    assert heights, "the promise page draws the indicator's chart"
    assert min(heights) >= 12, f"chart labels {min(heights):.1f} px high at 375 px"
    # And no label runs into another (the axis's figures, the values, the labels under the axis).
    overlaps = page.eval_on_selector_all(
        ".chart svg",
        """charts => charts.flatMap(svg => {
            const texts = [...svg.querySelectorAll('text')];
            const boxes = texts.map(text => text.getBoundingClientRect());
            return boxes.flatMap((a, i) => boxes.slice(i + 1).flatMap((b, j) =>
                a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
                    ? [[texts[i].textContent, texts[i + 1 + j].textContent]] : []));
        })""",
    )
    assert not overlaps, f"chart labels overlap at 375 px: {overlaps}"
