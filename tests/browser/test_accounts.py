"""The account pages (issue 16) in a browser: axe finds nothing, they fit a phone, and a person changes their
password and sets up the second factor with the keyboard alone."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import app_settings as totp_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import PHONE, log_in, no_horizontal_scroll, tab_to
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-long-passphrase"


def code_for(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // totp_settings.TOTP_PERIOD))


@pytest.fixture
def recorder(world):
    user = world.police_recorder
    user.email = "polis.recorder@polisen.se"
    user.save()
    return user


@pytest.mark.parametrize("width", [None, PHONE], ids=["desktop", "phone"])
def test_every_account_page_passes_axe_and_fits_a_phone(page, live_server, recorder, width):
    if width:
        page.set_viewport_size(width)
    for url in ("/logga-in/", "/konto/password/reset/", "/konto/signup/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        assert no_horizontal_scroll(page), url
    # A reset link, its page, and the refused form.
    page.goto("/konto/password/reset/")
    page.get_by_label("E-post").fill(recorder.email)
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("heading", name="Titta i din e-post")).to_be_visible()
    assert_no_axe_violations(page)
    link = re.search(r"http://[^/]+(/konto/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välj ett nytt lösenord")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)

    log_in(page, recorder.username, PASSWORD)
    for url in ("/konto/", "/konto/password/change/", "/konto/2fa/", "/konto/2fa/totp/activate/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        assert no_horizontal_scroll(page), url


def test_a_person_changes_the_password_and_sets_up_the_app_with_the_keyboard(page, live_server, recorder):
    log_in(page, recorder.username, PASSWORD)
    page.goto("/konto/password/change/")
    tab_to(page, "#id_oldpassword")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()
    recorder.refresh_from_db()
    assert recorder.check_password(NEW_PASSWORD)

    page.goto("/konto/2fa/totp/activate/")
    secret = page.locator("dd code").inner_text().strip()
    tab_to(page, "#id_code")
    page.keyboard.type(code_for(secret))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
