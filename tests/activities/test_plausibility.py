"""Implausible input is refused with a clear message, the same in the log form, the records import and the admin:
a quantity above the ceiling, a large one until it is confirmed, digits of other scripts, a council meeting outside
the period it reviews, an event outside its promise's period or with a title of several lines."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from activities import imports
from activities import promise_sheet as sheets
from activities.forms import RecordForm
from activities.models import ActivityRecord, PlannedEvent
from followup import services
from followup.services import ReportError
from followup.tertials import Tertial
from tests.conftest import make_record, seen_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

CONFIRM = "confirm_quantity"


def log(client, world, quantity, **changes):
    """The log form of the count activity (at least 2 planned operations) as the police recorder posts it."""
    client.force_login(world.police_recorder)
    data = {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": quantity,
        "place": "",
        "place_text": "",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Planlagd insats.",
        "submission_key": str(uuid.uuid4()),
        **changes,
    }
    return client.post(reverse("activities:log_activity", args=[world.count_activity.pk]), data)


# The quantity's ceiling and its confirmation


def test_a_quantity_above_the_ceiling_is_refused_beside_the_field(client, world):
    response = log(client, world, "100001")
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == [
        "En registrering kan omfatta högst 100\xa0000. Har det blivit ett skrivfel?"
    ]
    assert not ActivityRecord.objects.exists()


def test_the_ceiling_is_a_setting(client, world, settings):
    settings.RECORD_QUANTITY_CEILING = 500
    settings.RECORD_QUANTITY_CONFIRM_ABOVE = 10_000
    world.count_activity.target_count = None
    world.count_activity.save()
    response = log(client, world, "501", confirm_quantity="on")
    assert "högst 500" in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_ten_times_the_target_asks_whether_it_is_right_and_saves_nothing_until_confirmed(client, world):
    world.count_activity.unit = "insatser"
    world.count_activity.save()
    # The target is 2: 20 passes, 21 is asked about.
    assert log(client, world, "20").status_code == 302
    ActivityRecord.objects.all().delete()

    response = log(client, world, "100000")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du registrerar 100\xa0000 insatser: stämmer det? Kryssa i rutan för att bekräfta." in page
    assert 'type="checkbox" name="confirm_quantity"' in page
    assert "Ja, antalet stämmer" in page
    assert not ActivityRecord.objects.exists()

    assert log(client, world, "100000", confirm_quantity="on").status_code == 302
    assert ActivityRecord.objects.get().quantity == 100_000


def test_the_box_is_not_offered_to_a_plausible_quantity(client, world):
    response = log(client, world, "0")
    assert 'name="confirm_quantity"' not in response.content.decode()


def test_without_a_count_target_the_confirmation_limit_is_the_setting(client, world, settings):
    settings.RECORD_QUANTITY_CONFIRM_ABOVE = 1000
    world.count_activity.target_count = None
    world.count_activity.unit = ""
    world.count_activity.save()
    assert log(client, world, "1000").status_code == 302
    response = log(client, world, "1001")
    assert "Du registrerar antalet 1\xa0001: stämmer det?" in response.content.decode()
    assert ActivityRecord.objects.count() == 1


def test_a_correction_that_keeps_a_confirmed_quantity_is_not_asked_again(client, world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    ActivityRecord.objects.filter(pk=record.pk).update(quantity=500)
    record.refresh_from_db()

    data = {
        "occurred_on": "2020-03-11",
        "quantity": "500",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Rättat datum.",
        "seen": seen_of(record),
    }
    form = RecordForm(data, instance=record, user=world.police_recorder, activities=ActivityRecord.objects.none())
    assert form.is_valid(), form.errors


# Digits


def test_full_width_digits_are_read_as_the_same_number(client, world):
    assert log(client, world, "２").status_code == 302
    assert ActivityRecord.objects.get().quantity == 2


@pytest.mark.parametrize("digits", ["٢", "۲", "२"])
def test_digits_of_other_scripts_are_refused_with_a_message(client, world, digits):
    response = log(client, world, digits)
    assert response.status_code == 200
    assert response.context["form"].errors["quantity"] == ["Skriv talet med siffrorna 0–9."]
    assert not ActivityRecord.objects.exists()


# The same rules in the records import and the admin


def import_row(world, quantity):
    row = {
        "occurred_on": "2020-03-10",
        "activity": world.count_activity.title,
        "quantity": quantity,
        "place": "",
        "place_text": "",
        "organisations": [world.police_organisation.name],
        "summary": "Planlagd insats.",
    }
    (checked,) = imports.records_check(promise=world.promise, rows=[sheets.Row(2, row)], by=world.coordinator)
    return checked.problems


def test_the_import_refuses_a_quantity_that_needs_confirming_and_says_where_to_confirm_it(world):
    world.count_activity.unit = "insatser"
    world.count_activity.save()
    assert import_row(world, "20") == []
    assert import_row(world, "5000") == [
        (
            "quantity",
            "Du registrerar 5\xa0000 insatser: stämmer det? "
            "Registrera den här raden i registreringsformuläret, där du kan bekräfta antalet.",
        )
    ]
    assert import_row(world, "٥") == [("quantity", "Skriv talet med siffrorna 0–9.")]


def admin_record(client, world, **changes):
    client.force_login(world.administrator)
    data = {"activity": world.count_activity.pk, "occurred_on": "2020-03-10", "quantity": "1", "summary": "Insats"}
    data.update(changes)
    return client.post("/admin/activities/activityrecord/add/", data)


def test_the_admin_asks_for_the_same_confirmation(client, world):
    response = admin_record(client, world, quantity="100000")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du registrerar 100\xa0000 " in page and "stämmer det? Kryssa i rutan för att bekräfta." in page
    assert not ActivityRecord.objects.exists()
    assert admin_record(client, world, quantity="100000", confirm_quantity="on").status_code == 302
    assert ActivityRecord.objects.get().quantity == 100_000


def test_the_admin_refuses_digits_of_other_scripts(client, world):
    response = admin_record(client, world, quantity="١٢")
    assert "Skriv talet med siffrorna 0–9." in response.content.decode()
    assert not ActivityRecord.objects.exists()


# The council's meeting date


@pytest.fixture
def submitted(world):
    report = services.report_create(promise=world.promise, tertial=Tertial(2020, 1), by=world.coordinator)
    return services.report_submit(report=report, revision=report.revision, by=world.coordinator)


@pytest.mark.parametrize(
    ("meeting_date", "message"),
    [
        (datetime.date(1900, 1, 1), "Mötet kan inte ha hållits innan perioden som följs upp började, 2020-01-01."),
        (datetime.date(2019, 12, 31), "Mötet kan inte ha hållits innan perioden som följs upp började, 2020-01-01."),
    ],
)
def test_a_meeting_before_the_period_it_reviews_is_refused(client, world, submitted, meeting_date, message):
    client.force_login(world.council_member)
    url = reverse("followup:report_approve", args=[world.promise.pk, "2020T1"])
    response = client.post(url, {"revision": submitted.revision, "meeting_date": meeting_date.isoformat()}, follow=True)
    assert message in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.meeting_date) == ("submitted", None)


def test_a_meeting_more_than_a_year_after_the_period_is_refused(world, submitted, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2022, 6, 1))
    with pytest.raises(ReportError, match="inom ett år efter"), translation.override("sv"):
        services.report_approve(
            report=submitted,
            revision=submitted.revision,
            by=world.council_member,
            meeting_date=datetime.date(2021, 5, 2),
        )
    services.report_approve(
        report=submitted, revision=submitted.revision, by=world.council_member, meeting_date=datetime.date(2021, 4, 30)
    )


# Planned events in the admin


def admin_event(client, world, **changes):
    client.force_login(world.administrator)
    data = {
        "activity": world.count_activity.pk,
        "title": "Trygghetsvandring i Stallarholmen",
        "starts_at_0": "2020-05-10",
        "starts_at_1": "18:00",
        "ends_at_0": "2020-05-10",
        "ends_at_1": "20:00",
        "place_text": "Vid skolan",
        "description": "Alla är välkomna.",
        **changes,
    }
    return client.post("/admin/activities/plannedevent/add/", data)


@pytest.mark.parametrize("title", ["Trygghetsvandring\ni Stallarholmen", "Vandring\r\nkväll", "Vandring\u2028kväll"])
def test_the_admin_refuses_an_event_title_of_several_lines(client, world, title):
    response = admin_event(client, world, title=title)
    assert response.status_code == 200
    assert "Skriv rubriken på en rad." in response.content.decode()
    assert not PlannedEvent.objects.exists()


def test_the_admin_refuses_an_event_outside_the_promise_period(client, world):
    response = admin_event(client, world, starts_at_0="2023-05-10", ends_at_0="2023-05-10")
    assert response.status_code == 200
    assert "Aktiviteten måste äga rum inom löftets period, 2020-01-01–2020-12-31." in response.content.decode()
    assert not PlannedEvent.objects.exists()
