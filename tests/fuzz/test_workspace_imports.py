"""The workspace's imports, fuzzed as every persona: never a 5xx, never a row that breaks a rule.

As in test_workspace_forms.py, each example starts from a valid input and lets Hypothesis break a little of it:
the cells of an uploaded promise template or records sheet, the bytes of the file itself, the pasted text, the
review page's fields and the signed preview. The harness (tests/fuzz/harness.py) checks every response and every
rule after each request; in the scene the world's first tertial is published, so records dated in it must never
get in.
"""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from activities import promise_sheet as sheets
from tests.fuzz.harness import build_scene, isolated
from tests.fuzz.strategies import (
    date_strings,
    free_text,
    fuzz_settings,
    id_lists,
    ids,
    mutated,
    number_strings,
    personas,
    swedish_text,
)

pytestmark = pytest.mark.django_db

STRANGNAS_COORDINATORS = {"coordinator", "administrator"}
COORDINATORS = {"coordinator", "outsider", "administrator"}


@pytest.fixture
def scene(world):
    return build_scene(world)


def mostly(allowed):
    return st.one_of(st.sampled_from(sorted(allowed)), personas)


def xlsx(content):
    return SimpleUploadedFile("fil.xlsx", content, content_type=sheets.XLSX_CONTENT_TYPE)


# Names as a person might write them in a cell: the world's, another municipality's, unknown, and junk.
NAMES = ("Polisen Strängnäs", "Strängnäs kommun", "Polisen Eskilstuna", "Mariefred", "Torshälla", "Strängnäs")
NAMES += ("Eskilstuna", "Planlagd insats", "planlagd-insats", "Narkotika bland unga", "", ";", "En gång", "Löpande")
names = st.one_of(st.sampled_from(NAMES), free_text)
name_lists = st.lists(names, max_size=3)


def promise_cells(world):
    return {
        "title": free_text,
        "slug": st.one_of(free_text, st.sampled_from(("strangnas-2020", "x" * 101, "ok-slug"))),
        "year": number_strings,
        "period_start": date_strings(),
        "period_end": date_strings(),
        "municipalities": name_lists,
        "signatories": name_lists,
        "situation": free_text,
        "pledge": free_text,
    }


def activity_cells():
    return {
        "order": number_strings,
        "title": free_text,
        "focus_area": names,
        "kind": names,
        "description": free_text,
        "lead": names,
        "partners": name_lists,
        "target_count": number_strings,
        "unit": free_text,
        "places": name_lists,
        "recurrence": names,
    }


PROMISE_BASE = {
    "title": "Medborgarlöfte 2022",
    "year": "2022",
    "period_start": "2022-01-01",
    "period_end": "2022-12-31",
    "municipalities": ["Strängnäs"],
    "signatories": ["Strängnäs kommun"],
    "situation": "Oro i centrum.",
}
ACTIVITY_BASE = {
    "order": "1",
    "title": "Trygghetsvandringar",
    "focus_area": "Trafik",
    "kind": "Planlagd insats",
    "lead": "Strängnäs kommun",
    "partners": ["Polisen Strängnäs"],
    "target_count": "4",
    "unit": "vandringar",
    "places": ["Mariefred"],
    "recurrence": "Löpande",
}


@fuzz_settings(30)
@given(data=st.data())
def test_uploading_a_promise_template(scene, data):
    world = scene.world
    persona = data.draw(mostly(COORDINATORS), label="persona")
    sheet = sheets.PromiseSheet(promise=data.draw(mutated(PROMISE_BASE, promise_cells(world)), label="promise"))
    area = data.draw(mutated({"order": "1", "title": "Trafik"}, {"title": free_text, "order": number_strings}))
    sheet.focus_areas = [sheets.Row(2, area)]
    rows = data.draw(st.lists(mutated(ACTIVITY_BASE, activity_cells()), min_size=1, max_size=3), label="activities")
    sheet.activities = [sheets.Row(number, row) for number, row in enumerate(rows, start=2)]
    content = sheets.promise_workbook(sheet, sheets.Lists())
    with isolated(scene, persona) as visit:
        response = visit.post(reverse("workspace:promise_import"), {"file": xlsx(content)})
        if persona not in COORDINATORS:
            visit.assert_refused(response, f"{persona} may not import promises")


