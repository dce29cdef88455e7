"""The promise's spreadsheet (activities.promise_sheet) and importing it (activities.imports): the round trip, every
refused row with its reason and nothing saved, the same rules as the workspace forms, and files that cannot be read.
"""

import datetime
import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import Workbook, load_workbook

from activities import imports
from activities import promise_sheet as sheets
from activities.models import Activity, ActivityKind
from promises.models import FocusArea, Membership, Organisation, Place, Promise, PromiseAddress
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

IDENTITY_NUMBER = "850709-9805"  # a valid personnummer (Luhn), as the privacy tests use


def export(promise, user):
    return sheets.promise_workbook(sheets.sheet_of(promise), imports.lists_for_user(user, promise=promise))


def read(content):
    return sheets.read_promise_sheet(io.BytesIO(content))


def import_bytes(content, user):
    return imports.promise_import_sheet(sheet=read(content), by=user)


def described(promise):
    """Everything a draft made from a sheet must share with the promise it came from."""
    promise = Promise.objects.get(pk=promise.pk)
    return {
        "texts": {
            name: getattr(promise, name)
            for name in (
                "title",
                "year",
                "period_start",
                "period_end",
                "situation",
                "pledge",
                "expected_effects",
                "follow_up",
                "communication",
            )
        },
        "municipalities": sorted(m.name for m in promise.municipalities.all()),
        "signatories": sorted(o.name for o in promise.signatories.all()),
        "focus_areas": [(a.order, a.title, a.description) for a in promise.focus_areas.order_by("order", "pk")],
        "activities": [
            (
                a.order,
                a.title,
                a.focus_area.title if a.focus_area else None,
                a.kind.name,
                a.description,
                a.lead_organisation.name,
                sorted(o.name for o in a.partner_organisations.all()),
                a.target_count,
                a.unit,
                a.unit_singular,
                sorted(p.name for p in a.target_places.all()),
                a.recurrence,
                a.is_internal,
                a.target_window_start,
                a.target_window_end,
                a.target_per_municipality,
            )
            for a in promise.activities.order_by("order", "pk")
        ],
    }


def counts():
    return (
        Promise.objects.count(),
        FocusArea.objects.count(),
        Activity.objects.count(),
        PromiseAddress.objects.count(),
    )


@pytest.fixture
def filled(world):
    """The world's promise with every text filled in, two focus areas and a text a spreadsheet would run."""
    promise = world.promise
    promise.situation = "Oro för narkotika.\n\nOch för trafiken."
    promise.pledge = '=HYPERLINK("https://example.org")'
    promise.expected_effects = "Färre brott.\nFler anmälningar."
    promise.follow_up = "I rådet varje tertial."
    promise.communication = "På webben."
    promise.save()
    promise.signatories.set([world.police_organisation, world.municipal_organisation])
    second = FocusArea.objects.create(promise=promise, title="Trafik", description="Trygg trafik.", order=2)
    world.once_activity.focus_area = second
    world.once_activity.description = "Mäta avloppsvattnet."
    # Part of the internal action plan: the sheet says so, and the draft keeps it.
    world.once_activity.is_internal = True
    world.once_activity.save()
    # A winter-season target: its days come back too.
    world.count_activity.target_window_start = datetime.date(2020, 1, 1)
    world.count_activity.target_window_end = datetime.date(2020, 4, 30)
    # "1 skolhundsinsats", "2 skolhundsinsatser": the singular comes back too (issue 18, klarspråk).
    world.count_activity.unit_singular = "skolhundsinsats"
    world.count_activity.save()
    return promise


# --- The round trip -------------------------------------------------------------------------------------------


def test_exporting_and_importing_a_promise_gives_an_identical_draft(filled, world):
    draft = import_bytes(export(filled, world.coordinator), world.coordinator)
    assert draft.pk != filled.pk
    assert draft.status == Promise.Status.DRAFT and draft.signed_on is None
    assert described(draft) == described(filled)
    # The address name was taken that year, so the draft has the next free one.
    assert (filled.slug, draft.slug) == ("strangnas-2020", "strangnas-2020-2")
    assert draft.history.latest().history_user == world.coordinator


