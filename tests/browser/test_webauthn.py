"""Security keys (WebAuthn) in Chromium, with a virtual authenticator over the DevTools protocol: a person adds a key
with the keyboard, logs out, logs in with the password and the key, and every page passes axe, fits a phone and
breaks no Content-Security-Policy rule.

WebAuthn refuses an IP address as the relying party's id: the live server is reached as http://localhost:<port>
(pytest-django's default host, a secure context for the browser).
"""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_csp import violations  # noqa: F401 - the fixture
from tests.browser.test_staff_flow import PHONE, log_in, log_out, no_horizontal_scroll, tab_to
from tests.conftest import PASSWORD


@pytest.fixture
def authenticator(page):
    """A virtual security key in the browser: CTAP2 over USB, with a PIN or fingerprint that always says yes."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, added["authenticatorId"]


def check(page, width=None):
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page), page.url


def test_a_person_adds_a_key_and_logs_in_with_password_and_key(page, live_server, world, authenticator, violations):  # noqa: F811
    assert live_server.url.startswith("http://localhost:"), live_server.url
    session, authenticator_id = authenticator
    recorder = world.police_recorder
    page.set_viewport_size(PHONE)
    log_in(page, recorder.username, PASSWORD)

    page.goto("/konto/2fa/")
    check(page)
    page.get_by_role("link", name="Lägg till en säkerhetsnyckel").click()
    expect(page.get_by_role("heading", name="Lägg till en säkerhetsnyckel")).to_be_visible()
    # With JavaScript, the button is there and the "needs JavaScript" note is not.
    expect(page.get_by_text("En säkerhetsnyckel behöver JavaScript")).to_be_hidden()
    check(page)
    page.get_by_label("Namn på nyckeln").fill("Nyckelknippan")
    tab_to(page, "#mfa_webauthn_add")
    page.keyboard.press("Enter")
    # The first key comes with recovery codes.
    expect(page.get_by_role("heading", name="Reservkoder")).to_be_visible()
    assert page.locator(".recovery-codes li").count() == 10
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1
    assert Authenticator.objects.filter(user=recorder, type=Authenticator.Type.WEBAUTHN).count() == 1

    page.goto("/konto/2fa/webauthn/")
    expect(page.locator(".security-keys strong")).to_have_text("Nyckelknippan")
    check(page)
    page.get_by_role("link", name="Ta bort Nyckelknippan").click()
    expect(page.get_by_role("heading", name="Ta bort säkerhetsnyckeln")).to_be_visible()
    check(page)
    log_out(page)

    # The password alone is not enough: the key is asked for, and answers.
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(recorder.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Din säkerhetsnyckel")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Använd säkerhetsnyckeln").click()
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_be_visible()
    assert "/konto/2fa/" not in page.url

    assert violations == [], "\n".join(f"{url}: {text}" for url, text in violations)


def test_a_key_that_does_not_answer_is_told_on_the_page(page, live_server, world, authenticator):
    session, authenticator_id = authenticator
    log_in(page, world.police_recorder.username, PASSWORD)
    # The person never touches the key: the browser gives up, and the page says so instead of doing nothing.
    session.send("WebAuthn.setAutomaticPresenceSimulation", {"authenticatorId": authenticator_id, "enabled": False})
    page.goto("/konto/2fa/webauthn/add/")
    page.evaluate(
        "() => { const data = document.getElementById('js_data');"
        " const options = JSON.parse(data.textContent); options.creation_options.publicKey.timeout = 1000;"
        " data.textContent = JSON.stringify(options); }"
    )
    page.get_by_role("button", name="Lägg till nyckeln").click()
    expect(page.get_by_role("alert")).to_contain_text("Säkerhetsnyckeln svarade inte")
    assert_no_axe_violations(page)
    assert not Authenticator.objects.filter(user=world.police_recorder).exists()


def test_without_javascript_the_key_page_says_a_key_needs_it(browser, live_server, world):
    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/logga-in/")
        page.get_by_label("Användarnamn").fill(world.police_recorder.username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.goto(f"{live_server.url}/konto/2fa/webauthn/add/")
        # Playwright's text locators skip <noscript>; the rendered text and the box show what the person sees.
        expect(page.locator("noscript p.notice")).to_be_visible()
        assert "En säkerhetsnyckel behöver JavaScript." in page.inner_text("main")
        # No button that would do nothing.
        # (axe needs JavaScript in the page: the same page passes it with JavaScript, above.)
        expect(page.get_by_role("button", name="Lägg till nyckeln")).to_have_count(0)
    finally:
        context.close()
