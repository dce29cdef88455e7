"""Mina aktiviteter, Mina registreringar, correcting and voiding, and a record's history."""

import datetime
import re

import pytest
from django.urls import reverse

from activities.models import ActivityRecord, RecordAlreadyVoided
from tests.conftest import make_record, seen_of
from tests.staff.test_log import approve_t1

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(world):
    return make_record(
        world.count_activity,
        by=world.police_recorder,
        occurred_on=datetime.date(2020, 3, 10),
        summary="Insats i centrum",
    )


# Mina aktiviteter


def test_my_activities_lists_what_my_organisation_takes_part_in_with_progress(client, world, record):
    client.force_login(world.police_recorder)
    response = client.get(reverse("activities:mine"))
    page = response.content.decode()
    assert [
        row["activity"]
        for group in response.context["promises"]
        for area in group["focus_areas"]
        for row in area["rows"]
    ] == [
        world.count_activity,
        world.places_activity,
        world.continuous_activity,
    ]
    assert "1 av 2 insatser" in page
    assert "Ej uppfyllt" in page  # 2020 is over and the target was not met
    assert "Avloppsvattenmätning" not in page  # the municipality's alone
    assert "Eskilstunas insats" not in page
    assert reverse("activities:log_activity", args=[world.count_activity.pk]) in page


def test_my_activities_shows_a_coordinator_every_activity_of_the_promise(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("activities:mine"))
    shown = {
        row["activity"]
        for group in response.context["promises"]
        for area in group["focus_areas"]
        for row in area["rows"]
    }
    assert shown == {world.count_activity, world.places_activity, world.continuous_activity, world.once_activity}


def test_my_activities_leaves_out_drafts_and_closed_promises(client, world):
    world.promise.status = "closed"
    world.promise.save()
    client.force_login(world.coordinator)
    assert client.get(reverse("activities:mine")).context["promises"] == []


@pytest.mark.parametrize("records", [1, 10])
def test_my_activities_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, records):
    for day in range(records):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1 + day))
        make_record(
            world.places_activity,
            by=world.police_recorder,
            occurred_on=datetime.date(2020, 3, 1 + day),
            place=world.district,
        )
    client.force_login(world.police_recorder)
    # session, user, memberships, the listed activities' ids and versions, loggable ids, then (nothing cached
    # yet) activities, target places, partners, summed records, the session's new expiry, and savepoints
    with django_assert_max_num_queries(14):
        client.get(reverse("activities:mine"))


# Mina registreringar


def test_my_records_lists_my_records_newest_first(client, world, record):
    newer = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    make_record(world.count_activity, by=world.coordinator, occurred_on=datetime.date(2020, 7, 1))
    client.force_login(world.police_recorder)
    response = client.get(reverse("activities:records"))
    assert list(response.context["page"]) == [newer, record]


def test_my_records_are_paginated(client, world):
    for day in range(30):
        make_record(
            world.count_activity,
            by=world.police_recorder,
            occurred_on=datetime.date(2020, 1, 1) + datetime.timedelta(day),
        )
    client.force_login(world.police_recorder)
    first = client.get(reverse("activities:records"))
    second = client.get(reverse("activities:records"), {"sida": 2})
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "Sida 1 av 2" in first.content.decode()


@pytest.mark.parametrize("records", [2, 20])
def test_my_records_run_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, records):
    for day in range(records):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1 + day))
    client.force_login(world.police_recorder)
    # session, user, memberships (menu), count, page, locked tertials, the session's new expiry, savepoints
    with django_assert_max_num_queries(11):
        client.get(reverse("activities:records"))


def test_the_coordinator_sees_every_record_of_the_municipality(client, world, record):
    theirs = make_record(world.foreign_activity, by=world.outsider, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.coordinator)
    page = client.get(reverse("activities:municipality_records")).context["page"]
    assert list(page) == [record]
    assert theirs not in page


def test_only_coordinators_reach_all_records(client, world):
    client.force_login(world.police_recorder)
    assert client.get(reverse("activities:municipality_records")).status_code == 404