def test_a_formula_in_a_text_stays_text_in_the_sheet(filled, world):
    workbook = load_workbook(io.BytesIO(export(filled, world.coordinator)))
    sheet = workbook[str(sheets.PROMISE)]
    pledge = next(row[1] for row in sheet.iter_rows() if row[0].value == "Löftet" or row[0].value == "Pledge")
    assert pledge.data_type == "s" and pledge.value.startswith("=HYPERLINK")


def test_the_strangnas_promises_survive_the_round_trip(world):
    call_command("load_strangnas", stdout=StringIO())
    coordinator = make_user(
        "strangnas-samordnare",
        organisation=Organisation.objects.get(name="Strängnäs kommun"),
        role=Membership.Role.COORDINATOR,
    )
    for promise in Promise.objects.filter(slug__in=["strangnas-2019", "strangnas-2020"]):
        draft = import_bytes(export(promise, coordinator), coordinator)
        assert described(draft) == described(promise)


def test_a_shared_promise_names_places_with_their_municipality_and_comes_back_whole(shared, world):
    # "At least 4 per municipality": the share comes back with the rest.
    shared.tjorn_activity.target_per_municipality = True
    shared.tjorn_activity.save()
    content = export(shared.promise, world.administrator)
    sheet = read(content)
    assert sheet.activities[0].values["places"] == ["Stenungsunds centrum (Stenungsund)", "Skärhamn (Tjörn)"]
    draft = imports.promise_import_sheet(sheet=sheet, by=world.administrator)
    assert described(draft) == described(shared.promise)


def test_english_headings_are_read_as_well(filled, world):
    with translation.override("en"):
        content = export(filled, world.coordinator)
    assert "Activities" in load_workbook(io.BytesIO(content)).sheetnames
    assert described(import_bytes(content, world.coordinator)) == described(filled)


# --- The template ----------------------------------------------------------------------------------------------


def test_the_template_offers_the_users_own_choices_in_drop_down_lists(world):
    workbook = load_workbook(io.BytesIO(sheets.promise_workbook(None, imports.lists_for_user(world.coordinator))))
    assert workbook.sheetnames == ["Instruktioner", "Löfte", "Fokusområden", "Aktiviteter", "Listor"]
    lists = workbook["Listor"]
    columns = {column[0].value: [cell.value for cell in column[1:] if cell.value] for column in lists.iter_cols()}
    assert columns["Organisationer"] == ["Polisen Strängnäs", "Strängnäs kommun"]  # not Eskilstuna's police
    assert "Torshälla" not in columns["Platser"] and "Mariefred" in columns["Platser"]
    assert columns["Kommuner"] == ["Strängnäs"]
    assert columns["Återkommande"] == ["En gång", "Löpande"]
    validations = {str(v.sqref).split(":")[0]: v for v in workbook["Aktiviteter"].data_validations.dataValidation}
    headings = [cell.value for cell in workbook["Aktiviteter"][1]]
    assert headings == [
        "Ordning",
        "Rubrik",
        "Fokusområde",
        "Aktivitetstyp",
        "Beskrivning",
        "Ansvarig organisation",
        "Samverkande organisationer",
        "Mål (antal)",
        "Enhet",
        "Platser i målet",
        "Återkommande",
        "Intern",
        "Målet gäller från",
        "Målet gäller till",
        "Mål per kommun",
        "Enhet för en",
    ]
    assert validations["D2"].type == "list" and "Listor" in validations["D2"].formula1  # kind
    assert validations["F2"].type == "list"  # lead organisation
    assert validations["K2"].type == "list"  # recurrence
    assert validations["L2"].type == "list"  # internal: yes or no
    assert validations["C2"].type == "list" and "Fokusområden" in validations["C2"].formula1
    assert validations["H2"].type == "whole"  # target count


