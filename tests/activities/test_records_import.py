"""Importing records (activities.imports.records_check and records_save): exactly the log form's validation, all or
nothing, and a second check when the preview is saved.

The equality is tested as a person would meet it: each bad input is posted to the log form (/logga/) and put in a
row of a records sheet, by the same user, and the refusals must be the same messages on the same fields.
"""

import datetime
import uuid

import pytest
from django.urls import reverse

from activities import imports
from activities import promise_sheet as sheets
from activities.models import ActivityRecord
from promises.models import Membership
from tests.conftest import make_report, make_user

pytestmark = pytest.mark.django_db

IDENTITY_NUMBER = "850709-9805"


@pytest.fixture
def both(world):
    """A coordinator of Strängnäs and of Eskilstuna: a place of Eskilstuna is theirs, but not the promise's."""
    user = make_user("dubbel", organisation=world.municipal_organisation, role=Membership.Role.COORDINATOR)
    Membership.objects.create(user=user, organisation=world.foreign_police_organisation, role="coordinator")
    return user


def good_row(world, **changes):
    """A row as the sheet holds it (names) and the same as the log form posts it (ids)."""
    row = {
        "occurred_on": "2020-03-10",
        "activity": world.count_activity.title,
        "quantity": "2",
        "place": world.district.name,
        "place_text": "Skolgården",
        "organisations": [world.police_organisation.name],
        "summary": "Planlagd insats vid skolan.",
    }
    row.update(changes)
    return row


def as_form_data(world, row):
    places = {place.name: place.pk for place in (world.district, world.second_district, world.foreign_place)}
    organisations = {o.name: o.pk for o in (world.police_organisation, world.municipal_organisation)}
    activities = {world.count_activity.title: world.count_activity.pk}
    return {
        "activity": activities.get(row["activity"], ""),
        "occurred_on": row["occurred_on"],
        "quantity": row["quantity"],
        "place": places.get(row["place"], ""),
        "place_text": row["place_text"],
        "participating_organisations": [organisations[name] for name in row["organisations"]],
        "summary": row["summary"],
        "submission_key": str(uuid.uuid4()),
    }


def log_form_refusals(client, user, data):
    client.force_login(user)
    response = client.post(reverse("activities:log"), data)
    assert response.status_code == 200, "the log form took the input"
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def import_refusals(promise, user, row):
    (checked,) = imports.records_check(promise=promise, rows=[sheets.Row(2, row)], by=user)
    refusals = {}
    for column, message in checked.problems:
        refusals.setdefault(imports.RECORD_FIELD_OF.get(column, "__all__"), []).append(message)
    return refusals


