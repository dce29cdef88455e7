"""No identity number through any form, and no text beyond its bound: as staff, administrators and imports post.

The field walk (tests/promises/test_guarded_fields.py) proves each model field carries the guard; these tests prove
the pages really use it: the workspace, the admin and the log form refuse, and the public page and the API of the
2020 promise never show the number.
"""

import uuid

import pytest
from django.urls import reverse

from activities.models import ActivityKind, ActivityRecord
from followup import services
from followup.models import Council, TertialReport
from promises.models import Organisation, Place
from tests.promises.test_admin import activity_form
from tests.staff.test_reports import T1, report_form, url
from tests.staff.test_workspace_promises import activity_data, ws

pytestmark = pytest.mark.django_db

SPELLED = "811218\u20139876"  # en dash: once saved, and shown on the public page as "minst 2 811218–9876"
REFUSED = "Ta bort person- eller samordningsnumret"
TOO_LONG = "Texten är för lång: högst"


def assert_nowhere_public(client, world):
    client.logout()
    page = client.get(f"/{world.strangnas.slug}/2020/")
    api = client.get("/api/v1/activities/", {"format": "json"})
    for response in (page, api):
        assert response.status_code == 200
        body = response.content.decode()
        assert "9876" not in body and SPELLED not in body


def test_the_workspace_refuses_an_activity_unit_holding_an_identity_number(client, world):
    client.force_login(world.coordinator)
    response = client.post(ws("activity_create", world.promise.pk), activity_data(world, unit=f"minst {SPELLED}"))
    assert response.status_code == 200
    assert REFUSED in " ".join(response.context["form"].errors["unit"])
    assert REFUSED in response.content.decode()
    assert not world.promise.activities.filter(title="Trygghetsvandringar").exists()
    assert_nowhere_public(client, world)


def test_the_admin_refuses_an_activity_unit_holding_an_identity_number(client, world):
    client.force_login(world.administrator)
    url = f"/admin/activities/activity/{world.count_activity.pk}/change/"
    response = client.post(url, activity_form(world, unit=SPELLED))
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    world.count_activity.refresh_from_db()
    assert world.count_activity.unit == "insatser"
    assert_nowhere_public(client, world)


@pytest.mark.parametrize(
    ("path", "data", "model"),
    [
        pytest.param("promises/place", {"name": SPELLED, "kind": "district", "parent": ""}, Place, id="place"),
        pytest.param("promises/organisation", {"name": SPELLED, "kind": "other"}, Organisation, id="organisation"),
        pytest.param(
            "activities/activitykind",
            {"name": "Hembesök", "slug": "811218-9876", "description": f"Hos {SPELLED}"},
            ActivityKind,
            id="activity-kind",
        ),
        pytest.param("followup/council", {"name": f"Rådet {SPELLED}"}, Council, id="council"),
    ],
)
def test_the_admin_refuses_names_holding_an_identity_number(client, world, path, data, model):
    client.force_login(world.administrator)
    before = model.objects.count()
    if "kind" in data and model is Place:
        data = {**data, "municipality": world.strangnas.pk}
    if model in (Organisation, Council):
        data = {**data, "municipalities": [world.strangnas.pk]}
    response = client.post(f"/admin/{path}/add/", data)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert model.objects.count() == before


def test_a_summary_of_a_million_characters_is_refused_by_the_log_form_and_nothing_is_saved(client, world):
    client.force_login(world.police_recorder)
    data = {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": "1",
        "place": world.district.pk,
        "place_text": "",
        "participating_organisations": [world.police_organisation.pk],
        "summary": "a" * 1_000_000,
        "submission_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("activities:log_activity", args=[world.count_activity.pk]), data)
    assert response.status_code == 200
    message = "Texten är för lång: högst 4000 tecken (den har 1000000)."
    assert response.context["form"].errors["summary"] == [message]
    page = response.content.decode()
    assert message in page
    assert 'maxlength="4000"' in page
    assert not ActivityRecord.objects.exists()


def test_a_report_summary_of_a_million_characters_is_refused_and_nothing_is_saved(client, world):
    draft = services.report_create(promise=world.promise, tertial=T1, by=world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(url(world), report_form(draft, summary="a" * 1_000_000))
    assert response.status_code == 200
    assert TOO_LONG in " ".join(response.context["form"].errors["summary"])
    assert TOO_LONG in response.content.decode()
    draft.refresh_from_db()
    assert (draft.summary, draft.revision) == ("", 1)
    assert not TertialReport.objects.exclude(summary="").exists()
