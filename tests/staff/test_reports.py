"""The tertial report pages: the workflow step by step, by each role that may and may not take each step."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone as django_timezone

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
        data[f"comment_{assessment.activity_id}"] = assessment.comment
    data.update(changes)
    return data


def page_statuses(response):
    return {item.title: str(item.status) for item in response.context["snapshot"].activities}


def test_the_coordinator_creates_a_draft_that_shows_every_activitys_computed_status(client, world, records):
    client.force_login(world.coordinator)
    response = client.post(url(world, "report_create"))
    assert response.status_code == 302
    report = TertialReport.objects.get()
    assert (report.status, report.tertial, report.council) == ("draft", T1, world.council)
    # Nothing is copied: every assessment follows the computed status until someone chooses another.
    assert set(report.assessments.values_list("status", flat=True)) == {""}
    # At 30 April 2020 (day 121 of 366): counted 1 ≥ ⌊2 × 121/366⌋ = 0 → on track; places 1 ≥ ⌊2 × 121/366⌋ = 0
    # → on track; continuous has a T1 record → on track; once without a record, not yet in T3 → on track.
    assert page_statuses(client.get(url(world))) == {
        "Planlagda insatser": "on_track",
        "Trafikkontroller": "on_track",
        "Kontakter med skolor": "on_track",
        "Avloppsvattenmätning": "on_track",
    }


def test_the_draft_shows_and_submits_the_status_computed_now_not_when_it_was_started(client, world):
    by = world.police_recorder
    # 30 April 2020 is day 121 of 366: at least 2 → ⌊0.66⌋ = 0 expected; the count activity is on track at 0.
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    make_record(world.count_activity, by=by, occurred_on=datetime.date(2020, 2, 3), quantity=2)  # now done
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 4), place=world.district)
    make_record(world.places_activity, by=by, occurred_on=datetime.date(2020, 3, 5), place=world.second_district)
    client.force_login(world.coordinator)
    page = client.get(url(world))
    assert page_statuses(page)["Planlagda insatser"] == "done"
    assert page_statuses(page)["Trafikkontroller"] == "done"
    # The form starts at "computed": saving it unchanged is no status change, and is not refused.
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url(world, "report_submit"), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    frozen = {item.title: item for item in report.frozen.activities}
    assert (frozen["Planlagda insatser"].status, frozen["Planlagda insatser"].achieved) == ("done", 2)
    assert frozen["Trafikkontroller"].status == frozen["Trafikkontroller"].computed_status == "done"
    assert set(report.assessments.values_list("status", flat=True)) == {""}


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
    assert "Du ändrade statusen från den beräknade" in response.content.decode()
    assert draft.assessments.get(activity=world.count_activity).status == ""
    draft.refresh_from_db()
    assert draft.revision == 1

    client.post(
        url(world), report_form(draft, **{f"status_{key}": "at_risk", f"comment_{key}": "Polisen omprioriterade."})
    )
    assert draft.assessments.get(activity=world.count_activity).status == "at_risk"
    item = client.get(url(world)).context["snapshot"].activity(key)
    assert (item.status, item.computed_status) == ("at_risk", "on_track")


def test_choosing_the_computed_status_stores_no_choice(client, world, draft):
    client.force_login(world.coordinator)
    key = world.count_activity.pk
    client.post(url(world), report_form(draft, **{f"status_{key}": "on_track", f"comment_{key}": "Som beräknat."}))
    assessment = draft.assessments.get(activity=world.count_activity)
    assert (assessment.status, assessment.comment) == ("", "Som beräknat.")


def test_the_database_refuses_a_chosen_status_without_a_comment(world, draft):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(report=draft).update(status="behind", comment="")


def test_a_comment_is_internal_unless_the_coordinator_makes_it_public(client, world, draft):
    client.force_login(world.coordinator)
    counted, places = world.count_activity.pk, world.places_activity.pk
    data = report_form(
        draft,
        **{
            f"comment_{counted}": "Till allmänheten.",
            f"comment_public_{counted}": "on",
            f"comment_{places}": "Intern.",
        },
    )
    assert client.post(url(world), data).status_code == 302
    assert draft.assessments.get(activity=world.count_activity).comment_public is True
    assert draft.assessments.get(activity=world.places_activity).comment_public is False


def test_sending_saves_what_was_typed_first(client, world, draft):
    client.force_login(world.coordinator)
    key = world.count_activity.pk
    data = report_form(draft, summary="Skrivet men inte sparat.", **{f"comment_{key}": "En insats i februari."})
    response = client.post(url(world, "report_submit"), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("submitted", "Skrivet men inte sparat.")
    assert draft.frozen.summary == "Skrivet men inte sparat."
    assert draft.frozen.activity(key).comment == "En insats i februari."


def test_sending_a_form_with_an_error_keeps_the_text_beside_the_error_and_sends_nothing(client, world, draft):
    client.force_login(world.coordinator)
    key = world.count_activity.pk
    data = report_form(draft, summary="Viktig text.", **{f"status_{key}": "behind"})
    response = client.post(url(world, "report_submit"), data)
    assert response.status_code == 200
    assert f"comment_{key}" in response.context["form"].errors
    assert "Viktig text." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == ("draft", "")


def test_a_send_that_is_refused_still_keeps_the_saved_text(client, world, records):
    report = services.report_create(promise=world.promise, tertial=T3, by=world.coordinator)
    client.force_login(world.coordinator)
    data = report_form(report, summary="Årets sista tertial.")
    for assessment in report.assessments.all():
        data[f"verdict_{assessment.activity_id}"] = ""  # no verdict: the last report cannot be sent yet
    response = client.post(url(world, "report_submit", tertial=T3), data, follow=True)
    report.refresh_from_db()
    assert (report.status, report.summary) == ("draft", "Årets sista tertial.")
    assert "Uppföljningen sparades men skickades inte" in response.content.decode()


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
    # Issue 18: the refused step says so first in the title and in a summary at the top linking to the field.
    page = response.content.decode()
    assert re.search(r"<title>\s*Fel: ", page)
    summary = page[page.index('id="error-summary"') :]
    assert 'href="#id_meeting_date"' in summary[: summary.index("</div>")]
    report.refresh_from_db()
    assert report.status == "submitted"


def test_the_report_page_shows_no_internal_version_number(client, world, draft):
    # Issue 18: "version 3" meant nothing to a coordinator; the revision stays in the forms, for stale refusal.
    client.force_login(world.coordinator)
    page = client.get(url(world)).content.decode()
    assert "version " not in page.lower().replace("versionen", "")


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
    assert list(report.publications.values_list("edition", "snapshot")) == [(1, frozen)]
    response = client.get(url(world))
    assert response.context["snapshot"].activity(world.count_activity.pk).achieved == 1


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
    key = world.count_activity.pk
    data[f"verdict_{key}"] = "partly_kept"
    response = client.post(url(world, tertial=T3), data)
    errors = response.context["form"].errors
    assert f"verdict_reason_{key}" in errors and f"verdict_explanation_{key}" in errors

    data[f"verdict_reason_{key}"] = "resources"
    data[f"verdict_explanation_{key}"] = "Polisen fick lägga resurserna på en utredning i höstas."
    assert client.post(url(world, tertial=T3), data).status_code == 302
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    assessment = Assessment.objects.get(report=report, activity=world.count_activity)
    assert (assessment.verdict_reason, assessment.verdict_explanation) == (
        "resources",
        "Polisen fick lägga resurserna på en utredning i höstas.",
    )


def test_at_the_end_a_done_activitys_verdict_starts_at_kept_and_the_others_are_to_choose(client, world, records):
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 9, 2))  # 2 of 2
    report = services.report_create(promise=world.promise, tertial=T3, by=world.coordinator)
    client.force_login(world.coordinator)
    form = client.get(url(world, tertial=T3)).context["form"]
    assert form[f"verdict_{world.count_activity.pk}"].value() == "kept"
    assert form[f"verdict_{world.places_activity.pk}"].value() == ""
    page = client.get(url(world, tertial=T3)).content.decode()
    assert "Hållet" in page and "Inte hållet" in page
    assert report.assessments.get(activity=world.count_activity).verdict == ""


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
    assert "en annan ledamot måste registrera beslutet" in page
    response = client.post(
        url(world, "report_approve"), {"revision": draft.revision, "meeting_date": "2020-05-20"}, follow=True
    )
    assert "en annan ledamot måste registrera beslutet" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == ("submitted", None)
    client.force_login(world.council_member)
    assert url(world, "report_approve") in client.get(url(world)).content.decode()


# The council reads what it approves -------------------------------------------------------------------------------


def test_the_council_member_reads_the_summary_every_comment_and_every_verdict(client, world, records):
    report = services.report_create(promise=world.promise, tertial=T3, by=world.coordinator)
    assessments = {}
    for assessment in report.assessments.all():
        assessments[assessment.activity_id] = {"verdict": "kept", "verdict_reason": "", "verdict_explanation": ""}
    assessments[world.count_activity.pk] = {
        "comment": "Intern anteckning till rådet.",
        "verdict": "not_kept",
        "verdict_reason": "reprioritised",
        "verdict_explanation": "Insatserna flyttades till våren.",
    }
    services.report_update(
        report=report, revision=report.revision, by=world.coordinator, summary="Sammanfattning för rådet.",
        assessments=assessments,
    )  # fmt: skip
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    client.force_login(world.council_member)
    page = client.get(url(world, tertial=T3)).content.decode()
    for text in (
        "Sammanfattning för rådet.",
        "Intern anteckning till rådet.",
        "(intern)",
        "Inte hållet",
        "Omprioriterat",
        "Insatserna flyttades till våren.",
    ):
        assert text in page


def test_approval_is_refused_when_the_figures_moved_after_submission(client, world, draft):
    report = submitted_report(world, draft)
    make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 9), quantity=4)
    client.force_login(world.council_member)
    page = client.get(url(world)).content.decode()
    assert "Siffrorna har ändrats sedan uppföljningen skickades till Brottsförebyggande rådet Strängnäs" in page
    response = client.post(
        url(world, "report_approve"), {"revision": report.revision, "meeting_date": "2020-05-20"}, follow=True
    )
    assert "Planlagda insatser" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.frozen.activity(world.count_activity.pk).achieved == 1  # what the council saw

    # Returned, looked at again and sent again: now the council approves the new figures.
    services.report_return(report=report, revision=report.revision, by=world.council_member, comment="Nya siffror.")
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(report=report, revision=report.revision, by=world.council_member, meeting_date=MEETING)
    report.refresh_from_db()
    assert (report.status, report.frozen.activity(world.count_activity.pk).achieved) == ("approved", 5)


def test_approval_freezes_the_meeting_date_into_the_snapshot(world, draft):
    report = approved_report(world, draft)
    assert report.frozen.meeting_date == MEETING


# Corrections after publication -------------------------------------------------------------------------------------


def published_report(world, draft):
    report = approved_report(world, draft)
    return services.report_publish(report=report, revision=report.revision, by=world.coordinator)


def test_the_coordinator_corrects_a_published_report_as_a_new_edition(client, world, draft):
    report = published_report(world, draft)
    first = report.snapshot
    client.force_login(world.coordinator)
    response = client.post(url(world, "report_correct"), {"revision": report.revision, "reason": "Stavfel."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.correction_reason, report.snapshot) == ("draft", "Stavfel.", {})
    # The first edition stays as it was published while the correction is made.
    assert list(report.publications.values_list("edition", "snapshot", "reason")) == [(1, first, "")]

    client.post(url(world), report_form(report, summary="Rättad sammanfattning."))
    report.refresh_from_db()
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    report.refresh_from_db()
    services.report_approve(report=report, revision=report.revision, by=world.council_member, meeting_date=MEETING)
    report.refresh_from_db()
    client.post(url(world, "report_publish"), {"revision": report.revision})
    report.refresh_from_db()
    assert (report.status, report.correction_reason) == ("published", "")
    editions = list(report.publications.order_by("edition"))
    assert [(item.edition, item.reason) for item in editions] == [(1, ""), (2, "Stavfel.")]
    assert editions[0].snapshot == first
    assert editions[1].frozen.summary == "Rättad sammanfattning."


def test_a_correction_needs_a_reason(client, world, draft):
    report = published_report(world, draft)
    client.force_login(world.coordinator)
    response = client.post(url(world, "report_correct"), {"revision": report.revision, "reason": " "})
    assert response.status_code == 400
    assert "reason" in response.context["correct_form"].errors
    report.refresh_from_db()
    assert report.status == "published"


@pytest.mark.parametrize("persona", ["council_member", "police_recorder", "outsider"])
def test_only_the_coordinator_corrects(client, world, draft, persona):
    report = published_report(world, draft)
    client.force_login(getattr(world, persona))
    response = client.post(url(world, "report_correct"), {"revision": report.revision, "reason": "Stavfel."})
    assert response.status_code == (302 if persona == "council_member" else 404)
    report.refresh_from_db()
    assert report.status == "published"


def test_a_stale_correction_is_refused(client, world, draft):
    report = published_report(world, draft)
    client.force_login(world.coordinator)
    client.post(url(world, "report_correct"), {"revision": report.revision, "reason": "Först."})
    client.post(url(world, "report_correct"), {"revision": report.revision, "reason": "Andra."})
    report.refresh_from_db()
    assert report.correction_reason == "Först."


def test_the_meeting_date_names_the_days_it_takes_and_starts_at_today_when_it_may(client, world, draft, monkeypatch):
    report = submitted_report(world, draft)
    client.force_login(world.council_member)
    monkeypatch.setattr(django_timezone, "localdate", lambda *args: datetime.date(2020, 5, 20))
    form = client.get(url(world)).context["approve_form"]
    assert str(form["meeting_date"].help_text) == "Ange ett datum mellan 1 jan. 2020 och 20 maj 2020."
    assert form["meeting_date"].value() == datetime.date(2020, 5, 20)
    # More than a year after the period, today is no longer a day it takes: the field starts empty.
    monkeypatch.setattr(django_timezone, "localdate", lambda *args: datetime.date(2026, 1, 1))
    form = client.get(url(world)).context["approve_form"]
    assert str(form["meeting_date"].help_text) == "Ange ett datum mellan 1 jan. 2020 och 1 maj 2021."
    assert form["meeting_date"].value() is None
    assert report.status == "submitted"
