"""The staff side on a phone: a police officer logs a dog search, the coordinator voids it, keyboard alone works."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import ActivityRecord
from tests.browser.axe import assert_no_axe_violations

ACTIVITY = "Narkotikasök med hund"
POLICE = ("polis", "demo-polis-2020")
COORDINATOR = ("samordnare", "demo-samordnare-2020")
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def log_in(page, username, password):
    page.goto(reverse("login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_be_visible()


def log_out(page):
    page.get_by_role("button", name=re.compile("^Logga ut")).click()
    expect(page.get_by_role("link", name="Logga in").first).to_be_visible()


def activity_card(page):
    return page.locator("li.activity", has=page.get_by_role("heading", name=ACTIVITY))


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_police_officer_logs_a_dog_search_and_the_coordinator_voids_it(phone, demo_data):
    page = phone
    log_in(page, *POLICE)

    page.goto(reverse("activities:mine"))
    expect(activity_card(page)).to_contain_text("0 av 2 narkotikasök")
    assert no_horizontal_scroll(page)
    assert_no_axe_violations(page)

    activity_card(page).get_by_role("link", name=re.compile("^Registrera")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en genomförd aktivitet")
    assert_no_axe_violations(page)
    page.get_by_label("Datum").fill("2020-03-10")
    page.get_by_label("Plats", exact=True).select_option(label="Strängnäs")
    page.get_by_label("Platsbeskrivning").fill("Högstadieskola")
    page.get_by_label("Sammanfattning").fill("Narkotikasök med hund i skolans korridorer och skåp.")
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Registrera", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Registrerat: Narkotikasök med hund. Nu 1 av 2 narkotikasök.")
    expect(activity_card(page)).to_contain_text("1 av 2 narkotikasök")
    record = ActivityRecord.objects.get(activity__title=ACTIVITY)
    assert record.place_text == "Högstadieskola"

    page.goto(reverse("activities:records"))
    expect(page.get_by_role("link", name=ACTIVITY, exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    log_out(page)

    log_in(page, *COORDINATOR)
    page.goto(reverse("activities:municipality_records"))
    assert_no_axe_violations(page)
    page.get_by_role("row", name=re.compile(ACTIVITY)).get_by_role("link", name=re.compile("^Makulera")).click()
    assert_no_axe_violations(page)
    page.get_by_label("Skäl för makulering").fill("Registrerad på fel datum")
    page.get_by_role("button", name="Makulera registreringen").click()
    expect(page.get_by_role("status")).to_contain_text("Makulerat: Narkotikasök med hund. Nu 0 av 2 narkotikasök.")

    page.goto(reverse("activities:record", args=[record.pk]))
    expect(page.get_by_role("heading", name="Ändringshistorik")).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Registrerad på fel datum")
    assert_no_axe_violations(page)

    page.goto(reverse("activities:mine"))
    expect(activity_card(page)).to_contain_text("0 av 2 narkotikasök")


def tab_to(page, selector, limit=80):
    """Press Tab until the focused element matches the selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def log_in_with_the_keyboard(page, username, password):
    page.goto(reverse("login"))
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_be_visible()


def test_the_whole_flow_works_with_the_keyboard_alone(page, demo_data):
    log_in_with_the_keyboard(page, *POLICE)

    # The skip link comes first, and the menu leads to "Mina aktiviteter".
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Hoppa till innehållet"
    tab_to(page, f"a[href='{reverse('activities:mine')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina aktiviteter")

    activity = ActivityRecord._meta.get_field("activity").related_model.objects.get(
        title=ACTIVITY, promise__slug="strangnas-2020"
    )
    tab_to(page, f"a[href='{reverse('activities:log_activity', args=[activity.pk])}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en genomförd aktivitet")

    tab_to(page, "#id_occurred_on")
    # Chromium's date field takes digits segment by segment; headless Chromium here orders the segments
    # month, day, year whatever the locale, so a keyboard user types 03, 10, 2020.
    page.keyboard.type("03102020")
    assert page.input_value("#id_occurred_on") == "2020-03-10"
    tab_to(page, "#id_summary")
    page.keyboard.type("Narkotikasök med hund, registrerat med tangentbordet.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Nu 1 av 2 narkotikasök.")
    assert ActivityRecord.objects.filter(activity=activity, summary__contains="tangentbordet").count() == 1
