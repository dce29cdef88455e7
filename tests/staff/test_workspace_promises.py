"""The workspace's promise pages: a coordinator drafts, edits, signs, closes, reopens and shares a promise, and
adds its focus areas and activities, without the admin; shared promises keep what the user may not change."""

import datetime

import pytest
from django.urls import reverse

from activities.models import Activity
from promises.models import FocusArea, Promise, PromiseLinkRequest
from tests.conftest import make_report
from tests.fuzz.harness import seen_by_form

pytestmark = pytest.mark.django_db


def promise_data(world, **changes):
    data = {
        "title": "Medborgarlöfte 2022",
        "slug": "",
        "year": "2022",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "municipalities": [world.strangnas.pk],
        "signatories": [world.municipal_organisation.pk, world.police_organisation.pk],
        "situation": "Oro för narkotika bland unga.",
        "pledge": "Polisen och kommunen lovar att arbeta tillsammans.",
        "expected_effects": "",
        "follow_up": "",
        "communication": "",
    }
    data.update(changes)
    return data


def activity_data(world, **changes):
    data = {
        "focus_area": "",
        "order": "1",
        "title": "Trygghetsvandringar",
        "kind": world.count_activity.kind_id,
        "description": "",
        "lead_organisation": world.municipal_organisation.pk,
        "partner_organisations": [world.police_organisation.pk],
        "target_count": "4",
        "unit": "vandringar",
        "target_places": [],
        "recurrence": "continuous",
    }
    data.update(changes)
    return data


def ws(name, *args):
    return reverse(f"workspace:{name}", args=args)


def seen(obj):
    """What the edit form carries of the object as it was shown: the version the page names in its field "seen"."""
    return seen_by_form(obj)


@pytest.fixture
def coordinator(client, world):
    client.force_login(world.coordinator)
    return client


# The start page ------------------------------------------------------------------------------------------


def test_the_workspace_lists_the_coordinators_promises_by_state(coordinator, world):
    page = coordinator.get(ws("home")).content.decode()
    assert world.promise.title in page and world.draft_promise.title in page
    assert world.foreign_promise.title not in page


