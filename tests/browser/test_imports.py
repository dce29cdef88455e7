"""The imports in a browser, on a 375 px phone: a coordinator pastes the published 2020 text with the keyboard alone,
reviews it and makes the draft; downloads a promise as a spreadsheet and uploads it again, once broken and once
whole; and imports records with a preview. axe finds nothing on any page, and nothing scrolls sideways."""

import io
import re
from pathlib import Path

from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from activities.models import ActivityRecord
from activities.published_text import split_promises
from promises.models import Promise
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_staff_flow import COORDINATOR, PHONE, log_in, no_horizontal_scroll
from tests.browser.test_staff_flow import tab_to as tab_to_within


def tab_to(page, selector):
    # The review page holds every activity's fields: a keyboard user tabs through many of them.
    tab_to_within(page, selector, limit=600)


TEXTS = Path(__file__).resolve().parent.parent / "activities" / "published"
STRANGNAS_2020 = split_promises((TEXTS / "strangnas-2019-2020.txt").read_text())[0]


def check(page):
    assert_no_axe_violations(page)
    assert no_horizontal_scroll(page), f"{page.url} scrolls sideways at {PHONE['width']} px"


def test_a_coordinator_pastes_the_published_text_and_makes_the_draft_with_the_keyboard(page, demo_data):
    page.set_viewport_size(PHONE)
    log_in(page, *COORDINATOR)
    page.goto(reverse("workspace:home"))
    tab_to(page, f"a[href='{reverse('workspace:promise_import')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera ett löfte")
    check(page)

    tab_to(page, f"a[href='{reverse('workspace:promise_paste')}']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klistra in den publicerade texten")
    check(page)
    tab_to(page, "#id_text")
    # What pasting with the keyboard does: the whole text arrives at once.
    page.keyboard.insert_text(STRANGNAS_2020)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Granska det som lästes in")
    expect(page.get_by_role("group", name=re.compile("^Aktivitet 7: "))).to_be_visible()
    assert page.input_value("#id_promise-title") == "Medborgarlöfte 2020 – Strängnäs"
    check(page)
    # The coordinator corrects a target with the keyboard before the draft is made.
    tab_to(page, "#id_activities-0-target_count")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Utkastet ”Medborgarlöfte 2020 – Strängnäs” skapades med 7 aktiviteter.")).to_be_visible()
    draft = Promise.objects.get(title="Medborgarlöfte 2020 – Strängnäs", status=Promise.Status.DRAFT)
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    assert draft.activities.order_by("order").first().target_count == 3
    check(page)


def test_a_promise_goes_out_as_a_spreadsheet_and_comes_back_as_a_draft(page, demo_data, tmp_path):
    page.set_viewport_size(PHONE)
    log_in(page, *COORDINATOR)
    promise = Promise.objects.get(slug="strangnas-2019")
    page.goto(reverse("workspace:promise", args=[promise.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som kalkylark (.xlsx)").click()
    whole = tmp_path / "loftet.xlsx"
    download.value.save_as(whole)

    # Broken first: a kind that does not exist. The refusals are listed, and nothing is saved.
    workbook = load_workbook(whole)
    workbook["Aktiviteter"]["D3"] = "Hemlig typ"
    broken = tmp_path / "trasig.xlsx"
    workbook.save(broken)
    page.goto(reverse("workspace:promise_import"))
    page.get_by_label("Kalkylark (.xlsx)").set_input_files(broken)
    page.get_by_role("button", name="Importera som utkast").click()
    expect(page.get_by_role("table", name="Det här kunde inte importeras")).to_contain_text("Hemlig typ")
    assert Promise.objects.filter(status=Promise.Status.DRAFT, year=2019).count() == 0
    check(page)

    # Not a workbook at all: said beside the field.
    text = tmp_path / "anteckning.xlsx"
    text.write_text("inte ett kalkylark")
    page.get_by_label("Kalkylark (.xlsx)").set_input_files(text)
    page.get_by_role("button", name="Importera som utkast").click()
    expect(page.locator(".field--error")).to_contain_text("Filen kunde inte läsas som en Excel-arbetsbok")
    check(page)

    page.get_by_label("Kalkylark (.xlsx)").set_input_files(whole)
    page.get_by_role("button", name="Importera som utkast").click()
    expect(page.get_by_text(re.compile("^Utkastet ”Medborgarlöfte 2019 – Strängnäs” skapades"))).to_be_visible()
    draft = Promise.objects.get(status=Promise.Status.DRAFT, year=2019)
    expect(page.get_by_role("heading", level=1)).to_have_text(draft.title)
    assert draft.activities.count() == promise.activities.count()
    check(page)


def test_records_are_imported_with_a_preview(page, demo_data, tmp_path):
    page.set_viewport_size(PHONE)
    log_in(page, *COORDINATOR)
    promise = Promise.objects.get(slug="strangnas-2020")
    page.goto(reverse("workspace:promise", args=[promise.pk]))
    page.get_by_role("link", name="Importera registreringar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importera registreringar")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner mallen för registreringar (.xlsx)").click()
    sheet = tmp_path / "registreringar.xlsx"
    download.value.save_as(sheet)
    workbook = load_workbook(sheet)
    rows = workbook["Registreringar"]
    rows.append(["2020-10-05", "Narkotikasök med hund", 1, "Mariefred", "Högstadiet", "", "Sök i korridorerna."])
    rows.append(["2020-10-12", "Föräldraträffar på skolor", 1, "", "", "Strängnäs kommun", "Föräldraträff."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet.write_bytes(buffer.getvalue())

    before = ActivityRecord.objects.count()
    page.get_by_label("Kalkylark (.xlsx)").set_input_files(sheet)
    page.get_by_role("button", name="Kontrollera raderna").click()
    expect(page.get_by_role("heading", name="2 registreringar att spara")).to_be_visible()
    expect(page.get_by_role("table", name="Registreringarna som de kommer att sparas")).to_contain_text("Högstadiet")
    assert ActivityRecord.objects.count() == before
    check(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("2 registreringar sparades i ”Medborgarlöfte 2020 – Strängnäs”.")).to_be_visible()
    assert ActivityRecord.objects.count() == before + 2
    check(page)
