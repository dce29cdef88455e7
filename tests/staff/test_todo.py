""" "Att göra": each role's items for a prepared situation, each linking where it is done; the unread notices; the
notice settings; and a query count that does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notices.models import Kind, Notice, StaffPreference
from promises.models import Municipality, Promise
from tests.conftest import local, make_event, make_record, make_report

pytestmark = pytest.mark.django_db
START = "/att-gora/"
# 15 September 2020: T1 and T2 of the world's promise have ended, T3 runs.
NOW = datetime.datetime(2020, 9, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture
def september(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _todo(client, user):
    client.force_login(user)
    response = client.get(START)
    assert response.status_code == 200
    return response.context["todo"], response.content.decode()


def test_a_recorder_sees_the_activities_to_log_worst_first_and_their_latest_records(client, world, september):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 9, 1))
    todo, html = _todo(client, world.police_recorder)
    titles = [item.text for item in todo.to_log]
    assert sorted(titles) == ["Kontakter med skolor", "Planlagda insatser", "Trafikkontroller"]
    assert titles[-1] == "Planlagda insatser", "the activity on track comes last"
    assert reverse("activities:log_activity", args=[world.places_activity.pk]) in html
    assert [item.url for item in todo.latest_records] == [reverse("activities:record", args=[record.pk])]
    assert todo.reports_to_start == [] and todo.reports_to_decide == []


def test_a_coordinator_sees_reports_to_draft_publish_returned_and_events_without_a_record(client, world, september):
    returned = make_report(world.promise, number=1, status="draft")
    returned.return_comment = "Komplettera"
    returned.save()
    event = make_event(world, starts=local(2020, 9, 1, 18), title="Trygghetsvandring i Mariefred")
    make_event(world, starts=local(2020, 9, 30, 18), title="Kommande vandring")
    todo, html = _todo(client, world.coordinator)
    assert [item.text for item in todo.reports_returned] == ["Medborgarlöfte 2020: T1 2020"]
    assert [item.detail for item in todo.reports_returned] == ["Komplettera"]
    assert [item.text for item in todo.reports_to_start] == ["Medborgarlöfte 2020: T2 2020"]
    assert reverse("followup:report", args=[world.promise.pk, "2020T2"]) in html
    assert [item.text for item in todo.events_without_record] == [event.title]
    # Eskilstuna's promise is not theirs.
    assert "Eskilstunas" not in html


def test_a_coordinator_sees_an_approved_report_to_publish(client, world, september):
    make_report(world.promise, number=1, status="published")
    make_report(world.promise, number=2, status="approved")
    todo, _ = _todo(client, world.coordinator)
    assert [item.text for item in todo.reports_to_publish] == ["Medborgarlöfte 2020: T2 2020"]
    assert todo.reports_to_start == []


def test_a_council_member_sees_the_reports_waiting_for_their_decision(client, world, september):
    make_report(world.promise, number=2, status="submitted")
    make_report(world.foreign_promise, number=2, status="submitted")
    todo, html = _todo(client, world.council_member)
    assert [item.text for item in todo.reports_to_decide] == ["Medborgarlöfte 2020: T2 2020"]
    assert reverse("followup:report", args=[world.promise.pk, "2020T2"]) in html


def test_an_administrator_sees_the_municipalities_without_a_signed_promise_this_year(client, world, september):
    Municipality.objects.create(name="Gnesta", slug="gnesta", code="0461")
    Promise.objects.filter(pk=world.foreign_promise.pk).update(status=Promise.Status.DRAFT)
    todo, html = _todo(client, world.administrator)
    assert [item.text for item in todo.municipalities_without_promise] == ["Eskilstuna", "Gnesta"]
    assert reverse("followup:overview", args=["gnesta"]) in html


def test_log_in_lands_on_the_to_do_page(client, world):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "samordnare", "password": PASSWORD})
    assert response.status_code == 302 and response.url == START


def test_the_unread_notices_are_listed_and_opening_one_marks_it_read(client, world):
    notice = Notice.objects.create(
        user=world.council_member, kind=Kind.REPORT_SUBMITTED, key="k", title="Rapporten väntar", url="/uppfoljning/"
    )
    Notice.objects.create(user=world.coordinator, kind=Kind.REPORT_APPROVED, key="k", title="Annans", url="/")
    _, html = _todo(client, world.council_member)
    assert "Rapporten väntar" in html and "Annans" not in html
    assert client.get(reverse("todo:open_notice", args=[notice.pk])).status_code == 405
    response = client.post(reverse("todo:open_notice", args=[notice.pk]))
    assert response.status_code == 302 and response.url == "/uppfoljning/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Rapporten väntar" not in client.get(START).content.decode()


def test_another_persons_notice_answers_404(client, world):
    notice = Notice.objects.create(user=world.coordinator, kind=Kind.REPORT_APPROVED, key="k", title="T", url="/")
    client.force_login(world.council_member)
    assert client.post(reverse("todo:open_notice", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_settings_turn_a_notice_off_and_choose_the_language(client, world):
    client.force_login(world.council_member)
    page = client.get(reverse("todo:settings"))
    assert page.status_code == 200
    data = {"language": "en"}
    for kind in Kind.values[:6]:
        data[f"{kind}_email"] = "on"
        data[f"{kind}_portal"] = "on"
    del data["report_submitted_email"]
    response = client.post(reverse("todo:settings"), data)
    assert response.status_code == 302
    preference = StaffPreference.objects.get(user=world.council_member)
    assert preference.language == "en"
    assert preference.email_off == ["report_submitted"] and preference.portal_off == []


def test_the_settings_refuse_an_unknown_language_and_save_nothing(client, world):
    client.force_login(world.council_member)
    response = client.post(reverse("todo:settings"), {"language": "xx"})
    assert response.status_code == 200
    assert "xx" in str(response.context["form"].errors) or response.context["form"].errors
    assert not StaffPreference.objects.exists()


def test_someone_logged_out_is_sent_to_log_in(client):
    response = client.get(START)
    assert response.status_code == 302 and reverse("login") in response.url


def _grow(world, size):
    for number in range(size):
        make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 2, 1 + number))
        make_event(world, starts=local(2020, 8, 1 + number, 18), title=f"Vandring {number}")
        Notice.objects.create(
            user=world.coordinator, kind=Kind.REPORT_APPROVED, key=f"k{size}-{number}", title=f"N{number}", url="/"
        )
        Municipality.objects.create(
            name=f"Kommun {size}-{number}", slug=f"kommun-{size}-{number}", code=str(9000 + size * 20 + number)
        )


@pytest.mark.parametrize("persona", ["police_recorder", "coordinator", "council_member", "administrator"])
def test_the_query_count_does_not_grow_with_the_data(client, world, september, persona):
    user = getattr(world, persona)
    client.force_login(user)
    counts = []
    for size in (1, 10):
        _grow(world, size)
        client.get(START)  # fills the figures cache, as a running server has it
        with CaptureQueriesContext(connection) as queries:
            assert client.get(START).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