@pytest.mark.parametrize("persona", ["police_recorder", "municipal_recorder", "council_member"])
def test_the_workspace_is_404_for_those_who_coordinate_nothing(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(ws("home")).status_code == 404
    assert client.get(ws("promise_create")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(ws("promise", world.promise.pk))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_outsider_gets_404_on_every_page_of_a_strangnas_promise(client, world):
    client.force_login(world.outsider)
    for url in (
        ws("promise", world.promise.pk),
        ws("promise_edit", world.promise.pk),
        ws("promise_sign", world.draft_promise.pk),
        ws("promise_close", world.promise.pk),
        ws("promise_reopen", world.promise.pk),
        ws("promise_share", world.draft_promise.pk),
        ws("focus_area_create", world.promise.pk),
        ws("focus_area_edit", world.focus_area.pk),
        ws("activity_create", world.promise.pk),
        ws("activity_edit", world.count_activity.pk),
    ):
        assert client.get(url).status_code == 404, url
        if url != ws("promise", world.promise.pk):  # the promise's own page is read only: a POST is 405
            assert client.post(url, {"title": "Kapad"}).status_code == 404, url
    world.promise.refresh_from_db()
    assert world.promise.title == "Medborgarlöfte 2020"


# Creating and editing a promise --------------------------------------------------------------------------


def test_a_coordinator_creates_a_draft_with_its_address_made_from_the_title(coordinator, world):
    response = coordinator.post(ws("promise_create"), promise_data(world))
    promise = Promise.objects.get(title="Medborgarlöfte 2022")
    assert response.url == ws("promise", promise.pk)
    assert (promise.slug, promise.status, promise.year) == ("medborgarlofte-2022", "draft", 2022)
    assert list(promise.municipalities.all()) == [world.strangnas]
    assert promise.history.get().history_user == world.coordinator


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"municipalities": []}, "municipalities", "Välj minst en kommun."),
        ({"period_end": "2021-12-31"}, "period_end", "Perioden kan inte sluta innan den börjar."),
        ({"year": "2025"}, "year", "Året måste ligga inom löftets period."),
        ({"title": ""}, "title", "Ange rubrik."),
        (
            {"slug": "strangnas-2021", "year": "2021", "period_start": "2021-01-01", "period_end": "2021-12-31"},
            "slug",
            "har redan ett löfte",
        ),
    ],
)
def test_a_refused_draft_says_why_beside_the_field_and_saves_nothing(coordinator, world, changes, field, message):
    response = coordinator.post(ws("promise_create"), promise_data(world, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert not Promise.objects.filter(title=changes.get("title", "Medborgarlöfte 2022"), year=2022).exists()


def test_a_draft_may_not_be_made_for_another_municipality(coordinator, world):
    response = coordinator.post(ws("promise_create"), promise_data(world, municipalities=[world.eskilstuna.pk]))
    assert "municipalities" in response.context["form"].errors
    assert not Promise.objects.filter(year=2022).exists()


def test_an_identity_number_in_a_text_is_refused(coordinator, world):
    response = coordinator.post(ws("promise_create"), promise_data(world, situation="Gäller 811218-9876."))
    assert "situation" in response.context["form"].errors
    assert not Promise.objects.filter(year=2022).exists()


def test_a_draft_is_edited_whole(coordinator, world):
    data = promise_data(
        world,
        title="Utkast 2021, reviderat",
        slug="strangnas-2021",
        year="2021",
        period_start="2021-01-01",
        period_end="2021-12-31",
        seen=seen(world.draft_promise),
    )
    assert coordinator.post(ws("promise_edit", world.draft_promise.pk), data).status_code == 302
    world.draft_promise.refresh_from_db()
    assert world.draft_promise.title == "Utkast 2021, reviderat"
    assert set(world.draft_promise.signatories.all()) == {world.municipal_organisation, world.police_organisation}


def test_a_signed_promise_keeps_what_was_signed(coordinator, world):
    form = coordinator.get(ws("promise_edit", world.promise.pk)).context["form"]
    assert "municipalities" not in form.fields and "year" not in form.fields and "signatories" not in form.fields
    data = {
        "title": "Medborgarlöfte 2020 (rättad)",
        "period_start": "2020-01-01",
        "period_end": "2021-03-31",
        "situation": "Rättad text.",
        "seen": seen(world.promise),
    }
    assert coordinator.post(ws("promise_edit", world.promise.pk), data).status_code == 302
    world.promise.refresh_from_db()
    assert (world.promise.title, world.promise.period_end) == (
        "Medborgarlöfte 2020 (rättad)",
        datetime.date(2021, 3, 31),
    )


def test_the_period_of_a_signed_promise_does_not_move_an_approved_tertial(coordinator, world):
    make_report(world.promise, number=1, status="approved")
    data = {"title": world.promise.title, "period_start": "2020-02-01", "period_end": "2020-12-31"}
    data["seen"] = seen(world.promise)
    response = coordinator.post(ws("promise_edit", world.promise.pk), data)
    assert response.status_code == 200
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    world.promise.refresh_from_db()
    assert world.promise.period_start == datetime.date(2020, 1, 1)


# Signing, closing, reopening ------------------------------------------------------------------------------


def test_signing_is_a_page_with_its_date_and_a_button(coordinator, world, clock):
    Activity.objects.create(
        promise=world.draft_promise,
        kind=world.count_activity.kind,
        title="Insats",
        lead_organisation=world.police_organisation,
    )
    page = coordinator.get(ws("promise_sign", world.draft_promise.pk))
    assert "Underteckna löftet" in page.content.decode()
    response = coordinator.post(ws("promise_sign", world.draft_promise.pk), {"signed_on": "2020-04-01"})
    assert response.url == ws("promise", world.draft_promise.pk)
    world.draft_promise.refresh_from_db()
    assert (world.draft_promise.status, world.draft_promise.signed_on) == ("signed", datetime.date(2020, 4, 1))


def test_a_refused_signing_says_why_and_changes_nothing(coordinator, world, clock):
    response = coordinator.post(ws("promise_sign", world.draft_promise.pk), {"signed_on": "2020-04-01"})
    assert response.status_code == 200
    assert "Lägg till minst en aktivitet" in response.content.decode()
    future = coordinator.post(ws("promise_sign", world.draft_promise.pk), {"signed_on": "2020-05-01"})
    assert "kan inte ligga i framtiden" in future.content.decode()
    world.draft_promise.refresh_from_db()
    assert world.draft_promise.status == "draft"


def test_a_promise_is_closed_and_reopened_with_a_reason(coordinator, world):
    assert coordinator.post(ws("promise_close", world.promise.pk)).status_code == 302
    world.promise.refresh_from_db()
    assert world.promise.status == "closed"
    refused = coordinator.post(ws("promise_reopen", world.promise.pk), {"reason": ""})
    assert "reason" in refused.context["form"].errors
    coordinator.post(ws("promise_reopen", world.promise.pk), {"reason": "Decemberresultaten saknas"})
    world.promise.refresh_from_db()
    assert world.promise.status == "signed"
    assert world.promise.history.first().history_change_reason == "Decemberresultaten saknas"


def test_a_reopened_promise_takes_records_again(coordinator, world, client):
    coordinator.post(ws("promise_close", world.promise.pk))
    log = reverse("activities:log_activity", args=[world.count_activity.pk])
    assert coordinator.get(log).status_code == 404
    coordinator.post(ws("promise_reopen", world.promise.pk), {"reason": "Decemberresultaten saknas"})
    assert coordinator.get(log).status_code == 200


@pytest.mark.parametrize("name", ["promise_sign", "promise_close", "promise_reopen", "promise_share"])
def test_a_step_refuses_other_methods(coordinator, world, name):
    assert coordinator.put(ws(name, world.promise.pk)).status_code == 405


# Sharing with a neighbour ---------------------------------------------------------------------------------


def test_a_neighbour_is_asked_and_answers_on_its_own_workspace(coordinator, world, client):
    coordinator.post(ws("promise_share", world.draft_promise.pk), {"municipality": world.eskilstuna.pk})
    link = PromiseLinkRequest.objects.get()
    client.force_login(world.outsider)  # Eskilstuna's coordinator
    assert world.draft_promise.title in client.get(ws("home")).content.decode()
    assert client.get(ws("promise", world.draft_promise.pk)).status_code == 404  # not theirs until they accept
    response = client.post(ws("link_request", link.pk), {"answer": "accept"})
    assert response.url == ws("promise", world.draft_promise.pk)
    assert set(world.draft_promise.municipalities.all()) == {world.strangnas, world.eskilstuna}


def test_strangnas_cannot_answer_for_eskilstuna(coordinator, world):
    link = PromiseLinkRequest.objects.create(
        promise=world.draft_promise, municipality=world.eskilstuna, requested_by=world.coordinator
    )
    assert coordinator.post(ws("link_request", link.pk), {"answer": "accept"}).status_code == 404
    assert list(world.draft_promise.municipalities.all()) == [world.strangnas]


def test_the_asking_side_withdraws_its_request(coordinator, world):
    link = PromiseLinkRequest.objects.create(
        promise=world.draft_promise, municipality=world.eskilstuna, requested_by=world.coordinator
    )
    coordinator.post(ws("link_request_withdraw", link.pk))
    link.refresh_from_db()
    assert (link.is_open, link.accepted) == (False, False)


# Focus areas and activities -------------------------------------------------------------------------------


def test_focus_areas_are_added_in_order_and_edited(coordinator, world):
    coordinator.post(ws("focus_area_create", world.promise.pk), {"title": "Trafik", "description": "", "order": "2"})
    area = FocusArea.objects.get(title="Trafik")
    assert area.promise == world.promise
    taken = coordinator.post(ws("focus_area_edit", area.pk), {"title": "narkotika bland unga", "order": "2"})
    assert "title" in taken.context["form"].errors
    coordinator.post(ws("focus_area_edit", area.pk), {"title": "Trafiksäkerhet", "order": "1"})
    area.refresh_from_db()
    assert (area.title, area.order) == ("Trafiksäkerhet", 1)


def test_a_coordinator_adds_an_activity_with_places_of_the_promise(coordinator, world):
    data = activity_data(world, target_places=[world.district.pk, world.second_district.pk], target_count="")
    assert coordinator.post(ws("activity_create", world.promise.pk), data).status_code == 302
    activity = Activity.objects.get(title="Trygghetsvandringar")
    assert set(activity.target_places.all()) == {world.district, world.second_district}
    form = coordinator.get(ws("activity_create", world.promise.pk)).context["form"]
    offered = [str(choice[1]) for choice in form.fields["target_places"].choices]
    assert "Mariefred (Strängnäs)" in offered and not any("Torshälla" in label for label in offered)


def test_an_activity_takes_no_place_or_organisation_outside_the_coordinators_scope(coordinator, world):
    for changes in (
        {"target_places": [world.foreign_place.pk]},
        {"lead_organisation": world.foreign_police_organisation.pk},
    ):
        response = coordinator.post(ws("activity_create", world.promise.pk), activity_data(world, **changes))
        assert response.status_code == 200
        assert not Activity.objects.filter(title="Trygghetsvandringar").exists()


def test_an_approved_tertial_locks_the_target_in_the_workspace_until_returned(coordinator, world):
    report = make_report(world.promise, number=1, status="approved")
    data = activity_data(
        world,
        title=world.count_activity.title,
        lead_organisation=world.police_organisation.pk,
        partner_organisations=[],
        target_count="5",
        unit="insatser",
        seen=seen(world.count_activity),
    )
    response = coordinator.post(ws("activity_edit", world.count_activity.pk), data)
    assert response.status_code == 200
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    world.count_activity.refresh_from_db()
    assert world.count_activity.target_count == 2
    report.status, report.approved_at, report.meeting_date = "draft", None, None
    report.save()
    assert coordinator.post(ws("activity_edit", world.count_activity.pk), data).status_code == 302
    world.count_activity.refresh_from_db()
    assert world.count_activity.target_count == 5


def test_an_approved_tertial_locks_the_target_places_in_the_workspace(coordinator, world):
    make_report(world.promise, number=1, status="approved")
    activity = world.places_activity
    data = activity_data(
        world,
        title=activity.title,
        lead_organisation=world.police_organisation.pk,
        partner_organisations=[],
        target_count="",
        unit="",
        target_places=[world.district.pk],
        seen=seen(activity),
    )
    response = coordinator.post(ws("activity_edit", activity.pk), data)
    assert "Uppföljningen av T1 2020 är godkänd" in response.content.decode()
    assert set(activity.target_places.all()) == {world.district, world.second_district}


# Shared promises ------------------------------------------------------------------------------------------


@pytest.fixture
def tjorn(client, shared):
    client.force_login(shared.tjorn_coordinator)
    return client


def shared_activity_data(shared, **changes):
    activity = shared.stenungsund_activity
    data = {
        "focus_area": "",
        "order": "0",
        "title": activity.title,
        "kind": activity.kind_id,
        "description": "",
        "target_count": "6",
        "unit": "vandringar",
        "recurrence": activity.recurrence,
        # What the page shows a Tjörn coordinator: the police area, which serves Tjörn too, ticked; Stenungsund's
        # place is not offered.
        "partner_organisations": [shared.police_organisation.pk],
        "target_places": [shared.tjorn_place.pk],
        "seen": seen(activity),
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_a_shared_activity_keeps_its_links_outside_the_users_scope(tjorn, shared, changed):
    activity = shared.stenungsund_activity
    page = tjorn.get(ws("activity_edit", activity.pk))
    content = page.content.decode()
    # Shown, by name, so the coordinator knows the activity is shared.
    assert "Stenungsunds centrum" in content and "Polisen Södra Bohuslän" in content
    assert page.context["form"].fields["lead_organisation"].disabled
    data = shared_activity_data(
        shared, title="Trygghetsvandringar i hela Södra Bohuslän" if changed else activity.title
    )
    assert tjorn.post(ws("activity_edit", activity.pk), data).status_code == 302
    activity.refresh_from_db()
    assert activity.lead_organisation == shared.stenungsund_organisation
    assert set(activity.partner_organisations.all()) == {shared.police_organisation}
    assert set(activity.target_places.all()) == {shared.stenungsund_place, shared.tjorn_place}
    assert activity.title == ("Trygghetsvandringar i hela Södra Bohuslän" if changed else "Trygghetsvandringar")
    if changed:
        entry = activity.history.first()
        assert (entry.history_user, entry.title) == (shared.tjorn_coordinator, activity.title)


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_a_shared_promise_keeps_its_other_municipalities_and_signatories(tjorn, shared, changed):
    promise = shared.promise
    promise.status, promise.signed_on = Promise.Status.DRAFT, None
    promise.save()
    content = tjorn.get(ws("promise_edit", promise.pk)).content.decode()
    assert "Stenungsund" in content and "Orust" in content
    data = {
        "title": promise.title + (" (reviderat)" if changed else ""),
        "slug": promise.slug,
        "year": "2020",
        "period_start": "2020-01-01",
        "period_end": "2020-12-31",
        "municipalities": [shared.tjorn.pk],
        "signatories": [shared.tjorn_organisation.pk, shared.police_organisation.pk],
        "situation": promise.situation,
        "pledge": promise.pledge,
        "seen": seen(promise),
    }
    assert tjorn.post(ws("promise_edit", promise.pk), data).status_code == 302
    promise.refresh_from_db()
    assert set(promise.municipalities.all()) == {shared.stenungsund, shared.orust, shared.tjorn}
    assert set(promise.signatories.all()) == {
        shared.stenungsund_organisation,
        shared.tjorn_organisation,
        shared.police_organisation,
    }
    assert promise.title.endswith(" (reviderat)") == changed


def test_a_stale_form_is_refused_rather_than_overwriting(coordinator, world, client):
    """Two coordinators open the same activity; the second to save is told, and nothing of theirs is saved."""
    shown = seen(world.count_activity)
    first = activity_data(
        world,
        title="Planlagda insatser mot narkotika",
        lead_organisation=world.police_organisation.pk,
        partner_organisations=[],
        target_count="2",
        unit="insatser",
        seen=shown,
    )
    assert coordinator.post(ws("activity_edit", world.count_activity.pk), first).status_code == 302
    second = {**first, "title": "Insatser", "seen": shown}
    response = coordinator.post(ws("activity_edit", world.count_activity.pk), second)
    assert response.status_code == 200
    assert "Någon annan ändrade det här" in response.content.decode()
    world.count_activity.refresh_from_db()
    assert world.count_activity.title == "Planlagda insatser mot narkotika"