# --- Refusals: each with its reason, and nothing saved -----------------------------------------------------------


def sheet_with(world, *, promise=None, areas=None, activities=None):
    """A sheet like a coordinator's: the promise's fields, and rows of focus areas and activities."""
    base_activity = {
        "order": "1",
        "title": "Trygghetsvandringar",
        "focus_area": "",
        "kind": "Planlagd insats",
        "description": "",
        "lead": "Strängnäs kommun",
        "partners": ["Polisen Strängnäs"],
        "target_count": "4",
        "unit": "vandringar",
        "places": ["Mariefred"],
        "recurrence": "Löpande",
    }
    sheet = sheets.PromiseSheet(
        promise={
            "title": "Medborgarlöfte 2022",
            "slug": "",
            "year": "2022",
            "period_start": "2022-01-01",
            "period_end": "2022-12-31",
            "municipalities": ["Strängnäs"],
            "signatories": ["Strängnäs kommun"],
            "situation": "Oro i centrum.",
            "pledge": "",
            "expected_effects": "",
            "follow_up": "",
            "communication": "",
            **(promise or {}),
        }
    )
    sheet.promise_rows = {column.key: row for row, column in enumerate(sheets.PROMISE_FIELDS, start=2)}
    sheet.focus_areas = [
        sheets.Row(row, {"order": str(row - 1), "title": "", "description": "", **values})
        for row, values in enumerate(areas or [], start=2)
    ]
    sheet.activities = [
        sheets.Row(row, {**base_activity, **values}) for row, values in enumerate(activities or [{}], start=2)
    ]
    return sheet


def refusals_of(sheet, user):
    before = counts()
    with pytest.raises(imports.ImportRefused) as refused:
        imports.promise_import_sheet(sheet=sheet, by=user)
    assert counts() == before  # nothing half-saved
    return [(r.sheet, r.row, r.column, r.message) for r in imports.located(refused.value.problems, sheet)]


def test_a_valid_sheet_makes_a_draft(world):
    draft = imports.promise_import_sheet(sheet=sheet_with(world), by=world.coordinator)
    activity = draft.activities.get()
    assert (activity.title, activity.lead_organisation, activity.target_count) == (
        "Trygghetsvandringar",
        world.municipal_organisation,
        4,
    )
    assert list(activity.target_places.all()) == [world.district]
    assert draft.slug == "medborgarlofte-2022"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            {"kind": "Hemlig typ"},
            "Aktivitetstyp",
            "Ingen aktivitetstyp heter ”Hemlig typ”. Välj en från bladet Listor.",
        ),
        (
            {"lead": "Polisen Eskilstuna"},
            "Ansvarig organisation",
            "”Polisen Eskilstuna” är inte en organisation du kan välja för det här löftet. Välj en från bladet Listor.",
        ),
        (
            {"lead": "Polisen Ingenstans"},
            "Ansvarig organisation",
            "”Polisen Ingenstans” är inte en organisation du kan välja för det här löftet. Välj en från bladet Listor.",
        ),
        (
            {"partners": ["Polisen Eskilstuna"]},
            "Samverkande organisationer",
            "”Polisen Eskilstuna”: inte en organisation du kan välja för det här löftet.",
        ),
        (
            {"places": ["Torshälla"]},
            "Platser i målet",
            "”Torshälla”: inte en plats i löftets kommuner som du kan välja.",
        ),
        ({"recurrence": "Ibland"}, "Återkommande", "Skriv ”En gång” eller ”Löpande”."),
        ({"internal": "Kanske"}, "Intern", "Skriv ”Ja” eller ”Nej”, eller lämna tomt."),
        (
            {"target_window_start": "2022-05-01", "target_window_end": "2023-02-01"},
            "Målet gäller från",
            "Delen måste ligga inom löftets period, 2022-01-01–2022-12-31.",
        ),
        (
            {"target_window_start": "2022-05-01"},
            "Målet gäller till",
            "Ange både första och sista dagen för delen av perioden, eller ingen av dem.",
        ),
        ({"focus_area": "Okänt"}, "Fokusområde", "Bladet Fokusområden har inget fokusområde ”Okänt”."),
        ({"target_count": "0"}, "Mål (antal)", "Ange målantal – minst 1."),
        ({"target_count": "fyra"}, "Mål (antal)", "Ange målantal som ett heltal, till exempel 3."),
        ({"title": ""}, "Rubrik", "Ange rubrik."),
        ({"title": "x" * 201}, "Rubrik", "Texten är för lång: högst 200 tecken (den har 201)."),
        ({"unit": "u" * 101}, "Enhet", "Texten är för lång: högst 100 tecken (den har 101)."),
        (
            {"description": f"Hembesök hos {IDENTITY_NUMBER}."},
            "Beskrivning",
            "Ta bort person- eller samordningsnumret. Registreringar beskriver utfört arbete, aldrig personer: skriv "
            "till exempel ”ett hembesök” i stället för vem som besöktes.",
        ),
        ({"kind": ""}, "Aktivitetstyp", "Välj aktivitetstyp."),
    ],
)
def test_each_refused_activity_row_is_listed_with_its_sheet_row_column_and_reason(world, row, column, message):
    sheet = sheet_with(world, activities=[{}, row])
    assert refusals_of(sheet, world.coordinator) == [("Aktiviteter", 3, column, message)]


