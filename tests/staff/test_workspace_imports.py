"""The workspace's import pages: the template and a promise as the template, uploading it, pasting the published
text and reviewing it, and importing records with a preview. Who may open them is in
test_workspace_import_permissions.py; the rules of the sheets and the text in tests/activities/."""

import datetime
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from activities import imports
from activities import promise_sheet as sheets
from activities.models import Activity, ActivityKind, ActivityRecord
from activities.published_text import split_promises
from promises.models import FocusArea, Membership, Municipality, Organisation, Place, Promise
from seeding import strangnas as seed
from tests.conftest import make_report, make_user

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parent.parent / "activities" / "published"
STRANGNAS_2019 = split_promises((TEXTS / "strangnas-2019-2020.txt").read_text())[1]
XLSX = sheets.XLSX_CONTENT_TYPE


def ws(name, *args):
    return reverse(f"workspace:{name}", args=args)


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


def upload(content, name="loftet.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def counts():
    return Promise.objects.count(), FocusArea.objects.count(), Activity.objects.count(), ActivityRecord.objects.count()


# --- The template, the export and the upload -------------------------------------------------------------------


def test_the_import_page_offers_the_template_the_upload_and_the_paste(coordinator):
    page = coordinator.get(ws("promise_import")).content.decode()
    assert ws("promise_template") in page and ws("promise_paste") in page
    assert 'enctype="multipart/form-data"' in page


def test_the_workspace_links_to_the_imports(coordinator, world):
    assert ws("promise_import") in coordinator.get(ws("home")).content.decode()
    page = coordinator.get(ws("promise", world.promise.pk)).content.decode()
    assert ws("promise_export", world.promise.pk) in page and ws("records_import", world.promise.pk) in page
    # A draft has nothing to log yet: no records import offered.
    assert (
        ws("records_import", world.draft_promise.pk)
        not in coordinator.get(ws("promise", world.draft_promise.pk)).content.decode()
    )


def test_the_template_downloads_as_a_workbook(coordinator):
    response = coordinator.get(ws("promise_template"))
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="medborgarlofte-mall.xlsx"'
    assert "Aktiviteter" in load_workbook(io.BytesIO(response.content)).sheetnames


def test_a_promise_downloads_as_the_template_filled_in(coordinator, world):
    response = coordinator.get(ws("promise_export", world.promise.pk))
    assert response["Content-Disposition"] == 'attachment; filename="medborgarlofte-strangnas-2020.xlsx"'
    sheet = sheets.read_promise_sheet(io.BytesIO(response.content))
    assert [row.values["title"] for row in sheet.activities] == [
        "Planlagda insatser",
        "Trafikkontroller",
        "Kontakter med skolor",
        "Avloppsvattenmätning",
    ]


def test_uploading_an_exported_promise_makes_a_draft_and_shows_it(coordinator, world):
    content = coordinator.get(ws("promise_export", world.promise.pk)).content
    response = coordinator.post(ws("promise_import"), {"file": upload(content)}, follow=True)
    draft = Promise.objects.get(slug="strangnas-2020-2")
    assert response.redirect_chain == [(ws("promise", draft.pk), 302)]
    page = response.content.decode()
    assert "Utkastet ”Medborgarlöfte 2020” skapades med 4 aktiviteter." in page
    assert "Adressnamnet ”strangnas-2020” var redan upptaget det året, så utkastet heter ”strangnas-2020-2”." in page
    assert draft.status == Promise.Status.DRAFT and draft.activities.count() == 4


def test_an_upload_with_refused_rows_lists_them_and_saves_nothing(coordinator, world):
    sheet = sheets.sheet_of(world.promise)
    sheet.activities[1].values["kind"] = "Hemlig typ"
    sheet.activities[2].values["description"] = "Besök hos 850709-9805"
    content = sheets.promise_workbook(sheet, sheets.Lists())
    before = counts()
    response = coordinator.post(ws("promise_import"), {"file": upload(content)})
    assert response.status_code == 200
    assert counts() == before
    page = response.content.decode()
    assert "Ingenting sparades: 2 saker måste rättas först." in page
    assert "Ingen aktivitetstyp heter ”Hemlig typ”. Välj en från bladet Listor." in page
    assert "<td>Aktiviteter</td>\n          <td>3</td>\n          <td>Aktivitetstyp</td>" in page
    assert "<td>Aktiviteter</td>\n          <td>4</td>\n          <td>Beskrivning</td>" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx)."),
        (b"x" * (sheets.MAX_UPLOAD_BYTES + 1), "Filen är för stor: högst 2 MB kan importeras."),
    ],
)
def test_an_unreadable_or_too_large_file_is_refused_beside_the_field(coordinator, content, message):
    before = counts()
    response = coordinator.post(ws("promise_import"), {"file": upload(content)})
    assert response.status_code == 200 and counts() == before
    assert message in response.content.decode()
    assert "file" in response.context["form"].errors