def test_a_locked_record_offers_no_correction(client, world, record):
    approve_t1(world)
    client.force_login(world.police_recorder)
    response = client.get(reverse("activities:records"))
    assert "Låst (godkänd)" in response.content.decode()
    assert reverse("activities:edit", args=[record.pk]) not in response.content.decode()


# Correcting


def correction(world, record, **changes):
    data = {
        "seen": seen_of(record),
        "occurred_on": "2020-03-11",
        "quantity": "2",
        "place": world.district.pk,
        "place_text": "",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Insats i centrum, rättad",
    }
    data.update(changes)
    return data


def test_a_recorder_corrects_their_record(client, world, record):
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:edit", args=[record.pk]), correction(world, record), follow=True)
    record.refresh_from_db()
    assert (record.occurred_on, record.quantity, record.place) == (datetime.date(2020, 3, 11), 2, world.district)
    assert record.activity == world.count_activity
    assert "Nu 2 av 2 insatser." in response.content.decode()


def test_a_correction_cannot_move_the_record_to_another_activity(client, world, record):
    client.force_login(world.police_recorder)
    client.post(
        reverse("activities:edit", args=[record.pk]), correction(world, record, activity=world.places_activity.pk)
    )
    record.refresh_from_db()
    assert record.activity == world.count_activity


def test_a_bad_correction_changes_nothing(client, world, record):
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:edit", args=[record.pk]), correction(world, record, quantity="0"))
    assert response.status_code == 200
    assert "quantity" in response.context["form"].errors
    record.refresh_from_db()
    assert record.quantity == 1


def test_a_record_cannot_be_corrected_into_a_locked_tertial(client, world):
    approve_t1(world)
    later = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    client.force_login(world.police_recorder)
    response = client.post(
        reverse("activities:edit", args=[later.pk]), correction(world, later, occurred_on="2020-04-01")
    )
    assert "låsta" in " ".join(response.context["form"].errors["occurred_on"])
    later.refresh_from_db()
    assert later.occurred_on == datetime.date(2020, 6, 1)


def test_a_locked_record_cannot_be_corrected(client, world, record):
    approve_t1(world)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("activities:edit", args=[record.pk]), correction(world, record, occurred_on="2020-06-01"), follow=True
    )
    assert "registreringen är låst" in response.content.decode()
    record.refresh_from_db()
    assert record.occurred_on == datetime.date(2020, 3, 10)


def test_another_recorder_cannot_correct_my_record(client, world, record):
    client.force_login(world.municipal_recorder)
    assert client.get(reverse("activities:edit", args=[record.pk])).status_code == 404
    assert client.post(reverse("activities:edit", args=[record.pk]), correction(world, record)).status_code == 404
    record.refresh_from_db()
    assert record.quantity == 1


# Voiding


def test_a_recorder_voids_their_record_with_a_reason(client, world, record):
    client.force_login(world.police_recorder)
    response = client.post(
        reverse("activities:void", args=[record.pk]), {"reason": "Registrerad två gånger"}, follow=True
    )
    record.refresh_from_db()
    assert (record.is_voided, record.voided_by, record.void_reason) == (
        True,
        world.police_recorder,
        "Registrerad två gånger",
    )
    assert "Makulerat: Planlagda insatser. Nu 0 av 2 insatser." in response.content.decode()


def test_the_coordinator_voids_any_record_of_the_municipality(client, world, record):
    client.force_login(world.coordinator)
    client.post(reverse("activities:void", args=[record.pk]), {"reason": "Fel aktivitet"})
    record.refresh_from_db()
    assert record.voided_by == world.coordinator


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Ange "), ("Gällde 811218-9876", "Ta bort person- eller samordningsnumret")],
)
def test_voiding_refuses_a_bad_reason_and_changes_nothing(client, world, record, reason, message):
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:void", args=[record.pk]), {"reason": reason})
    assert message in " ".join(response.context["form"].errors["reason"])
    record.refresh_from_db()
    assert not record.is_voided


def test_a_locked_record_cannot_be_voided(client, world, record):
    approve_t1(world)
    client.force_login(world.coordinator)
    client.post(reverse("activities:void", args=[record.pk]), {"reason": "Fel"})
    record.refresh_from_db()
    assert not record.is_voided


