"""Every page at 320, 375 and 1280 px, for every persona of the URL walk (issue 18, item 1).

For each persona the pages are those the URL walk (tests/config/url_walk.json) records as answering 200 to it, opened
with the walk's own arguments; an address that answers something other than an HTML page (an export, the API's
JSON, the feed) must be one of NOT_PAGES, so that no page is left out without a word. On every page:

- nothing scrolls sideways (the document is no wider than the window) at any of the three widths;
- on the two narrow widths every table of the page's content reads as cards: each row a block, each cell under
  the name of its column; and every checkbox and radio button has its label beside it, at least 44 px high;
- at 1280 px no table is wider than its box (the overview's "Senaste uppföljning" was cut off there).

One browser, one context per persona and width. Screenshots of /stil/ and of each persona's main page at 375 and
1280 px are written to test-artifacts/screenshots/ (git-ignored) for people to look at; they are not compared.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.axe import assert_no_axe_violations
from tests.config.test_url_walk import PERSONAS, RECORDING, _kwargs, _named_patterns, _real_arguments

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
NARROW = (320, 375)
WIDE = 1280
HEIGHT = 800
# What Chromium asks for when it opens an address.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# Addresses that answer 200 with something other than an HTML page: files, data and machine-readable answers.
NOT_PAGES = {
    "api:activity-detail",
    "api:activity-list",
    "api:api-root",
    "api:event-detail",
    "api:event-list",
    "api:municipality-detail",
    "api:municipality-list",
    "api:promise-detail",
    "api:promise-list",
    "api:report-detail",
    "api:report-list",
    "api:schema",
    "favicon",
    "followup:figures_export",
    "followup:records_export",
    "followup:records_export_all",
    "health",
    "municipality_calendar",
    "municipality_feed",
    "report_edition_pdf",
    "report_pdf",
    "report_slug_edition_pdf",
    "report_slug_pdf",
    "workspace:promise_export",
    "workspace:promise_template",
    "workspace:records_template",
}

# The page each persona opens first for its main task.
MAIN_PAGES = {
    "police_recorder": "activities:mine",
    "municipal_recorder": "activities:mine",
    "coordinator": "workspace:home",
    "council_member": "followup:overview",
    "outsider": "todo:start",
    "administrator": "followup:national",
    "anonymous": "home",
}

# What the page measures: sideways scroll, tables that are not cards, and tables cut off in their box.
MEASURE = """() => {
  const tables = Array.from(document.querySelectorAll("main table"));
  const notCards = [];
  const unlabelled = [];
  const cutOff = [];
  tables.forEach((table, index) => {
    const name = (table.caption && table.caption.textContent.trim()) || `table ${index + 1}`;
    const rows = Array.from(table.querySelectorAll(":scope > tbody > tr"));
    if (rows.some((row) => getComputedStyle(row).display !== "block")) notCards.push(name);
    rows.forEach((row) => Array.from(row.cells).forEach((cell) => {
      if (cell.tagName === "TD" && cell.textContent.trim() && !cell.getAttribute("data-label")) unlabelled.push(name);
    }));
    const box = table.parentElement;
    if (box.scrollWidth > box.clientWidth + 1) cutOff.push(`${name} (${box.scrollWidth} px in ${box.clientWidth} px)`);
  });
  // The outermost elements that reach past the window's right edge, to say what makes a page scroll sideways.
  const wide = [];
  if (document.documentElement.scrollWidth > window.innerWidth) {
    const reach = (element) => element.getBoundingClientRect().left + element.scrollWidth;
    document.querySelectorAll("main *, header *, footer *").forEach((element) => {
      // Reaching out by its box, or by content spilling out of it (a long word in a heading).
      const out = element.getBoundingClientRect().right > window.innerWidth + 1
        || (getComputedStyle(element).overflowX === "visible" && reach(element) > window.innerWidth + 1);
      if (!out) return;
      const parent = element.parentElement;
      if (parent && parent.getBoundingClientRect().right > window.innerWidth + 1) return;
      const classes = element.classList.length ? "." + Array.from(element.classList).join(".") : "";
      wide.push(`<${element.tagName.toLowerCase()}${classes}> ${element.textContent.trim().slice(0, 40)}`);
    });
  }
  // Checkboxes and radio buttons: the label beside the box, on its row, and at least 44 px high to hit.
  const choices = [];
  document.querySelectorAll("main input[type=checkbox], main input[type=radio]").forEach((input) => {
    const label = input.labels && input.labels[0];
    const what = (label ? label.textContent.trim() : input.name).slice(0, 40);
    if (!label) { choices.push(`${what}: no label`); return; }
    const box = input.getBoundingClientRect();
    const row = label.getBoundingClientRect();
    if (!label.contains(input) && (row.left < box.right || row.top >= box.bottom || box.top >= row.bottom)) {
      choices.push(`${what}: the label is not beside its box`);
    }
    if (row.height < 44) choices.push(`${what}: ${Math.round(row.height)} px to hit, under 44 px`);
  });
  return {
    choices: [...new Set(choices)].slice(0, 5),
    wide: wide.slice(0, 5),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    tables: tables.length,
    notCards,
    unlabelled: [...new Set(unlabelled)],
    cutOff,
  };
}"""


def _pages_of(persona, world):
    """(name, url) of every HTML page the walk records as answering 200 to the persona, and the other 200s."""
    recorded = json.loads(RECORDING.read_text())
    arguments = _real_arguments(world)
    patterns = _named_patterns()
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    pages, others = [], []
    for name, expected in sorted(recorded.items()):
        if expected["statuses"][persona] != 200:
            continue
        url = reverse(name, kwargs=_kwargs(name, patterns[name], arguments))
        response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code} to {persona}"
        if response["Content-Type"].startswith("text/html"):
            pages.append((name, url))
        else:
            others.append(name)
    return pages, others, client


def _context_for(new_context, live_server, client, width):
    context = new_context(viewport={"width": width, "height": HEIGHT})
    context.set_default_timeout(10_000)
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session is not None:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_server.url, "httpOnly": True}]
        )
    return context


@pytest.mark.parametrize("persona", [persona or "anonymous" for persona in PERSONAS])
def test_every_page_fits_every_width_and_its_tables_read_as_cards(persona, new_context, live_server, world, clock):
    pages, others, client = _pages_of(persona, world)
    assert pages, f"the walk reaches no page for {persona}"
    assert set(others) <= NOT_PAGES, f"not HTML, and not known as a file or data: {sorted(set(others) - NOT_PAGES)}"

    problems = []  # gathered over every page and width, so that one run shows them all
    for width in (*NARROW, WIDE):
        context = _context_for(new_context, live_server, client, width)
        page = context.new_page()
        for name, url in pages:
            response = page.goto(live_server.url + url)
            assert response.status == 200, f"{name} ({url}) answered {response.status} in the browser to {persona}"
            found = page.evaluate(MEASURE)
            where = f"{width} px, {persona}, {name} ({url})"
            if found["scrollWidth"] > found["innerWidth"]:
                problems.append(
                    f"{where}: scrolls sideways, {found['scrollWidth']} px in {found['innerWidth']} px: {found['wide']}"
                )
            if width in NARROW:
                if found["notCards"]:
                    problems.append(f"{where}: tables not shown as cards: {found['notCards']}")
                if found["choices"]:
                    problems.append(f"{where}: checkboxes or radio buttons: {found['choices']}")
                if found["unlabelled"]:
                    problems.append(f"{where}: cells without their column's name: {found['unlabelled']}")
            elif found["cutOff"]:
                problems.append(f"{where}: tables wider than their box: {found['cutOff']}")
            if name == MAIN_PAGES[persona] and width in (375, WIDE):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"{persona}-{name.replace(':', '-')}-{width}.png", full_page=True)
        context.close()
    assert MAIN_PAGES[persona] in {name for name, _ in pages}, f"{persona}'s main page is not among its pages"
    assert not problems, "\n".join(problems)


def test_the_style_page_shows_every_component_passes_axe_and_is_screenshot(new_context, live_server, world, clock):
    client = Client()
    client.force_login(world.police_recorder)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, WIDE):
        context = _context_for(new_context, live_server, client, width)
        page = context.new_page()
        page.goto(live_server.url + reverse("style"))
        for component in (
            ".button",
            ".button--secondary",
            ".button--warning",
            ".error-summary",
            ".field .help",
            ".field--error .errors",
            ".choices",
            ".banner",
            ".message",
            ".status",
            ".tag",
            ".summary-list",
            "table",
        ):
            assert page.locator(component).count() > 0, f"the style page shows no {component}"
        # Checkboxes and radio buttons: the label beside its box, on the same row, and at least 44 px to hit.
        for choice in page.locator(".choices li").all():
            box = choice.locator("input").bounding_box()
            label = choice.locator("label").bounding_box()
            assert label["x"] >= box["x"] + box["width"], "a choice's label is not to the right of its box"
            assert label["y"] < box["y"] + box["height"] and box["y"] < label["y"] + label["height"], "not one row"
            assert label["height"] >= 44, f"a choice's label is {label['height']} px high, under 44 px"
        single = page.locator(".field:has(> input[type=checkbox])")
        assert single.locator("label").bounding_box()["x"] > single.locator("input").bounding_box()["x"]
        # Clicking the label ticks the box.
        first = page.locator(".choices li").nth(1)
        first.locator("label").click()
        assert first.locator("input").is_checked()
        # Dates do not break: the date cell is one line high.
        date = page.locator("td.date").first
        assert date.evaluate("cell => getComputedStyle(cell).whiteSpace") == "nowrap"
        if width == 375:
            assert page.locator("tbody tr").first.evaluate("row => getComputedStyle(row).display") == "block"
            assert page.locator("td.date").first.get_attribute("data-label") == "Datum"
            # A card's actions are big enough for a finger.
            assert page.get_by_role("link", name="Rätta").bounding_box()["height"] >= 44
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert_no_axe_violations(page)
        page.screenshot(path=SCREENSHOTS / f"style-{width}.png", full_page=True)
        context.close()


def test_the_style_page_is_for_staff_only(client, world, django_user_model):
    url = reverse("style")
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    assert client.get(url).status_code == 404
    client.force_login(world.council_member)
    assert client.get(url).status_code == 200