def test_an_organisation_outside_the_scope_gets_the_same_answer_as_one_that_does_not_exist(world):
    outside = refusals_of(sheet_with(world, activities=[{"lead": "Polisen Eskilstuna"}]), world.coordinator)
    missing = refusals_of(sheet_with(world, activities=[{"lead": "Polisen Eskilstunb"}]), world.coordinator)
    assert outside[0][3].replace("Eskilstuna", "X") == missing[0][3].replace("Eskilstunb", "X")


@pytest.mark.parametrize(
    ("fields", "column", "message"),
    [
        (
            {"municipalities": ["Eskilstuna"]},
            "Kommuner",
            "Du samordnar inte ”Eskilstuna”. Ange de kommuner du samordnar; en annan kommun bjuds in från "
            "löftets sida när utkastet finns.",
        ),
        (
            {"signatories": ["Polisen Eskilstuna"]},
            "Undertecknande organisationer",
            "”Polisen Eskilstuna”: inte en organisation i dina kommuner. Välj från bladet Listor.",
        ),
        (
            {"period_start": "2022-06-01", "period_end": "2022-01-31"},
            "Periodens slut",
            "Perioden kan inte sluta innan den börjar.",
        ),
        ({"year": "2025"}, "År", "Året måste ligga inom löftets period."),
        ({"year": "1999"}, "År", "Året måste ligga inom löftets period."),
        ({"title": ""}, "Rubrik", "Ange rubrik."),
        (
            {"situation": f"Oro kring {IDENTITY_NUMBER}"},
            "Lägesbild",
            "Ta bort person- eller samordningsnumret. Registreringar beskriver utfört arbete, aldrig personer: skriv "
            "till exempel ”ett hembesök” i stället för vem som besöktes.",
        ),
        ({"slug": "inte en slug"}, "Adressnamn", None),
    ],
)
def test_each_refused_field_of_the_promise_is_listed_with_its_row(world, fields, column, message):
    refusals = refusals_of(sheet_with(world, promise=fields), world.coordinator)
    row = next(row for row, c in enumerate(sheets.PROMISE_FIELDS, start=2) if str(c.heading) == column)
    assert [(sheet, r, c) for sheet, r, c, _m in refusals] == [("Löfte", row, column)]
    if message is not None:
        assert refusals[0][3] == message