def test_a_post_without_a_file_asks_for_one(coordinator):
    response = coordinator.post(ws("promise_import"), {})
    assert response.context["form"].errors["file"] == ["Välj en fil för kalkylark (.xlsx)."]


# --- Pasting the published text ----------------------------------------------------------------------------------


@pytest.fixture
def strangnas(client, db):
    """Strängnäs as load_strangnas stores it, and a coordinator of its municipality, logged in."""
    call_command("load_strangnas", stdout=StringIO())
    user = make_user(
        "strangnas-samordnare",
        organisation=Organisation.objects.get(name=seed.KOMMUN),
        role=Membership.Role.COORDINATOR,
    )
    client.force_login(user)
    return client


def read_text(client, text, **fields):
    data = {"step": "read", "municipality": Municipality.objects.get(code="0486").pk, "text": text, **fields}
    return client.post(ws("promise_paste"), data)


def review_data(response):
    """What the review page would post back as shown: every field's initial value, as a browser sends it."""
    data = {"step": "create"}
    context = response.context
    for form in (context["meta"], context["promise_form"]):
        data.update(_initial_of(form))
    for formset in (context["areas"], context["activities"]):
        data.update(_initial_of(formset.management_form))
        for form in formset.forms:
            data.update(_initial_of(form))
    return data


def _initial_of(form):
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def test_pasting_the_2019_text_shows_what_was_read_before_anything_is_saved(strangnas):
    before = counts()
    response = read_text(strangnas, STRANGNAS_2019)
    assert response.status_code == 200 and counts() == before
    forms = response.context["activities"].forms
    assert len(forms) == 9
    assert [str(f["kind"].value()) for f in forms] == [
        str(ActivityKind.objects.get(slug=item["kind"]).pk) for item in seed.PROMISE_2019["activities"]
    ]
    page = response.content.decode()
    assert "Granska det som lästes in" in page
    assert "Medborgarlöfte 2019 – Strängnäs" in page


def test_the_reviewed_text_becomes_a_draft_with_the_seeds_activities_targets_and_places(strangnas):
    review = read_text(strangnas, STRANGNAS_2019)
    response = strangnas.post(ws("promise_paste"), review_data(review))
    draft = Promise.objects.get(title="Medborgarlöfte 2019 – Strängnäs", status=Promise.Status.DRAFT)
    assert response.status_code == 302 and response.url == ws("promise", draft.pk)
    assert draft.slug == "medborgarlofte-2019-strangnas"
    assert draft.pledge == seed.PROMISE_2019["pledge"] and draft.situation == seed.PROMISE_2019["situation"]
    assert sorted(o.name for o in draft.signatories.all()) == sorted(seed.PROMISE_2019["signatories"])
    got = [
        (
            a.description,
            a.kind.slug,
            a.lead_organisation.name,
            sorted(o.name for o in a.partner_organisations.all()),
            a.target_count,
            a.unit if a.target_count else "",
            sorted(p.name for p in a.target_places.all()),
            a.recurrence,
        )
        for a in draft.activities.order_by("order")
    ]
    assert got == [
        (
            item["description"],
            item["kind"],
            item["lead"],
            sorted(item["partners"]),
            item["target_count"],
            item["unit"] if item["target_count"] else "",
            sorted(item["target_places"]),
            item["recurrence"],
        )
        for item in seed.PROMISE_2019["activities"]
    ]


