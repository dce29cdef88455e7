"""Issue 16's "Done when", as one chain in Chromium, through pages alone: from an empty installation an
administrator creates a municipality with its organisations and first coordinator's invitation, and registers the
municipality's identity provider; the coordinator accepts the invitation by signing on through it (the test OIDC
provider on loopback, tests/oidc_provider), pastes the published promise, fixes the draft, signs it and invites a
police recorder, who makes a password account and logs an activity; the public page then shows the promise.

No shell, no admin form, no loader: the only rows made here are what installing makes (the first superuser, by
`createsuperuser`) and the test provider's own account for the coordinator. The invitations are read from the
outbox, as the people would read their e-mail.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityRecord
from activities.published_text import split_promises
from promises.models import IdentityProvider, Membership, Municipality, Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_imports import TEXTS
from tests.browser.test_staff_flow import log_in, log_out, no_horizontal_scroll
from tests.config.test_sso import CLIENT_SECRET, PROVIDER_PASSWORD, _setup, provider  # noqa: F401

CLIENT = "medborgarloften-onboarding"
SLUG = "strangnas-sso"
SECRET_VARIABLE = "OIDC_E2E_STRANGNAS_SECRET"
COORDINATOR_EMAIL = "sara.samordnare@strangnas.se"
RECORDER_EMAIL = "per.polis@polisen.se"
ADMIN_PASSWORD = "en-lang-losenfras-for-administratoren"
STRANGNAS_2020 = split_promises((TEXTS / "strangnas-2019-2020.txt").read_text())[0]


@pytest.fixture
def other_allowed_hosts(provider):  # noqa: F811
    return [urlsplit(provider).netloc]


@pytest.fixture
def sso(provider, live_server, monkeypatch):  # noqa: F811
    """The municipality's provider knows the portal (this client) and the coordinator (her account there)."""
    _setup(
        provider.folder,
        provider.environment,
        {
            "client_id": CLIENT,
            "redirect_uris": [f"{live_server.url}/konto/oidc/{SLUG}/login/callback/"],
            "users": [
                {
                    "username": "sara",
                    "password": PROVIDER_PASSWORD,
                    "email": COORDINATOR_EMAIL,
                    "first_name": "Sara",
                    "last_name": "Samordnare",
                }
            ],
        },
    )
    # Set on the app server, as OPERATIONS.md says; the page only names the variable.
    monkeypatch.setenv(SECRET_VARIABLE, CLIENT_SECRET)
    return provider


def check(page):
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page), f"{page.url} scrolls sideways"


def invitation_link(to):
    [message] = [message for message in mail.outbox if message.to == [to]]
    return re.search(r"https?://\S+/inbjudan/[\w-]+/", message.body).group(0)


