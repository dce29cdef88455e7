"""The workspace's places, events, people and councils in a browser: axe finds nothing on any of their pages, they
fit a phone, and a coordinator invites a recorder with the keyboard alone, who then makes an account the same way."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from promises import memberships
from promises.models import Invitation, Membership, Place
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import PHONE, log_in, log_out, no_horizontal_scroll, tab_to
from tests.conftest import PASSWORD, make_event

INVITED = "ny.polis@polisen.se"


def coordinator_pages(world, event, invitation):
    recorder = Membership.objects.get(user=world.municipal_recorder)
    return [
        reverse("workspace:home"),
        reverse("workspace:places"),
        reverse("workspace:place_create"),
        reverse("workspace:place_edit", args=[world.site.pk]),
        reverse("workspace:events"),
        reverse("workspace:event_create"),
        reverse("workspace:event_edit", args=[event.pk]),
        reverse("workspace:event_cancel", args=[event.pk]),
        reverse("workspace:people"),
        reverse("workspace:invite"),
        reverse("workspace:membership_change", args=[recorder.pk]),
        reverse("workspace:membership_end", args=[recorder.pk]),
        reverse("workspace:invitation_withdraw", args=[invitation.pk]),
        reverse("workspace:councils"),
        reverse("workspace:council_edit", args=[world.council.pk]),
        reverse("workspace:municipalities"),
        reverse("workspace:municipality_settings", args=[world.strangnas.slug]),
    ]


def send(world, email):
    tokens = []
    invitation = memberships.invitation_send(
        by=world.coordinator,
        email=email,
        organisation=world.municipal_organisation,
        role="recorder",
        link_for=lambda token: tokens.append(token) or token,
    )
    return invitation, reverse("invitation:accept", args=[tokens[0]])


@pytest.mark.parametrize("width", [None, PHONE], ids=["desktop", "phone"])
def test_every_workspace_page_passes_axe_and_fits_a_phone(page, world, width):
    if width:
        page.set_viewport_size(width)
    starts = timezone.now() + datetime.timedelta(days=3)
    event = make_event(world, starts=starts, place=world.district, place_text="Vid kyrkan")
    invitation, _url = send(world, INVITED)
    log_in(page, world.coordinator.username, PASSWORD)
    for url in coordinator_pages(world, event, invitation):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        assert no_horizontal_scroll(page), url


def test_refused_forms_pass_axe_with_their_messages(page, world):
    log_in(page, world.coordinator.username, PASSWORD)
    for url, button in (
        (reverse("workspace:place_create"), "Lägg till platsen"),
        (reverse("workspace:event_create"), "Annonsera aktiviteten"),
        (reverse("workspace:invite"), "Skicka inbjudan"),
    ):
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.get_by_role("alert")).to_contain_text("Inget sparades")
        assert_no_axe_violations(page)


def test_a_stale_edit_shows_the_newer_version_and_passes_axe(page, world):
    log_in(page, world.coordinator.username, PASSWORD)
    page.goto(reverse("workspace:place_edit", args=[world.district.pk]))
    Place.objects.filter(pk=world.district.pk).update(name="Mariefreds tätort")  # someone else, meanwhile
    page.get_by_label("Namn").fill("Mariefred stad")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Någon annan ändrade det här")
    expect(page.locator(".facts")).to_contain_text("Mariefreds tätort")
    assert_no_axe_violations(page)


def test_a_shared_council_shows_what_it_keeps_and_passes_axe(page, world, shared):
    log_in(page, shared.tjorn_coordinator.username, PASSWORD)
    page.goto(reverse("workspace:council_edit", args=[shared.council.pk]))
    expect(page.locator(".notice")).to_contain_text("Orust, Stenungsund")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("sparades")
    assert set(shared.council.municipalities.all()) == {shared.stenungsund, shared.orust, shared.tjorn}


def test_every_step_of_the_invitation_page_passes_axe(page, world):
    _invitation, url = send(world, INVITED)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tacka ja till inbjudan")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Skapa kontot och tacka ja").click()
    expect(page.get_by_role("alert")).to_contain_text("Inget sparades")
    assert_no_axe_violations(page)

    world.police_recorder.email = "polis@polisen.se"
    world.police_recorder.save()
    _invitation, existing = send(world, "polis@polisen.se")
    page.goto(existing)
    expect(page.get_by_role("link", name="Logga in").last).to_be_visible()
    assert_no_axe_violations(page)

    log_in(page, world.outsider.username, PASSWORD)
    page.goto(url)
    expect(page.locator(".notice")).to_contain_text(INVITED)
    assert_no_axe_violations(page)

    page.goto(reverse("invitation:accept", args=["x" * 43]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Länken fungerar inte")
    assert_no_axe_violations(page)


def test_a_coordinator_invites_a_recorder_and_the_recorder_joins_with_the_keyboard_alone(page, world):
    page.goto(reverse("login"))
    tab_to(page, "#id_username")
    page.keyboard.type(world.coordinator.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=re.compile("^Logga ut"))).to_be_visible()

    tab_to(page, f"a[href='{reverse('workspace:home')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arbetsyta")
    tab_to(page, f"a[href='{reverse('workspace:people')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer")
    tab_to(page, f"a[href='{reverse('workspace:invite')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bjud in en person")

    tab_to(page, "#id_email")
    page.keyboard.type(INVITED)
    page.keyboard.press("Tab")
    # The organisation: past the empty choice, Polisen Strängnäs comes first.
    assert page.evaluate("document.activeElement.id") == "id_organisation"
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_organisation") == str(world.police_organisation.pk)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_role"
    assert page.input_value("#id_role") == "recorder"
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(f"En inbjudan skickades med e-post till {INVITED}")
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.role) == (world.police_organisation, "recorder")
    [message] = mail.outbox
    link = re.search(r"https?://[^\s]+/inbjudan/[\w-]+/", message.body).group(0)
    log_out(page)

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tacka ja till inbjudan")
    tab_to(page, "#id_first_name")
    page.keyboard.type("Nils")
    page.keyboard.press("Tab")
    page.keyboard.type("Nyberg")
    page.keyboard.press("Tab")
    page.keyboard.type("Grannsamverkan-i-Strängnäs")
    page.keyboard.press("Tab")
    page.keyboard.type("Grannsamverkan-i-Strängnäs")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina aktiviteter")
    expect(page.get_by_role("status")).to_contain_text(
        "Välkommen! Nu arbetar du för Polisen Strängnäs som registrerare."
    )
    membership = Membership.objects.get(user__username=INVITED)
    assert (membership.organisation, membership.role) == (world.police_organisation, "recorder")


@pytest.mark.parametrize("width", [None, PHONE], ids=["desktop", "phone"])
def test_the_onboarding_page_passes_axe_refused_and_done_with_the_keyboard(page, world, width):
    """Issue 16: an administrator starts a municipality; the refused form lists its errors, and axe finds nothing."""
    if width:
        page.set_viewport_size(width)
    log_in(page, world.administrator.username, PASSWORD)
    page.goto(reverse("workspace:onboard"))
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    page.get_by_role("button", name="Skapa kommunen och skicka inbjudan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Kommunens namn").fill("Berg")
    page.get_by_label("Kommunkod").fill("2326")
    page.get_by_label("Det nya polisområdets namn").fill("Lokalpolisområde Östersund")
    page.get_by_label("Den första samordnarens e-post").fill("samordnare@berg.se")
    page.get_by_label("Den första samordnarens e-post").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Berg har skapats")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("width", [None, PHONE], ids=["desktop", "phone"])
def test_the_identity_provider_page_passes_axe_refused_and_done_with_the_keyboard(page, world, width):
    """Issue 16: an administrator registers the municipality's identity provider with the keyboard alone."""
    from promises.models import IdentityProvider

    if width:
        page.set_viewport_size(width)
    log_in(page, world.administrator.username, PASSWORD)
    page.goto(reverse("workspace:municipality_settings", args=[world.strangnas.slug]))
    tab_to(page, f"a[href='{reverse('workspace:identity_provider_create', args=[world.strangnas.slug])}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrera en identitetsleverantör")
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)

    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)

    tab_to(page, "#id_name")
    page.keyboard.type("Strängnäs kommun")
    for field, text in (
        ("#id_issuer", "https://login.strangnas.se"),
        ("#id_client_id", "medborgarloften"),
        ("#id_secret_variable", "OIDC_STRANGNAS_SECRET"),
        ("#id_allowed_domains", "strangnas.se"),
    ):
        tab_to(page, field)
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Strängnäs kommun har registrerats")
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page)
    provider = IdentityProvider.objects.get()
    assert (provider.slug, provider.organisation) == ("strangnas-kommun", world.police_organisation)