def test_a_kind_the_text_does_not_name_must_be_chosen_before_the_draft_is_made(strangnas):
    review = read_text(strangnas, "Aktiviteter\n\n• Strängnäs kommun kommer att ta fram en handlingsplan.", year=2022)
    data = review_data(review)
    assert data["activities-0-kind"] == ""
    before = counts()
    response = strangnas.post(ws("promise_paste"), data)
    assert response.status_code == 200 and counts() == before
    assert response.context["activities"].forms[0].errors["kind"] == ["Välj aktivitetstyp."]
    data["activities-0-kind"] = str(ActivityKind.objects.get(slug="planlagd-insats").pk)
    assert strangnas.post(ws("promise_paste"), data).status_code == 302
    assert Activity.objects.get(description__startswith="Strängnäs kommun kommer att ta fram").recurrence == "once"


def test_the_coordinator_corrects_targets_and_leaves_an_activity_out(strangnas):
    data = review_data(read_text(strangnas, STRANGNAS_2019))
    data["activities-1-target_count"] = "10"
    del data["activities-2-include"]
    strangnas.post(ws("promise_paste"), data)
    draft = Promise.objects.get(status=Promise.Status.DRAFT, year=2019)
    assert draft.activities.count() == 8
    assert draft.activities.get(title="Nya grannsamverkansområden").target_count == 10


def test_a_review_with_an_identity_number_or_a_foreign_place_saves_nothing(strangnas):
    eskilstuna = Municipality.objects.create(name="Eskilstuna", slug="eskilstuna", code="0484")
    foreign_place = Place.objects.create(municipality=eskilstuna, name="Torshälla")
    data = review_data(read_text(strangnas, STRANGNAS_2019))
    data["promise-pledge"] = "Vi besöker 850709-9805."
    data["activities-0-target_places"] = [str(foreign_place.pk)]
    before = counts()
    response = strangnas.post(ws("promise_paste"), data)
    assert response.status_code == 200 and counts() == before
    assert "pledge" in response.context["promise_form"].errors
    assert "target_places" in response.context["activities"].forms[0].errors


def test_the_workspace_forms_rules_are_the_last_word_on_the_review(strangnas, monkeypatch):
    """A choice the review offered but the activity form refuses (here: the form sees every place as foreign) is
    shown beside its field, and nothing is saved."""
    from activities import forms as activity_forms

    def refuse_places(self, cleaned):
        if cleaned.get("target_places"):
            self.add_error("target_places", "Välj platser i löftets egna kommuner.")

    monkeypatch.setattr(activity_forms.ActivityRulesMixin, "check_target_places", refuse_places)
    data = review_data(read_text(strangnas, STRANGNAS_2019))
    before = counts()
    response = strangnas.post(ws("promise_paste"), data)
    assert counts() == before
    errors = [form.errors.get("target_places") for form in response.context["activities"].forms]
    assert errors[5] == ["Välj platser i löftets egna kommuner."] and errors[0] is None


def test_focus_areas_in_the_text_become_the_drafts_focus_areas(strangnas):
    text = (
        "Aktiviteter\n\nTrafiken\n• Polisen genomför minst två trafikkontroller.\n\n"
        "Unga\n• Kommunen mäter avloppsvattnet."
    )
    data = review_data(read_text(strangnas, text, year=2023))
    assert (data["areas-0-title"], data["activities-1-focus_area"]) == ("Trafiken", "1")
    strangnas.post(ws("promise_paste"), data)
    draft = Promise.objects.get(status=Promise.Status.DRAFT, year=2023)
    assert [(a.title, a.order) for a in draft.focus_areas.all()] == [("Trafiken", 1), ("Unga", 2)]
    assert [a.focus_area.title for a in draft.activities.order_by("order")] == ["Trafiken", "Unga"]


def test_two_promises_pasted_at_once_are_refused(strangnas):
    response = read_text(strangnas, (TEXTS / "strangnas-2019-2020.txt").read_text())
    assert response.context["form"].errors["text"] == [
        "Texten innehåller 2 löften (”Medborgarlöfte 2020”, ”Medborgarlöfte 2019”). Klistra in ett i taget."
    ]


def test_a_text_without_commitments_is_refused_with_a_hint(strangnas):
    response = read_text(strangnas, "Lägesbild\n\nDet är lugnt.")
    assert response.context["form"].errors["text"][0].startswith("Inga åtaganden hittades i texten.")


def test_a_review_without_its_municipality_starts_again(strangnas):
    response = strangnas.post(ws("promise_paste"), {"step": "create"})
    assert response.status_code == 302 and response.url == ws("promise_paste")