def test_a_date_that_is_not_a_date_is_refused_on_its_row(world):
    refusals = refusals_of(sheet_with(world, promise={"period_start": "den första"}), world.coordinator)
    assert ("Löfte", 5, "Periodens början", "Ange periodens början som ett datum, till exempel 2020-03-02.") in refusals
    assert {sheet_name for sheet_name, _r, _c, _m in refusals} == {"Löfte"}


def test_a_sheet_with_many_mistakes_lists_every_one_and_saves_nothing(world):
    sheet = sheet_with(
        world,
        promise={"period_start": "2022-06-01", "period_end": "2022-01-31"},
        areas=[{"title": "Trafik"}, {"title": "trafik"}],
        activities=[{}, {"kind": "Okänd"}, {"target_count": "-3"}, {"places": ["Torshälla", "Mariefred"]}],
    )
    refusals = refusals_of(sheet, world.coordinator)
    assert [(sheet_name, row) for sheet_name, row, _c, _m in refusals] == [
        ("Löfte", 6),
        ("Fokusområden", 3),
        ("Aktiviteter", 3),
        ("Aktiviteter", 4),
        ("Aktiviteter", 5),
    ]
    assert refusals[1][3] == "Löftet har redan ett fokusområde med den rubriken."


def test_a_promise_refused_whole_still_has_its_activities_checked(world):
    refusals = refusals_of(sheet_with(world, promise={"title": ""}, activities=[{"kind": "Okänd"}]), world.coordinator)
    assert [(sheet_name, column) for sheet_name, _r, column, _m in refusals] == [
        ("Löfte", "Rubrik"),
        ("Aktiviteter", "Aktivitetstyp"),
    ]


def test_a_coordinator_of_one_municipality_may_leave_the_municipality_out(world):
    draft = imports.promise_import_sheet(sheet=sheet_with(world, promise={"municipalities": []}), by=world.coordinator)
    assert list(draft.municipalities.all()) == [world.strangnas]


def test_an_administrator_must_name_the_municipality(world):
    refusals = refusals_of(sheet_with(world, promise={"municipalities": []}), world.administrator)
    assert refusals[0][:3] == ("Löfte", 7, "Kommuner")


def test_a_kind_may_be_named_by_its_slug(world):
    draft = imports.promise_import_sheet(
        sheet=sheet_with(world, activities=[{"kind": "planlagd-insats"}]), by=world.coordinator
    )
    assert draft.activities.get().kind == ActivityKind.objects.get(slug="planlagd-insats")


def test_names_are_found_whatever_their_case_and_spacing(world):
    draft = imports.promise_import_sheet(
        sheet=sheet_with(world, activities=[{"lead": "  strängnäs   KOMMUN ", "places": ["mariefred"]}]),
        by=world.coordinator,
    )
    assert draft.activities.get().lead_organisation == world.municipal_organisation


def test_names_listed_with_commas_as_the_record_export_writes_them_are_found(world):
    comma = Organisation.objects.create(name="Polisen, lokalpolisområde Strängnäs", kind="police")
    comma.municipalities.set([world.strangnas])
    draft = imports.promise_import_sheet(
        sheet=sheet_with(world, activities=[{"partners": ["Polisen, lokalpolisområde Strängnäs, Polisen Strängnäs"]}]),
        by=world.coordinator,
    )
    assert set(draft.activities.get().partner_organisations.all()) == {comma, world.police_organisation}


def test_an_empty_recurrence_is_continuous_as_a_new_activity_starts(world):
    draft = imports.promise_import_sheet(sheet=sheet_with(world, activities=[{"recurrence": ""}]), by=world.coordinator)
    assert draft.activities.get().recurrence == Activity.Recurrence.CONTINUOUS


# --- Files that cannot be read ----------------------------------------------------------------------------------


def unreadable(content):
    with pytest.raises(sheets.SheetUnreadable) as error:
        read(content)
    return str(error.value)


def workbook_bytes(build):
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