BAD_INPUTS = {
    "a date before the period": {"occurred_on": "2019-12-31"},
    "a date in the future": {"occurred_on": "2020-05-01"},
    "a date that does not exist": {"occurred_on": "2020-13-01"},
    "no date": {"occurred_on": ""},
    "a quantity of 0": {"quantity": "0"},
    "a negative quantity": {"quantity": "-1"},
    "a quantity beyond any real count": {"quantity": "100001"},
    "a quantity in words": {"quantity": "två"},
    "no quantity": {"quantity": ""},
    "an identity number in the summary": {"summary": f"Hembesök hos {IDENTITY_NUMBER}"},
    "an identity number in the place description": {"place_text": f"Hos {IDENTITY_NUMBER}"},
    "a place description too long": {"place_text": "x" * 201},
    "a place of the user's other municipality": {"place": "Torshälla"},
    "several mistakes at once": {"occurred_on": "2021-01-01", "quantity": "0", "summary": IDENTITY_NUMBER},
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_the_import_refuses_what_the_log_form_refuses_with_the_same_messages(client, world, both, clock, case):
    row = good_row(world, **BAD_INPUTS[case])
    expected = log_form_refusals(client, both, as_form_data(world, row))
    assert expected, "the log form refuses it"
    assert import_refusals(world.promise, both, row) == expected
    assert ActivityRecord.objects.count() == 0


def test_a_locked_tertial_is_refused_alike(client, world, both, clock):
    make_report(world.promise, number=1, status="approved")
    row = good_row(world)
    expected = log_form_refusals(client, both, as_form_data(world, row))
    assert list(expected) == ["occurred_on"]
    assert import_refusals(world.promise, both, row) == expected


def test_an_activity_the_user_may_not_log_is_refused_alike(client, world, both, clock):
    world.promise.status = "closed"
    world.promise.save()
    row = good_row(world)
    expected = log_form_refusals(client, both, as_form_data(world, row))
    assert expected == {"activity": ["Du kan inte registrera insatser för den här aktiviteten."]}
    assert import_refusals(world.promise, both, row) == expected


def test_what_the_log_form_takes_the_import_takes(client, world, both, clock):
    row = good_row(world)
    client.force_login(both)
    assert client.post(reverse("activities:log"), as_form_data(world, row)).status_code == 302
    assert import_refusals(world.promise, both, row) == {}


def test_names_the_log_form_has_no_field_for_are_refused_with_their_own_reason(world, clock):
    refusals = import_refusals(
        world.promise,
        world.coordinator,
        good_row(world, activity="Okänd aktivitet", place="Ingenstans", organisations=["Polisen Eskilstuna"]),
    )
    assert refusals == {
        "activity": ["Löftet har ingen aktivitet som heter ”Okänd aktivitet”."],
        "place": ["Ingen plats i dina kommuner heter ”Ingenstans”."],
        "participating_organisations": ["”Polisen Eskilstuna”: inte en organisation i dina kommuner."],
    }


def test_two_activities_with_one_title_are_refused_rather_than_guessed(world, clock):
    world.places_activity.title = world.count_activity.title
    world.places_activity.save()
    refusals = import_refusals(world.promise, world.coordinator, good_row(world))
    assert refusals == {
        "activity": ["Flera av löftets aktiviteter heter ”Planlagda insatser”: ge dem olika rubriker först."]
    }


def rows(world, *changes):
    return [sheets.Row(number, good_row(world, **change)) for number, change in enumerate(changes, start=2)]


def test_saving_stores_every_row_or_none(world, clock):
    keys = [str(uuid.uuid4()) for _ in range(3)]
    with pytest.raises(imports.ImportRefused) as refused:
        imports.records_save(
            promise=world.promise, rows=rows(world, {}, {"quantity": "0"}, {}), keys=keys, by=world.coordinator
        )
    assert [(p.index, p.field) for p in refused.value.problems] == [(1, "quantity")]
    assert ActivityRecord.objects.count() == 0
    saved = imports.records_save(promise=world.promise, rows=rows(world, {}, {}, {}), keys=keys, by=world.coordinator)
    assert len(saved) == 3 and ActivityRecord.objects.count() == 3
    assert {record.submission_key for record in saved} == {uuid.UUID(key) for key in keys}


def test_saving_checks_every_row_again(world, clock):
    keys = [str(uuid.uuid4())]
    checked = imports.records_check(promise=world.promise, rows=rows(world, {}), by=world.coordinator, keys=keys)
    assert checked[0].ok
    make_report(world.promise, number=1, status="approved")
    with pytest.raises(imports.ImportRefused):
        imports.records_save(promise=world.promise, rows=rows(world, {}), keys=keys, by=world.coordinator)
    assert ActivityRecord.objects.count() == 0


def test_saving_the_same_rows_twice_stores_them_once(world, clock):
    keys = [str(uuid.uuid4()), str(uuid.uuid4())]
    imports.records_save(promise=world.promise, rows=rows(world, {}, {}), keys=keys, by=world.coordinator)
    with pytest.raises(imports.AlreadySaved):
        imports.records_save(promise=world.promise, rows=rows(world, {}, {}), keys=keys, by=world.coordinator)
    assert ActivityRecord.objects.count() == 2


def test_a_date_cell_and_a_date_typed_as_text_are_the_same_date(world, clock):
    (checked,) = imports.records_check(
        promise=world.promise,
        rows=[sheets.Row(2, good_row(world, occurred_on=datetime.date(2020, 3, 10).isoformat()))],
        by=world.coordinator,
    )
    assert checked.shown["occurred_on"] == datetime.date(2020, 3, 10)
