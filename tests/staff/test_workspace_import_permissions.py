"""Every import address against every persona, as test_workspace_permissions.py does for the rest of the workspace:
who gets the page (or the file), who gets 404, who is sent to log in; for a GET and for a POST alike."""

import pytest
from django.urls import reverse

from promises.models import Promise

pytestmark = pytest.mark.django_db

PERSONAS = [
    "police_recorder",
    "municipal_recorder",
    "coordinator",
    "council_member",
    "outsider",
    "administrator",
    "tjorn_coordinator",
    None,
]
LOGIN = "login"

MATRIX = {
    # (police, municipal, coordinator, council, outsider, administrator, tjörn, anonymous)
    "promise_import": (404, 404, 200, 404, 200, 200, 200, LOGIN),
    "promise_template": (404, 404, 200, 404, 200, 200, 200, LOGIN),
    "promise_paste": (404, 404, 200, 404, 200, 200, 200, LOGIN),
    "promise_export": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "records_import": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "records_template": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    # The shared promise: each of its municipalities' coordinators may export it and import its records.
    "shared export": (404, 404, 404, 404, 404, 200, 200, LOGIN),
    "shared records": (404, 404, 404, 404, 404, 200, 200, LOGIN),
}
POSTS = {"promise_import", "promise_paste", "records_import", "shared records"}


def url_for(name, world, shared):
    if name == "shared export":
        return reverse("workspace:promise_export", args=[shared.promise.pk])
    if name == "shared records":
        return reverse("workspace:records_import", args=[shared.promise.pk])
    if name in ("promise_export", "records_import", "records_template"):
        return reverse(f"workspace:{name}", args=[world.promise.pk])
    return reverse(f"workspace:{name}")


def log_in(client, world, shared, persona):
    if persona == "tjorn_coordinator":
        client.force_login(shared.tjorn_coordinator)
    elif persona:
        client.force_login(getattr(world, persona))


CASES = [
    pytest.param(name, persona, expected, id=f"{name}-{persona or 'anonymous'}")
    for name, row in MATRIX.items()
    for persona, expected in zip(PERSONAS, row, strict=True)
]


def assert_answer(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(("name", "persona", "expected"), CASES)
def test_the_import_permission_matrix(client, world, shared, name, persona, expected):
    log_in(client, world, shared, persona)
    assert_answer(client.get(url_for(name, world, shared)), expected)


@pytest.mark.parametrize(("name", "persona", "expected"), [case for case in CASES if case.values[0] in POSTS])
def test_a_post_meets_the_same_matrix_and_changes_nothing(client, world, shared, name, persona, expected):
    log_in(client, world, shared, persona)
    before = Promise.objects.count()
    assert_answer(client.post(url_for(name, world, shared), {}), expected)
    assert Promise.objects.count() == before


@pytest.mark.parametrize("name", ["promise_template", "promise_export", "records_template"])
def test_the_downloads_refuse_a_post(client, world, shared, name):
    client.force_login(world.coordinator)
    assert client.post(url_for(name, world, shared)).status_code == 405
