"""The tertial report pages: the workflow step by step, by each role that may and may not take each step."""

import datetime

import pytest
from django.urls import reverse

from activities.models import ActivityRecord
from followup import services
from followup.models import Assessment, TertialReport
from followup.tertials import Tertial
from promises.models import Membership
from tests.conftest import make_record

pytestmark = pytest.mark.django_db


T1 = Tertial(2020, 1)


T3 = Tertial(2020, 3)


MEETING = datetime.date(2020, 5, 20)


def url(world, name="report", tertial=T1):
    return reverse(f"followup:{name}", args=[world.promise.pk, tertial.code])


@pytest.fixture
def records(world):
    by = world.police_recorder
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 3))
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 4), place=world.district)
    make_record(world.continuous_activity, by=by, occurred_on=datetime.date(2020, 4, 30))
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 6, 1))  # T2: not counted at T1's end


@pytest.fixture
def draft(world, records):
    return services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)


def submitted_report(world, draft):
    return services.report_submit(report=draft, revision=draft.revision, by=world.coordinator)


def approved_report(world, draft):
    report = submitted_report(world, draft)
    return services.report_approve(
        report=report, revision=report.revision, by=world.council_member, meeting_date=MEETING
    )


def report_form(report, **changes):
    data = {"revision": report.revision, "summary": "Arbetet går enligt plan."}
    for assessment in report.assessments.all():
        data[f"status_{assessment.activity_id}"] = assessment.status
        data[f"comment_{assessment.activity_id}"] = ""
    data.update(changes)
    return data


def test_the_coordinator_creates_a_draft_with_every_activitys_computed_status(client, world, records):
    client.force_login(world.coordinator)
    response = client.post(url(world, "report_create"))
    assert response.status_code == 302
    report = TertialReport.objects.get()
    assert (report.status, report.tertial, report.council) == ("draft", T1, world.council)
    statuses = dict(report.assessments.values_list("activity__title", "status"))
    # At 30 April 2020 (day 121 of 366): counted 1 ≥ ⌊2 × 121/366⌋ = 0 → on track; places 1 ≥ ⌊2 × 121/366⌋ = 0
    # → on track; continuous has a T1 record → on track; once without a record, not yet in T3 → on track.
    assert statuses == {
        "Planlagda insatser": "on_track",
        "Trafikkontroller": "on_track",
        "Kontakter med skolor": "on_track",
        "Avloppsvattenmätning": "on_track",
    }


def test_a_second_report_for_the_same_tertial_is_refused(client, world, draft):
    client.force_login(world.coordinator)
    response = client.post(url(world, "report_create"), follow=True)
    assert "Det finns redan en uppföljning för T1 2020." in response.content.decode()
    assert TertialReport.objects.count() == 1