def test_a_municipality_onboards_itself_from_an_empty_installation(page, sso):
    assert not Municipality.objects.exists()
    get_user_model().objects.create_superuser("admin", "admin@example.org", ADMIN_PASSWORD)

    # The administrator creates the municipality, its organisations and the coordinator's invitation.
    log_in(page, "admin", ADMIN_PASSWORD)
    page.goto(reverse("workspace:onboard"))
    page.get_by_label("Kommunens namn").fill("Strängnäs")
    page.get_by_label("Kommunkod").fill("0486")
    page.get_by_label("Kommundelar").fill("Strängnäs\nMariefred\nÅkers styckebruk\nStallarholmen")
    page.get_by_label("Det nya polisområdets namn").fill("Polisen Strängnäs")
    page.get_by_label("Den första samordnarens e-post").fill(COORDINATOR_EMAIL)
    page.get_by_role("button", name="Skapa kommunen och skicka inbjudan").click()
    expect(page.get_by_role("status")).to_contain_text("Strängnäs har skapats")
    check(page)

    # ... and registers the municipality's identity provider, on a page of its settings.
    page.get_by_role("link", name="Registrera en identitetsleverantör").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en identitetsleverantör")
    check(page)
    page.get_by_label("Organisation").select_option(label="Strängnäs kommun")
    page.get_by_label(re.compile("^Namn")).fill("Strängnäs kommun")
    page.get_by_label("Kortnamn").fill(SLUG)
    page.get_by_label("Utfärdare (issuer)").fill(sso)
    page.get_by_label("Klient-id").fill(CLIENT)
    page.get_by_label("Miljövariabel med klienthemligheten").fill(SECRET_VARIABLE)
    page.get_by_label("Tillåtna e-postdomäner").fill("strangnas.se")
    page.get_by_role("button", name="Registrera identitetsleverantören").click()
    expect(page.get_by_role("status")).to_contain_text(f"/konto/oidc/{SLUG}/login/callback/")
    assert IdentityProvider.objects.get().organisation.name == "Strängnäs kommun"
    check(page)
    log_out(page)

    # The coordinator opens her invitation and accepts it by signing on through the municipality's provider.
    page.goto(invitation_link(COORDINATOR_EMAIL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tacka ja till inbjudan")
    check(page)
    page.get_by_role("button", name="Logga in med Strängnäs kommun").click()
    expect(page.get_by_role("heading", name="Kommunens inloggning")).to_be_visible()
    page.get_by_label("Användarnamn").fill("sara")
    page.get_by_label("Lösenord").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsyta")
    expect(page.get_by_role("status")).to_contain_text("Nu arbetar du för Strängnäs kommun som samordnare")
    coordinator = Membership.objects.get(role="coordinator").user
    assert coordinator.email == COORDINATOR_EMAIL and not coordinator.has_usable_password()

    # She pastes the promise as published, fixes what was read, and makes the draft.
    page.get_by_role("link", name="Importera ett löfte").click()
    page.get_by_role("link", name="Klistra in den publicerade texten").click()
    page.locator("#id_text").fill(STRANGNAS_2020)
    page.get_by_role("button", name="Läs in texten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Granska det som lästes in")
    check(page)
    page.locator("#id_activities-0-target_count").fill("3")
    page.get_by_role("button", name=re.compile("^Skapa utkastet")).click()
    expect(page.get_by_text(re.compile("^Utkastet ”Medborgarlöfte 2020 – Strängnäs” skapades"))).to_be_visible()
    draft = Promise.objects.get(status=Promise.Status.DRAFT)
    first = draft.activities.order_by("order").first()
    assert first.target_count == 3

    # The draft is fixed on its own page: a clearer title.
    page.goto(reverse("workspace:promise_edit", args=[draft.pk]))
    page.get_by_label(re.compile("^Rubrik")).fill("Medborgarlöfte 2020 för Strängnäs")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Medborgarlöfte 2020 för Strängnäs")

    # She signs it.
    page.get_by_role("link", name="Underteckna", exact=True).click()
    page.get_by_label(re.compile("^Datum för undertecknande")).fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Underteckna löftet").click()
    expect(page.get_by_role("status")).to_contain_text("Löftet är undertecknat")
    draft.refresh_from_db()
    assert draft.status == Promise.Status.SIGNED

    # She invites a police recorder.
    page.goto(reverse("workspace:invite"))
    page.get_by_label(re.compile("^E-postadress")).fill(RECORDER_EMAIL)
    page.get_by_label(re.compile("^Organisation")).select_option(label="Polisen Strängnäs")
    page.get_by_label(re.compile("^Roll")).select_option("recorder")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status")).to_contain_text(f"En inbjudan skickades med e-post till {RECORDER_EMAIL}")
    log_out(page)

    # The recorder accepts with a password account (the police have no provider here) and logs an activity.
    page.goto(invitation_link(RECORDER_EMAIL))
    expect(page.get_by_role("button", name=re.compile("^Logga in med"))).to_have_count(0)
    page.get_by_label(re.compile("^Förnamn")).fill("Per")
    page.get_by_label(re.compile("^Efternamn")).fill("Polis")
    page.locator("#id_password1").fill("Grannsamverkan-i-Strängnäs")
    page.locator("#id_password2").fill("Grannsamverkan-i-Strängnäs")
    page.get_by_role("button", name="Skapa kontot och tacka ja").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina aktiviteter")
    police_activity = draft.activities.filter(lead_organisation__name="Polisen Strängnäs").order_by("order").first()
    page.locator("li.activity", has=page.get_by_role("heading", name=police_activity.title)).get_by_role(
        "link", name=re.compile("^Registrera")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en genomförd aktivitet")
    page.get_by_label("Datum").fill(datetime.date(2020, 3, 10).isoformat())
    page.get_by_label("Sammanfattning").fill("Insatsen genomfördes enligt löftet.")
    page.get_by_role("button", name="Registrera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"Registrerat: {police_activity.title}")
    record = ActivityRecord.objects.get()
    assert record.recorded_by.email == RECORDER_EMAIL and record.activity == police_activity
    log_out(page)

    # Anyone can now read the promise on the municipality's public page.
    page.goto("/strangnas/")
    expect(page.get_by_role("link", name="Medborgarlöfte 2020 för Strängnäs")).to_be_visible()
    check(page)