def test_a_voided_record_cannot_be_voided_again(client, world, record):
    record.void(by=world.police_recorder, reason="Första")
    client.force_login(world.coordinator)
    response = client.post(reverse("activities:void", args=[record.pk]), {"reason": "Andra"}, follow=True)
    record.refresh_from_db()
    assert record.void_reason == "Första"
    assert "makulerad och kan inte längre ändras" in response.content.decode()


def test_voiding_returns_to_the_list_it_came_from_but_never_to_another_host(client, world, record):
    client.force_login(world.police_recorder)
    response = client.post(
        reverse("activities:void", args=[record.pk]), {"reason": "Fel", "next": "https://example.org/"}
    )
    assert response.url == reverse("activities:record", args=[record.pk])


def test_voiding_refuses_get_with_changes(client, world, record):
    client.force_login(world.police_recorder)
    client.get(reverse("activities:void", args=[record.pk]), {"reason": "Fel"})
    record.refresh_from_db()
    assert not record.is_voided


def test_the_outsider_cannot_void(client, world, record):
    client.force_login(world.outsider)
    assert client.post(reverse("activities:void", args=[record.pk]), {"reason": "Fel"}).status_code == 404
    record.refresh_from_db()
    assert not record.is_voided


# The record and its history


def test_the_coordinator_sees_who_changed_what(client, world, record):
    client.force_login(world.police_recorder)
    client.post(reverse("activities:edit", args=[record.pk]), correction(world, record))
    client.force_login(world.coordinator)
    client.post(reverse("activities:void", args=[record.pk]), {"reason": "Dubblett"})
    response = client.get(reverse("activities:record", args=[record.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    history = response.context["history"]
    assert [entry["row"].history_user for entry in history] == [world.coordinator, world.police_recorder, None]
    assert any(change["old"] == 1 and change["new"] == 2 for change in history[1]["changes"])
    assert "Dubblett" in page and "Ändringshistorik" in page


def test_a_recorder_sees_the_record_but_not_its_history(client, world, record):
    client.force_login(world.police_recorder)
    response = client.get(reverse("activities:record", args=[record.pk]))
    assert response.status_code == 200
    assert response.context["history"] is None


def test_history_cannot_be_reverted_from_the_admin(client, world, record):
    client.force_login(world.administrator)
    history_id = record.history.first().history_id
    url = f"/admin/activities/activityrecord/{record.pk}/history/{history_id}/"
    response = client.post(url, {"occurred_on": "2020-01-01", "quantity": "9"})
    record.refresh_from_db()
    assert record.quantity == 1
    assert response.status_code == 403
    assert client.get(url).status_code == 200


def test_nobody_but_an_administrator_reads_history_in_the_admin(client, world, record):
    world.outsider.is_staff = True
    world.outsider.save()
    client.force_login(world.outsider)
    history_id = record.history.first().history_id
    assert client.get(f"/admin/activities/activityrecord/{record.pk}/history/{history_id}/").status_code == 403


def test_voided_records_stay_in_the_database(world, record):
    record.void(by=world.coordinator, reason="Fel")
    assert ActivityRecord.objects.filter(pk=record.pk).exists()
    assert not ActivityRecord.objects.active().filter(pk=record.pk).exists()


@pytest.mark.parametrize("next_url", ["0", "activities:mine", "//example.org/", "javascript:alert(1)"])
def test_voiding_ignores_a_next_that_is_not_a_path_here(client, world, record, next_url):
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:void", args=[record.pk]), {"reason": "Fel", "next": next_url})
    assert response.status_code == 302
    assert response.url == reverse("activities:record", args=[record.pk])


# Edits that cross


def test_a_correction_on_a_stale_form_is_refused_with_the_newer_values_shown(client, world, record):
    stale = correction(world, record, quantity="1", summary="Min rättelse")
    client.force_login(world.coordinator)
    client.post(reverse("activities:edit", args=[record.pk]), correction(world, record, quantity="5"))
    record.refresh_from_db()
    assert record.quantity == 5

    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:edit", args=[record.pk]), stale)
    record.refresh_from_db()
    assert response.status_code == 409
    assert record.quantity == 5 and record.summary == "Insats i centrum, rättad"
    page = response.content.decode()
    assert "Någon annan ändrade" in page and "Så här ser det ut nu" in page
    assert ("Antal", 5) in response.context["form"].stale
    # What the user typed is still in the form, which now names the newer version: saving again replaces it.
    again = {**stale, "seen": response.context["form"]["seen"].value()}
    assert client.post(reverse("activities:edit", args=[record.pk]), again).status_code == 302
    record.refresh_from_db()
    assert (record.quantity, record.summary) == (1, "Min rättelse")


def test_a_correction_without_the_version_it_was_made_on_is_refused(client, world, record):
    data = correction(world, record)
    del data["seen"]
    client.force_login(world.police_recorder)
    response = client.post(reverse("activities:edit", args=[record.pk]), data)
    record.refresh_from_db()
    assert response.status_code == 409 and record.quantity == 1


def test_a_second_void_is_refused_and_the_first_reason_stands(world, record):
    record.void(by=world.police_recorder, reason="Första")
    late = ActivityRecord.objects.get(pk=record.pk)
    late.voided_at = None  # as a page opened before the first void still has it
    with pytest.raises(RecordAlreadyVoided):
        record.void(by=world.coordinator, reason="Andra")
    with pytest.raises(RecordAlreadyVoided):
        late.void(by=world.coordinator, reason="Andra")
    record.refresh_from_db()
    assert (record.void_reason, record.voided_by) == ("Första", world.police_recorder)
    voids = record.history.exclude(voided_at=None)
    assert voids.count() == 1
    assert (voids.get().history_change_reason, voids.get().history_user) == ("Första", world.police_recorder)


def test_a_void_sent_from_a_page_left_open_is_refused_with_a_message(client, world, record, monkeypatch):
    client.force_login(world.coordinator)
    # The page was shown before someone else voided the record: the view still found it open.
    monkeypatch.setattr("staff.views.records._refuse_if_closed", lambda request, record: None)
    record.void(by=world.police_recorder, reason="Första")
    response = client.post(reverse("activities:void", args=[record.pk]), {"reason": "Andra"}, follow=True)
    record.refresh_from_db()
    assert record.void_reason == "Första"
    assert "Någon annan makulerade" in response.content.decode()


# Where a record leads back to, and the summaries in the lists


def _links(page):
    return re.findall(r'href="([^"]+)"', page)


def test_both_record_lists_show_each_records_summary(client, world, record):
    client.force_login(world.coordinator)
    assert "Insats i centrum" in client.get(reverse("activities:municipality_records")).content.decode()
    client.force_login(world.police_recorder)
    assert "Insats i centrum" in client.get(reverse("activities:records")).content.decode()


def test_a_record_opened_from_all_records_leads_back_to_all_records(client, world, record):
    client.force_login(world.coordinator)
    listed = client.get(reverse("activities:municipality_records")).content.decode()
    opened = next(link for link in _links(listed) if link.startswith(reverse("activities:record", args=[record.pk])))
    page = client.get(opened.replace("&amp;", "&")).content.decode()
    assert "Tillbaka till alla registreringar" in page
    assert "Tillbaka till mina registreringar" not in page
    crumbs = page.split('aria-label="Du är här"')[1].split("</nav>")[0]
    assert reverse("activities:municipality_records") in crumbs
    assert reverse("activities:records") not in crumbs


def test_a_record_opened_from_my_records_leads_back_to_my_records(client, world, record):
    client.force_login(world.police_recorder)
    page = client.get(reverse("activities:record", args=[record.pk]) + "?fran=alla").content.decode()
    # Not a coordinator: "Alla registreringar" is not theirs, whatever the address says.
    assert "Tillbaka till mina registreringar" in page
    crumbs = page.split('aria-label="Du är här"')[1].split("</nav>")[0]
    assert reverse("activities:records") in crumbs
    assert reverse("activities:municipality_records") not in crumbs
