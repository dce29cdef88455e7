"""The schedule: reminders of follow-up periods that end soon, and tomorrow's events, each taken once.

The world's promise runs through 2020 with tertial follow-up. On 20 August 2020, T2 ends in 11 days (within the
default 14). Judged on 31 August with the records there are (DESIGN §5, worked by hand): the count activity (at
least 2) expects ⌊2 × 244/366⌋ = 1 and has 0, which is ⌊1/2⌋ = 0 or more: Risk; the places activity covers 0 of
2 districts against the same expectation: Risk; the continuous activity has two completed tertials without a
record: Efter plan; the one-off activity is not in its last tertial yet: Enligt plan. So the police (lead of the
first two) get a reminder of those two, and the municipality (lead of the continuous one) of that one.
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from followup.tertials import Tertial
from notices.models import Kind, Message, Notice, ScheduledJob
from notices.schedule import schedule_run
from notices.services import at_risk_at_period_end
from promises.models import Membership
from tests.conftest import local, make_event, make_record, make_user
from tests.notices.helpers import run_tasks

TODAY = datetime.date(2020, 8, 20)


@pytest.fixture
def recorders(world):
    for user, address in ((world.police_recorder, "polis@example.se"), (world.municipal_recorder, "kommun@example.se")):
        user.email = address
        user.save()
    return world


@pytest.fixture
def august(monkeypatch):
    moment = datetime.datetime(2020, 8, 20, 3, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_the_at_risk_activities_are_the_hand_computed_ones(world):
    by_organisation = at_risk_at_period_end(world.promise, Tertial(2020, 2))
    assert by_organisation == {
        world.police_organisation.pk: [world.count_activity, world.places_activity],
        world.municipal_organisation.pk: [world.continuous_activity],
    }


def test_an_activity_on_track_is_not_in_the_reminder(world):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 6, 1))
    make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, 2, 1))
    make_record(world.continuous_activity, by=world.municipal_recorder, occurred_on=datetime.date(2020, 6, 1))
    assert at_risk_at_period_end(world.promise, Tertial(2020, 2)) == {
        world.police_organisation.pk: [world.places_activity]
    }


def test_each_lead_organisations_recorders_get_their_activities_once(
    recorders, august, django_capture_on_commit_callbacks
):
    world = recorders
    with django_capture_on_commit_callbacks(execute=True):
        schedule_run(TODAY)
        schedule_run(TODAY)  # the cron job ran twice
    run_tasks()
    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["kommun@example.se", "polis@example.se"]
    police = by_address["polis@example.se"]
    assert "Planlagda insatser" in police.body and "Trafikkontroller" in police.body
    assert f"/aktiviteter/{world.count_activity.pk}/logga/" in police.body
    assert "Kontakter med skolor" not in police.body
    assert "Kontakter med skolor" in by_address["kommun@example.se"].body
    assert Notice.objects.filter(kind=Kind.PERIOD_REMINDER).count() == 2
    # Nobody outside the promise: the coordinator of Eskilstuna, the council member, the coordinator.
    assert not Notice.objects.exclude(user__in=[world.police_recorder, world.municipal_recorder]).exists()


def test_nothing_is_reminded_before_the_window(recorders, monkeypatch):
    schedule_run(datetime.date(2020, 8, 1))  # 30 days before T2 ends
    assert not Message.objects.exists()


def test_the_participants_of_tomorrows_event_are_told_once(recorders, august, django_capture_on_commit_callbacks):
    world = recorders
    event = make_event(world, world.continuous_activity, starts=local(2020, 8, 21, 18), title="Föräldravandring")
    make_event(world, world.count_activity, starts=local(2020, 8, 23, 18), title="Senare")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_run(TODAY)
        schedule_run(TODAY)
    notices = Notice.objects.filter(kind=Kind.EVENT_TOMORROW)
    # The continuous activity is led by the municipality with the police taking part: both organisations' staff.
    assert sorted(notice.user.username for notice in notices) == ["kommun", "polis", "samordnare"]
    assert {notice.key for notice in notices} == {f"event:{event.pk}:2020-08-21"}


def test_a_person_who_turned_reminders_off_gets_none(recorders, august):
    from notices.models import StaffPreference

    StaffPreference.objects.create(
        user=recorders.police_recorder, email_off=[Kind.PERIOD_REMINDER], portal_off=[Kind.PERIOD_REMINDER]
    )
    schedule_run(TODAY)
    assert not Message.objects.filter(recipient=f"user:{recorders.police_recorder.pk}").exists()
    assert not Notice.objects.filter(user=recorders.police_recorder).exists()
    assert Message.objects.filter(recipient=f"user:{recorders.municipal_recorder.pk}").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent runs need PostgreSQL's locking")
@pytest.mark.django_db(transaction=True)
def test_two_servers_running_the_schedule_at_once_neither_lose_nor_double(world, august):
    for user, address in ((world.police_recorder, "polis@example.se"), (world.municipal_recorder, "kommun@example.se")):
        user.email = address
        user.save()
    extra = make_user("polis2", organisation=world.police_organisation, role=Membership.Role.RECORDER)
    extra.email = "polis2@example.se"
    extra.save()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            schedule_run(TODAY)
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    # One job per promise whose period ends soon (Strängnäs's and Eskilstuna's), however many runs took part.
    assert ScheduledJob.objects.filter(kind=Kind.PERIOD_REMINDER).count() == 2
    recipients = sorted(Message.objects.filter(kind=Kind.PERIOD_REMINDER).values_list("to_email", flat=True))
    assert recipients == ["kommun@example.se", "polis2@example.se", "polis@example.se"]