def test_the_outsider_cannot_review_for_a_municipality_they_do_not_coordinate(client, world):
    client.force_login(world.outsider)
    data = {"step": "create", "municipality": world.strangnas.pk}
    assert client.post(ws("promise_paste"), data).url == ws("promise_paste")
    assert not Promise.objects.filter(municipalities=world.strangnas, status="draft").exclude(pk=world.draft_promise.pk)


def test_a_review_that_leaves_every_activity_out_saves_nothing(strangnas):
    data = review_data(read_text(strangnas, STRANGNAS_2019))
    for index in range(9):
        del data[f"activities-{index}-include"]
    before = counts()
    response = strangnas.post(ws("promise_paste"), data)
    assert counts() == before
    assert "Ta med minst en aktivitet i utkastet." in response.content.decode()


# --- Records from a sheet ----------------------------------------------------------------------------------------


def records_sheet(rows):
    """A records sheet as the template lays it out, with these rows of values."""
    content = sheets.records_workbook(
        sheets.Lists(), period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31)
    )
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook["Registreringar"]
    for row in rows:
        worksheet.append([row.get(column.key, "") for column in sheets.RECORD_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    {
        "occurred_on": datetime.date(2020, 3, 10),
        "activity": "Planlagda insatser",
        "quantity": 2,
        "place": "Mariefred",
        "organisations": "Polisen Strängnäs; Strängnäs kommun",
        "summary": "Insats vid skolan.",
    },
    {"occurred_on": "2020-04-01", "activity": "Trafikkontroller", "quantity": "1", "place": "Stallarholmen"},
]


def test_the_records_page_offers_the_template_of_the_promise(coordinator, world, clock):
    page = coordinator.get(ws("records_import", world.promise.pk)).content.decode()
    assert ws("records_template", world.promise.pk) in page
    response = coordinator.get(ws("records_template", world.promise.pk))
    workbook = load_workbook(io.BytesIO(response.content))
    lists = {column[0].value: [c.value for c in column[1:] if c.value] for column in workbook["Listor"].iter_cols()}
    assert lists["Aktivitet"] == [
        "Planlagda insatser",
        "Trafikkontroller",
        "Kontakter med skolor",
        "Avloppsvattenmätning",
    ]
    assert "Torshälla" not in lists["Platser"]


def test_one_record_saved_is_said_in_the_singular(coordinator, world, clock):
    # Issue 18, klarspråk: "1 registrering sparades", never "1 registreringar".
    response = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(GOOD[:1]))})
    assert "Spara 1 registrering" in response.content.decode()
    saved = coordinator.post(
        ws("records_import", world.promise.pk), {"preview": response.context["preview"]}, follow=True
    )
    assert "1 registrering sparades i ”Medborgarlöfte 2020”." in saved.content.decode()
    assert ActivityRecord.objects.count() == 1


def test_a_records_sheet_is_previewed_then_saved(coordinator, world, clock):
    response = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(GOOD))})
    assert ActivityRecord.objects.count() == 0  # nothing before the second step
    assert response.context["preview"]
    shown = [item.shown for item in response.context["checked"]]
    assert shown[0] == {
        "occurred_on": datetime.date(2020, 3, 10),
        "activity": "Planlagda insatser",
        "quantity": 2,
        "place": "Mariefred",
        "place_text": "",
        "organisations": ["Polisen Strängnäs", "Strängnäs kommun"],
        "summary": "Insats vid skolan.",
    }
    page = response.content.decode()
    assert "Spara alla 2 registreringar" in page
    saved = coordinator.post(
        ws("records_import", world.promise.pk), {"preview": response.context["preview"]}, follow=True
    )
    assert "2 registreringar sparades i ”Medborgarlöfte 2020”." in saved.content.decode()
    records = list(ActivityRecord.objects.order_by("occurred_on"))
    assert [(r.activity, r.quantity, r.place, r.recorded_by) for r in records] == [
        (world.count_activity, 2, world.district, world.coordinator),
        (world.places_activity, 1, world.second_district, world.coordinator),
    ]
    assert set(records[0].participating_organisations.all()) == {
        world.police_organisation,
        world.municipal_organisation,
    }
    assert records[0].history.latest().history_user == world.coordinator


