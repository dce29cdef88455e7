"""Staff notices of the report workflow: the right people, once, in their language, only within the promise's scope,
and only where their own settings let them through."""

import datetime

import pytest
from django.core import mail

from followup import services
from followup.tertials import Tertial
from notices.models import Kind, Message, Notice, StaffPreference
from promises.models import Membership
from tests.conftest import make_user
from tests.notices.helpers import run_tasks

T1 = Tertial(2020, 1)
MEETING = datetime.date(2020, 5, 20)


@pytest.fixture
def staff(world):
    """Every persona with an address; a second council member who reads English; a council member in Eskilstuna."""
    for user in (world.police_recorder, world.municipal_recorder, world.coordinator, world.council_member):
        user.email = f"{user.username}@example.se"
        user.save()
    english = make_user("councillor", organisation=world.police_organisation, role=Membership.Role.COUNCIL)
    english.email = "councillor@example.se"
    english.save()
    StaffPreference.objects.create(user=english, language="en")
    foreign = make_user("eskilstunarad", organisation=world.foreign_police_organisation, role=Membership.Role.COUNCIL)
    foreign.email = "eskilstunarad@example.se"
    foreign.save()
    world.english_council_member = english
    return world


def _sent(capture, step):
    mail.outbox.clear()
    with capture(execute=True):
        result = step()
    run_tasks()
    return result, {message.to[0]: message for message in mail.outbox}


@pytest.fixture
def submitted(staff, django_capture_on_commit_callbacks):
    draft = services.report_create(promise=staff.promise, tertial=T1, by=staff.coordinator)
    report, received = _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_submit(report=draft, revision=draft.revision, by=staff.coordinator),
    )
    return report, received


def test_a_submitted_report_reaches_the_forums_members_once_in_their_language(staff, submitted):
    _, received = submitted
    assert sorted(received) == ["councillor@example.se", "radsledamot@example.se"]
    assert received["radsledamot@example.se"].subject.startswith("Rapporten för januari–april 2020")
    assert received["councillor@example.se"].subject.startswith("The report for January–April 2020")
    assert f"/uppfoljning/{staff.promise.pk}/2020T1/" in received["radsledamot@example.se"].body
    [html] = [content for content, kind in received["radsledamot@example.se"].alternatives if kind == "text/html"]
    assert "<a href=" in html
    # In the portal too, once each; never to the council of another municipality.
    notices = Notice.objects.filter(kind=Kind.REPORT_SUBMITTED)
    assert sorted(notice.user.username for notice in notices) == ["councillor", "radsledamot"]


def test_a_returned_report_reaches_its_submitter_with_the_comment(staff, submitted, django_capture_on_commit_callbacks):
    report, _ = submitted
    _, received = _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_return(
            report=report, revision=report.revision, by=staff.council_member, comment="Komplettera T1, tack."
        ),
    )
    assert list(received) == ["samordnare@example.se"]
    assert "Komplettera T1, tack." in received["samordnare@example.se"].body


def test_approval_reaches_the_coordinators_and_publication_everyone_working_on_the_promise(
    staff, submitted, django_capture_on_commit_callbacks
):
    report, _ = submitted
    report, received = _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_approve(
            report=report, revision=report.revision, by=staff.council_member, meeting_date=MEETING
        ),
    )
    assert list(received) == ["samordnare@example.se"]
    _, received = _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_publish(report=report, revision=report.revision, by=staff.coordinator),
    )
    # The recorders of the organisations doing the work, the council; not the one who published, nor Eskilstuna.
    assert sorted(received) == [
        "councillor@example.se",
        "kommun@example.se",
        "polis@example.se",
        "radsledamot@example.se",
    ]


def test_a_person_who_turned_a_notice_off_gets_it_neither_by_email_nor_in_the_portal(
    staff, django_capture_on_commit_callbacks
):
    StaffPreference.objects.create(
        user=staff.council_member, email_off=[Kind.REPORT_SUBMITTED], portal_off=[Kind.REPORT_SUBMITTED]
    )
    draft = services.report_create(promise=staff.promise, tertial=T1, by=staff.coordinator)
    _, received = _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_submit(report=draft, revision=draft.revision, by=staff.coordinator),
    )
    assert list(received) == ["councillor@example.se"]
    assert not Notice.objects.filter(user=staff.council_member).exists()


def test_e_mail_off_keeps_the_portal_notice(staff, django_capture_on_commit_callbacks):
    StaffPreference.objects.create(user=staff.council_member, email_off=[Kind.REPORT_SUBMITTED])
    draft = services.report_create(promise=staff.promise, tertial=T1, by=staff.coordinator)
    _sent(
        django_capture_on_commit_callbacks,
        lambda: services.report_submit(report=draft, revision=draft.revision, by=staff.coordinator),
    )
    assert Notice.objects.filter(user=staff.council_member).count() == 1
    assert not Message.objects.filter(recipient=f"user:{staff.council_member.pk}").exists()