@pytest.mark.parametrize("persona", ["council_member", "police_recorder", "outsider"])
def test_only_the_coordinator_creates_a_report(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.post(url(world, "report_create"))
    assert response.status_code in (302, 404)
    assert not TertialReport.objects.exists()


def test_a_tertial_outside_the_period_is_404(client, world):
    client.force_login(world.coordinator)
    assert client.get(url(world, tertial=Tertial(2021, 1))).status_code == 404
    assert client.post(url(world, "report_create", tertial=Tertial(2021, 1))).status_code == 404


def test_creating_refuses_get(client, world):
    client.force_login(world.coordinator)
    assert client.get(url(world, "report_create")).status_code == 405


def test_the_coordinator_saves_a_summary_and_comments(client, world, draft):
    client.force_login(world.coordinator)
    key = world.count_activity.pk
    response = client.post(url(world), report_form(draft, **{f"comment_{key}": "En insats i februari."}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Arbetet går enligt plan.", 2)
    assert draft.assessments.get(activity=world.count_activity).comment == "En insats i februari."


def test_overriding_a_status_needs_a_comment(client, world, draft):
    client.force_login(world.coordinator)
    key = world.count_activity.pk
    response = client.post(url(world), report_form(draft, **{f"status_{key}": "at_risk"}))
    assert response.status_code == 200
    assert f"comment_{key}" in response.context["form"].errors
    assert draft.assessments.get(activity=world.count_activity).status == "on_track"
    draft.refresh_from_db()
    assert draft.revision == 1

    client.post(
        url(world), report_form(draft, **{f"status_{key}": "at_risk", f"comment_{key}": "Polisen omprioriterade."})
    )
    assert draft.assessments.get(activity=world.count_activity).status == "at_risk"


def test_a_personal_identity_number_in_the_summary_is_refused(client, world, draft):
    client.force_login(world.coordinator)
    response = client.post(url(world), report_form(draft, summary="Hembesök hos 811218-9876."))
    assert "summary" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.summary == ""


def test_the_second_of_two_editors_is_refused_and_shown_the_newer_revision(client, world, draft):
    client.force_login(world.coordinator)
    first = report_form(draft, summary="Först sparad.")
    second = report_form(draft, summary="Sparad av den andra.")
    assert client.post(url(world), first).status_code == 302
    response = client.post(url(world), second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "version 2" in page
    assert "Sparad av den andra." in page  # what the second editor typed is still on the page
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("Först sparad.", 2)


def test_a_council_member_cannot_edit_the_draft(client, world, draft):
    client.force_login(world.council_member)
    client.post(url(world), report_form(draft, summary="Rådets text"))
    draft.refresh_from_db()
    assert draft.summary == ""


def test_the_coordinator_submits_and_the_council_approves_with_the_meeting_date(client, world, draft):
    client.force_login(world.coordinator)
    client.post(url(world, "report_submit"), {"revision": draft.revision})
    draft.refresh_from_db()
    assert draft.status == "submitted"

    client.force_login(world.council_member)
    response = client.post(url(world, "report_approve"), {"revision": draft.revision, "meeting_date": "2020-05-20"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.meeting_date, draft.approved_by) == ("approved", MEETING, world.council_member)
    figures = {row["title"]: row for row in draft.snapshot["activities"]}
    assert figures["Planlagda insatser"]["achieved"] == 1  # the June record is after T1
    assert figures["Planlagda insatser"]["expected"] == 0.66  # 2 × 121/366
    assert figures["Trafikkontroller"]["covered_places"] == ["Mariefred"]
    assert figures["Trafikkontroller"]["target_places"] == ["Mariefred", "Stallarholmen"]
    # The June record is T2's, which was still open at approval: only T1 is frozen.
    assert figures["Planlagda insatser"]["per_tertial"] == {"2020T1": 1}
    assert draft.snapshot["judged_at"] == "2020-04-30"


def test_approval_needs_a_meeting_date_shown_next_to_the_field(client, world, draft):
    report = submitted_report(world, draft)
    client.force_login(world.council_member)
    response = client.post(url(world, "report_approve"), {"revision": report.revision, "meeting_date": ""})
    assert response.status_code == 400
    assert "meeting_date" in response.context["approve_form"].errors
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_coordinator_cannot_approve(client, world, draft):
    report = submitted_report(world, draft)
    client.force_login(world.coordinator)
    response = client.post(
        url(world, "report_approve"), {"revision": report.revision, "meeting_date": "2020-05-20"}, follow=True
    )
    assert "rådet" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_council_returns_a_submitted_report_with_a_comment(client, world, draft):
    report = submitted_report(world, draft)
    client.force_login(world.council_member)
    client.post(url(world, "report_return"), {"revision": report.revision, "comment": "Komplettera med trafiken."})
    report.refresh_from_db()
    assert (report.status, report.return_comment) == ("draft", "Komplettera med trafiken.")


def test_returning_needs_a_comment(client, world, draft):
    report = submitted_report(world, draft)
    client.force_login(world.council_member)
    response = client.post(url(world, "report_return"), {"revision": report.revision, "comment": ""})
    assert response.status_code == 400
    assert "comment" in response.context["return_form"].errors
    report.refresh_from_db()
    assert report.status == "submitted"


def test_approval_locks_the_tertials_records_and_returning_unlocks_them(client, world, draft):
    report = approved_report(world, draft)
    client.force_login(world.police_recorder)
    log = reverse("activities:log_activity", args=[world.count_activity.pk])
    data = {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-01",
        "quantity": "1",
        "submission_key": "0d1f5d3a-4b1e-4c41-9a8e-5a3f3f0e9a01",
    }
    assert client.post(log, data).status_code == 200  # refused: T1 is locked
    assert ActivityRecord.objects.filter(occurred_on=datetime.date(2020, 3, 1)).count() == 0

    client.force_login(world.coordinator)
    client.post(url(world, "report_return"), {"revision": report.revision, "comment": "Felaktig siffra för trafiken."})
    report.refresh_from_db()
    assert (report.status, report.snapshot) == ("draft", {})
    assert report.history.first().history_change_reason == "Felaktig siffra för trafiken."

    client.force_login(world.police_recorder)
    assert client.post(log, data).status_code == 302
    assert ActivityRecord.objects.filter(occurred_on=datetime.date(2020, 3, 1)).count() == 1


def test_the_coordinator_publishes_and_the_published_report_never_changes(client, world, draft):
    report = approved_report(world, draft)
    client.force_login(world.coordinator)
    client.post(url(world, "report_publish"), {"revision": report.revision})
    report.refresh_from_db()
    assert report.status == "published" and report.published_at is not None
    frozen = report.snapshot

    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 9, 1), quantity=5)
    ActivityRecord.objects.filter(occurred_on=datetime.date(2020, 2, 3)).update(quantity=7)
    report.refresh_from_db()
    assert report.snapshot == frozen
    response = client.get(url(world))
    counted = next(row["item"] for row in response.context["rows"] if row["item"].title == "Planlagda insatser")
    assert counted.achieved == 1


@pytest.mark.parametrize("persona", ["police_recorder", "outsider"])
def test_the_report_page_is_404_outside_the_follow_up_scope(client, world, draft, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world, "report_submit"), {"revision": draft.revision}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world, draft):
    response = client.get(url(world))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_last_tertial_needs_a_verdict_for_every_activity(client, world, records):
    report = services.report_create(promise=world.promise, tertial=T3, by=world.coordinator)
    with pytest.raises(services.ReportError):
        services.report_submit(report=report, revision=report.revision, by=world.coordinator)

    client.force_login(world.coordinator)
    data = report_form(report)
    for assessment in report.assessments.all():
        data[f"verdict_{assessment.activity_id}"] = "kept"
        data[f"verdict_reason_{assessment.activity_id}"] = ""
    data[f"verdict_{world.count_activity.pk}"] = "partly_kept"
    response = client.post(url(world, tertial=T3), data)
    assert f"verdict_reason_{world.count_activity.pk}" in response.context["form"].errors

    data[f"verdict_reason_{world.count_activity.pk}"] = "resources"
    assert client.post(url(world, tertial=T3), data).status_code == 302
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    assert Assessment.objects.get(report=report, activity=world.count_activity).verdict_reason == "resources"


def test_the_report_page_shows_the_workflow_to_each_role(client, world, draft):
    client.force_login(world.coordinator)
    page = client.get(url(world)).content.decode()
    assert url(world, "report_submit") in page
    client.force_login(world.council_member)
    page = client.get(url(world)).content.decode()
    assert url(world, "report_submit") not in page
    assert url(world, "report_approve") not in page  # not submitted yet


def test_the_submitter_is_not_offered_the_approval_and_is_refused_it(client, world, draft):
    """Four eyes through the pages: a coordinator who also sits on the council submits and tries to approve."""
    Membership.objects.create(user=world.coordinator, organisation=world.police_organisation, role="council")
    client.force_login(world.coordinator)
    client.post(url(world, "report_submit"), {"revision": draft.revision})
    draft.refresh_from_db()
    page = client.get(url(world)).content.decode()
    assert url(world, "report_approve") not in page
    assert "en annan ledamot måste godkänna" in page
    response = client.post(
        url(world, "report_approve"), {"revision": draft.revision, "meeting_date": "2020-05-20"}, follow=True
    )
    assert "en annan ledamot måste godkänna" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("submitted", None)
    client.force_login(world.council_member)
    assert url(world, "report_approve") in client.get(url(world)).content.decode()