NOT_XLSX = "Filen kunde inte läsas som en Excel-arbetsbok (.xlsx). Spara den som .xlsx och ladda upp den igen."


@pytest.mark.parametrize(
    "content",
    [b"", b"hello", b"Datum;Aktivitet\n2020-01-01;x\n", b"PK\x03\x04broken", b"%PDF-1.7\n"],
    ids=["empty", "text", "csv", "broken zip", "pdf"],
)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(content):
    assert unreadable(content) == NOT_XLSX


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert unreadable(buffer.getvalue()) == NOT_XLSX


def test_a_file_that_unpacks_to_too_much_is_refused_before_it_is_read():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (sheets.MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < sheets.MAX_UPLOAD_BYTES
    assert unreadable(buffer.getvalue()) == "Arbetsboken är för stor uppackad, så den lästes inte."


def test_a_file_larger_than_the_limit_is_refused():
    assert unreadable(b"x" * (sheets.MAX_UPLOAD_BYTES + 1)) == "Filen är för stor: högst 2 MB kan importeras."


def test_a_workbook_without_the_activities_sheet_is_refused(world):
    def build(workbook):
        workbook.active.title = "Löfte"
        workbook.active.append(["Rubrik", "Något"])

    assert unreadable(workbook_bytes(build)) == "Arbetsboken har inget blad som heter ”Aktiviteter”. Utgå från mallen."


def test_a_sheet_without_its_columns_is_refused(world):
    def build(workbook):
        workbook.active.title = "Löfte"
        workbook.active.append(["Rubrik", "Något"])
        workbook.create_sheet("Aktiviteter").append(["Rubrik", "Aktivitetstyp"])

    message = unreadable(workbook_bytes(build))
    assert message.startswith("Bladet ”Aktiviteter” saknar kolumnen ”Ordning”, ”Fokusområde”")


def test_a_sheet_with_more_rows_than_the_limit_is_refused(world):
    sheet = sheet_with(world, activities=[{"title": f"Aktivitet {n}"} for n in range(sheets.MAX_ACTIVITIES + 1)])
    content = sheets.promise_workbook(sheet, sheets.Lists())
    assert unreadable(content) == "Bladet ”Aktiviteter” har fler än 300 rader; importera högst så många åt gången."


def test_a_cell_far_down_the_sheet_is_refused_rather_than_read_row_by_row(world):
    def build(workbook):
        workbook.active.title = "Löfte"
        workbook.active.append(["Rubrik", "Något"])
        activities = workbook.create_sheet("Aktiviteter")
        activities.append([str(column.heading) for column in sheets.ACTIVITY_COLUMNS])
        activities.cell(row=1_000_000, column=1, value="1")

    assert "har fler än 300 rader" in unreadable(workbook_bytes(build))


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(world):
    sheet = sheet_with(world)
    content = sheets.promise_workbook(sheet, sheets.Lists())
    workbook = load_workbook(io.BytesIO(content))
    activities = workbook["Aktiviteter"]
    activities.insert_rows(2, amount=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert [row.number for row in read(buffer.getvalue()).activities] == [4]


def test_places_in_the_lists_are_those_of_the_users_municipalities(world):
    lists = imports.lists_for_user(world.coordinator)
    assert set(lists.places) == set(Place.objects.filter(municipality=world.strangnas).values_list("name", flat=True))


def test_a_template_made_before_the_internal_column_still_reads_as_public_activities(world):
    workbook = load_workbook(io.BytesIO(export(world.promise, world.coordinator)))
    activities = workbook["Aktiviteter"]
    assert activities.cell(1, 12).value == "Intern"
    activities.delete_cols(12)
    buffer = io.BytesIO()
    workbook.save(buffer)
    draft = import_bytes(buffer.getvalue(), world.coordinator)
    assert draft.activities.count() == world.promise.activities.count()
    assert not draft.activities.filter(is_internal=True).exists()
