"""Issue 18: a staff form sent after the session ended keeps what was typed through the log-in, unsaved."""

import pytest
from django.urls import reverse

from activities.models import PlannedEvent
from followup import services
from followup.tertials import Tertial
from promises.models import Place
from staff.kept_forms import SESSION_KEY
from tests.conftest import PASSWORD

T1 = Tertial(2020, 1)


def _send_logged_out_then_log_in(client, url, typed, username):
    response = client.post(url, typed)  # not logged in: the session has ended
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "du fyllde i finns kvar" in client.get(response["Location"]).content.decode()
    client.post(reverse("login"), {"username": username, "password": PASSWORD, "next": url})
    return client.get(url).content.decode()


def test_the_planned_event_form_comes_back_filled_in_after_the_log_in(client, world):
    url = reverse("workspace:event_create")
    typed = {"title": "Trygghetsvandring vid Läggesta", "description": "Vi går runt stationen."}
    page = _send_logged_out_then_log_in(client, url, typed, "samordnare")
    assert "Trygghetsvandring vid Läggesta" in page and "Vi går runt stationen." in page
    assert not PlannedEvent.objects.exists(), "nothing is saved until the form is sent again"
    assert "Trygghetsvandring vid Läggesta" not in client.get(url).content.decode(), "kept once"


def test_a_workspace_form_comes_back_filled_in_after_the_log_in(client, world):
    url = reverse("workspace:place_create")
    page = _send_logged_out_then_log_in(client, url, {"name": "Åkers styckebruk"}, "samordnare")
    assert 'value="Åkers styckebruk"' in page
    assert not Place.objects.filter(name="Åkers styckebruk").exists()


def test_an_edit_form_comes_back_with_the_typed_text_not_the_stored(client, world):
    url = reverse("workspace:place_edit", args=[world.district.pk])
    page = _send_logged_out_then_log_in(client, url, {"name": "Mariefred centrum"}, "samordnare")
    assert 'value="Mariefred centrum"' in page
    world.district.refresh_from_db()
    assert world.district.name == "Mariefred"


@pytest.mark.parametrize("name", ["workspace:event_create", "workspace:place_create"])
def test_a_kept_form_is_never_sent_to_another_page(client, world, name):
    client.post(reverse("activities:log_activity", args=[world.count_activity.pk]), {"title": "Annat"})
    client.post(reverse("login"), {"username": "samordnare", "password": PASSWORD})
    assert "Annat" not in client.get(reverse(name)).content.decode()


# Forms shown on the report page and sent to a step's own address (staff.kept_forms.shown_on) -------------------


@pytest.fixture
def submitted(world):
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    return services.report_submit(report=report, revision=report.revision, by=world.coordinator)


def _report(world, name="report"):
    return reverse(f"followup:{name}", args=[world.promise.pk, T1.code])


def test_an_approval_sent_logged_out_comes_back_on_the_report_page_unsent(client, world, submitted):
    typed = {"revision": submitted.revision, "meeting_date": "2020-05-20"}
    response = client.post(_report(world, "report_approve"), typed)
    # Back to the report page after the log-in, never to the step's address (a GET there is a 405).
    assert response["Location"] == f"{reverse('login')}?next={_report(world)}"
    assert "du fyllde i finns kvar" in client.get(response["Location"]).content.decode()
    client.post(reverse("login"), {"username": "radsledamot", "password": PASSWORD, "next": _report(world)})
    page = client.get(_report(world))
    assert page.context["approve_form"]["meeting_date"].value() == "2020-05-20"
    assert 'value="2020-05-20"' in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted", "nothing is approved until the form is sent again"
    assert client.get(_report(world)).context["approve_form"].is_bound is False, "kept once"


def test_a_return_comment_comes_back_in_the_return_form_only(client, world, submitted):
    typed = {"revision": submitted.revision, "comment": "Komplettera med trafikkontrollerna."}
    client.post(_report(world, "report_return"), typed)
    client.post(reverse("login"), {"username": "radsledamot", "password": PASSWORD})
    page = client.get(_report(world))
    assert page.context["return_form"]["comment"].value() == "Komplettera med trafikkontrollerna."
    assert page.context["approve_form"].is_bound is False


def test_a_draft_sent_for_decision_logged_out_comes_back_as_the_draft_unsaved(client, world):
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    typed = {"revision": report.revision, "summary": "Arbetet går enligt plan i alla kommundelar."}
    response = client.post(_report(world, "report_submit"), typed)
    assert response["Location"] == f"{reverse('login')}?next={_report(world)}"
    client.post(reverse("login"), {"username": "samordnare", "password": PASSWORD})
    page = client.get(_report(world)).content.decode()
    assert "Arbetet går enligt plan i alla kommundelar." in page
    report.refresh_from_db()
    assert (report.status, report.summary) == ("draft", "")


def test_a_button_alone_sent_logged_out_keeps_nothing_but_leads_back_to_the_page(client, world):
    report = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    response = client.post(_report(world, "report_submit"), {"revision": report.revision})
    assert response["Location"] == f"{reverse('login')}?next={_report(world)}"
    assert "inget skickades" in client.get(response["Location"]).content.decode()
    client.post(reverse("login"), {"username": "samordnare", "password": PASSWORD})
    assert SESSION_KEY not in client.session
    report.refresh_from_db()
    assert report.status == "draft"