def damaged(content):
    """A valid workbook's bytes, cut, overwritten or padded somewhere. Positions are drawn as fractions of the
    length, because a workbook carries the time it was written and its length varies by a byte or two."""
    at = st.integers(0, 1000).map(lambda per_mille: len(content) * per_mille // 1000)
    return st.one_of(
        at.map(lambda position: content[:position]),
        st.tuples(at, st.binary(min_size=1, max_size=64)).map(
            lambda cut: content[: cut[0]] + cut[1] + content[cut[0] + len(cut[1]) :]
        ),
        st.binary(max_size=2048),
    )


@fuzz_settings(30)
@given(data=st.data())
def test_uploading_damaged_files(scene, data):
    """Broken, cut or foreign bytes under every import: refused with a message, never a 500."""
    world = scene.world
    content = sheets.promise_workbook(sheets.sheet_of(world.promise), sheets.Lists())
    which = data.draw(st.sampled_from(("promise", "records")), label="which")
    persona = data.draw(mostly(STRANGNAS_COORDINATORS), label="persona")
    body = data.draw(damaged(content), label="bytes")
    if which == "promise":
        url = reverse("workspace:promise_import")
        allowed = COORDINATORS
    else:
        url = reverse("workspace:records_import", args=[world.promise.pk])
        allowed = STRANGNAS_COORDINATORS
    with isolated(scene, persona) as visit:
        response = visit.post(url, {"file": xlsx(body)})
        if persona not in allowed:
            visit.assert_refused(response, f"{persona} may not import")


def record_cells():
    return {
        "occurred_on": st.one_of(date_strings(), st.dates().map(lambda day: day)),
        "activity": st.one_of(
            st.sampled_from(("Planlagda insatser", "Trafikkontroller", "Eskilstunas insats", "")), free_text
        ),
        "quantity": st.one_of(number_strings, st.integers(-5, 200_000)),
        "place": names,
        "place_text": free_text,
        "organisations": st.lists(names, max_size=3).map("; ".join),
        "summary": free_text,
    }


RECORD_BASE = {
    "occurred_on": "2020-06-10",
    "activity": "Planlagda insatser",
    "quantity": "1",
    "place": "Mariefred",
    "organisations": "Polisen Strängnäs",
    "summary": "Insats vid skolan.",
}


def records_file(rows):
    content = sheets.records_workbook(
        sheets.Lists(), period_start=datetime.date(2020, 1, 1), period_end=datetime.date(2020, 12, 31)
    )
    workbook = load_workbook(io.BytesIO(content))
    for row in rows:
        values = []
        for column in sheets.RECORD_COLUMNS:
            value = row.get(column.key, "")
            # openpyxl refuses control characters in a cell; a spreadsheet program would not write them either.
            values.append(sheets.ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value)
        workbook["Registreringar"].append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@fuzz_settings(30)
@given(which=st.sampled_from(("promise", "foreign_promise", "draft_promise")), data=st.data())
def test_importing_records_and_saving_the_preview(scene, which, data):
    """Upload a records sheet and, when a preview is offered, save it: nothing that breaks a rule gets in, and
    nothing dated in the published first tertial."""
    world = scene.world
    coordinators = {"outsider", "administrator"} if which == "foreign_promise" else STRANGNAS_COORDINATORS
    persona = data.draw(mostly(coordinators), label="persona")
    rows = data.draw(st.lists(mutated(RECORD_BASE, record_cells()), min_size=1, max_size=3), label="rows")
    url = reverse("workspace:records_import", args=[getattr(world, which).pk])
    with isolated(scene, persona) as visit:
        response = visit.post(url, {"file": xlsx(records_file(rows))})
        if persona not in coordinators:
            visit.assert_refused(response, f"{persona} may not import records into {which}")
            return
        preview = response.context.get("preview") if response.context else None
        if preview:
            tampered = data.draw(st.sampled_from(("as is", "cut", "other")), label="preview")
            if tampered == "cut":
                preview = preview[:-3]
            elif tampered == "other":
                preview = data.draw(free_text)
            visit.post(url, {"preview": preview})


SNIPPETS = (
    "Medborgarlöfte 2022",
    "Medborgarlöfte 2021–2022",
    "Lägesbild",
    "Polisen och kommunen lovar under året",
    "Aktiviteter",
    "Förväntad effekt",
    "Uppföljning",
    "Kommunikation",
    "• Polisen kommer genomföra minst två planlagda insatser under året.",
    "- Strängnäs kommun kommer tillsammans med polisen att genomföra fyra stycken trygghetsvandringar i Mariefred.",
    "* Polisen genomför trafikkontroller i samtliga kommundelar två gånger per år.",
    "• Vi kommer att mäta avloppsvattnet. (En gång.) För att se 15–18 åringar.",
    "Trygg trafik",
    "1. Kommunen informerar en gång per tertial.",
)
pasted = st.lists(st.one_of(st.sampled_from(SNIPPETS), swedish_text, free_text), min_size=1, max_size=12).map(
    "\n\n".join
)


@fuzz_settings(30)
@given(data=st.data())
def test_pasting_a_text_and_making_the_draft(scene, data):
    """Paste any text; when a review comes back, post it with a few fields broken."""
    world = scene.world
    persona = data.draw(mostly(COORDINATORS), label="persona")
    text = data.draw(pasted, label="text")
    url = reverse("workspace:promise_paste")
    with isolated(scene, persona) as visit:
        step = {"step": "read", "municipality": world.strangnas.pk, "text": text, "year": "2022"}
        response = visit.post(
            url, data.draw(mutated(step, {"municipality": ids([world.strangnas.pk]), "year": number_strings}))
        )
        if persona not in COORDINATORS:
            visit.assert_refused(response, f"{persona} may not paste promises")
            return
        context = response.context
        if not context or "activities" not in context:
            return
        review = {"step": "create"}
        for form in (context["meta"], context["promise_form"]):
            review.update({b.html_name: b.value() for b in form if b.value() not in (None, False)})
        for formset in (context["areas"], context["activities"]):
            review.update({b.html_name: b.value() for b in formset.management_form})
            for form in formset.forms:
                review.update({b.html_name: b.value() for b in form if b.value() not in (None, False)})
        review = {key: ("on" if value is True else value) for key, value in review.items()}
        review = {
            key: [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
            for key, value in review.items()
        }
        fuzz = {
            "promise-title": free_text,
            "promise-year": number_strings,
            "promise-municipalities": id_lists([world.strangnas.pk], [world.eskilstuna.pk]),
            "promise-pledge": free_text,
            "municipality": ids([world.strangnas.pk], [world.eskilstuna.pk]),
            "activities-TOTAL_FORMS": number_strings,
            "activities-0-kind": ids([world.count_activity.kind_id]),
            "activities-0-lead_organisation": ids(
                [world.police_organisation.pk], [world.foreign_police_organisation.pk]
            ),
            "activities-0-target_places": id_lists([world.district.pk], [world.foreign_place.pk]),
            "activities-0-target_count": number_strings,
            "activities-0-focus_area": number_strings,
            "activities-0-description": free_text,
            "areas-TOTAL_FORMS": number_strings,
        }
        visit.post(url, data.draw(mutated(review, fuzz), label="review"))