def test_saving_the_same_preview_twice_stores_the_records_once(coordinator, world, clock):
    preview = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(GOOD))}).context[
        "preview"
    ]
    coordinator.post(ws("records_import", world.promise.pk), {"preview": preview})
    again = coordinator.post(ws("records_import", world.promise.pk), {"preview": preview}, follow=True)
    assert ActivityRecord.objects.count() == 2
    assert "Registreringarna var redan sparade; de sparades inte två gånger." in again.content.decode()


def test_a_sheet_with_a_refused_row_shows_it_and_offers_no_save(coordinator, world, clock):
    rows = [*GOOD, {"occurred_on": "2020-05-01", "activity": "Trafikkontroller", "quantity": "0"}]
    response = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(rows))})
    assert response.context["preview"] is None
    refusals = response.context["refusals"]
    assert [(r["row"], r["column"]) for r in refusals] == [(4, "Datum"), (4, "Antal")]
    assert refusals[0]["message"] == "Datumet kan inte ligga i framtiden."
    assert "Spara" not in response.content.decode().split("</table>")[-1].split("<footer")[0]


def test_a_preview_made_before_a_tertial_was_approved_saves_nothing(coordinator, world, clock):
    preview = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(GOOD))}).context[
        "preview"
    ]
    make_report(world.promise, number=1, status="approved")
    response = coordinator.post(ws("records_import", world.promise.pk), {"preview": preview})
    assert response.status_code == 200 and response.context["stale"]
    assert ActivityRecord.objects.count() == 0
    assert {r["column"] for r in response.context["refusals"]} == {"Datum"}


@pytest.mark.parametrize("preview", ["", "not-signed", "eyJhIjoxfQ:1tampered:abc"])
def test_a_changed_preview_saves_nothing(coordinator, world, clock, preview):
    response = coordinator.post(ws("records_import", world.promise.pk), {"preview": preview}, follow=True)
    assert ActivityRecord.objects.count() == 0
    assert "Förhandsvisningen är för gammal eller har ändrats, så ingenting sparades." in response.content.decode()


def test_a_preview_of_another_promise_or_person_saves_nothing(client, world, shared, clock):
    client.force_login(world.administrator)
    preview = client.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet(GOOD))}).context[
        "preview"
    ]
    client.post(ws("records_import", shared.promise.pk), {"preview": preview})
    client.force_login(world.coordinator)
    client.post(ws("records_import", world.promise.pk), {"preview": preview})
    assert ActivityRecord.objects.count() == 0


def test_a_draft_offers_no_records_import(coordinator, world):
    response = coordinator.get(ws("records_import", world.draft_promise.pk))
    assert "Registreringar kan bara importeras när löftet är undertecknat" in response.content.decode()
    response = coordinator.post(ws("records_import", world.draft_promise.pk), {"file": upload(records_sheet(GOOD))})
    assert "checked" not in response.context


def test_an_unreadable_records_file_is_refused_beside_the_field(coordinator, world):
    response = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(b"Datum;Aktivitet\n")})
    assert response.context["form"].errors["file"][0].startswith("Filen kunde inte läsas")


def test_an_empty_records_sheet_says_so(coordinator, world):
    response = coordinator.post(ws("records_import", world.promise.pk), {"file": upload(records_sheet([]))})
    assert response.context["form"].errors["file"] == ["Bladet har inga rader att importera."]


def test_the_records_import_checks_are_those_of_the_service(world, clock):
    """The page and records_check agree: the page shows exactly the service's verdict on each row."""
    rows = [sheets.Row(2, {**GOOD[0], "occurred_on": "2020-03-10", "quantity": "2", "organisations": []})]
    (checked,) = imports.records_check(promise=world.promise, rows=rows, by=world.coordinator)
    assert checked.ok


def test_a_text_with_more_commitments_than_a_page_can_review_is_refused(strangnas):
    text = "Aktiviteter\n\n" + "\n".join(f"• Polisen genomför trafikkontroll nummer {n}." for n in range(61))
    response = read_text(strangnas, text, year=2022)
    assert response.context["form"].errors["text"] == [
        "Texten innehåller 61 åtaganden, fler än en sida kan granska (60). Klistra in den i delar, eller använd "
        "mallen för kalkylark."
    ]
