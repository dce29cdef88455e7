""" "Att göra" and the subscription page in a real browser: axe clean, usable with the keyboard, no sideways scroll
at 375 px."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from notices.models import Message
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import COORDINATOR, PHONE, no_horizontal_scroll, tab_to


def test_a_coordinator_lands_on_to_do_and_follows_an_item_with_the_keyboard(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto(reverse("login"))
    tab_to(page, "#id_username")
    page.keyboard.type(COORDINATOR[0])
    page.keyboard.press("Tab")
    page.keyboard.type(COORDINATOR[1])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/att-gora/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    tab_to(page, f"a[href='{reverse('todo:settings')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inställningar för notiser")
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)


def test_a_citizen_subscribes_with_the_keyboard(page, demo_data):
    page.set_viewport_size(PHONE)
    page.goto(reverse("subscribe", args=["strangnas"]))
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    tab_to(page, "#id_email")
    page.keyboard.type("invanare@example.se")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    assert_no_axe_violations(page)
    assert Message.objects.filter(to_email="invanare@example.se").count() == 1


def test_the_measuring_page_is_axe_clean_fits_a_phone_and_leads_on_by_keyboard(page, demo_data):
    """The logged-in floor the benchmark measures (staff.views.floor) is a page a person may land on too."""
    page.set_viewport_size(PHONE)
    page.goto(reverse("login") + "?next=" + reverse("todo:floor"))
    tab_to(page, "#id_username")
    page.keyboard.type(COORDINATOR[0])
    page.keyboard.press("Tab")
    page.keyboard.type(COORDINATOR[1])
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mätsida")
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    tab_to(page, f"main a[href='{reverse('todo:start')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")
