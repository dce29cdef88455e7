"""Every workspace address against every persona: who gets the page, who gets 404, who is sent to log in.

Personas are the world's, a coordinator of Tjörn alone (one municipality of the shared promise of Stenungsund,
Orust and Tjörn) and an anonymous visitor. Rows are addresses, columns the personas in the order of PERSONAS.
"""

import pytest
from django.urls import reverse

from promises.models import PromiseLinkRequest

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
    "home": (404, 404, 200, 404, 200, 200, 200, LOGIN),
    "promise_create": (404, 404, 200, 404, 200, 200, 200, LOGIN),
    "promise": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "promise_edit": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "promise_sign": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "promise_close": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "promise_reopen": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "promise_share": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "focus_area_create": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "focus_area_edit": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "activity_create": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    "activity_edit": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    # A request to Eskilstuna is answered by Eskilstuna's coordinator (the outsider) and withdrawn by Strängnäs's.
    "link_request": (404, 404, 404, 404, 200, 200, 404, LOGIN),
    "link_request_withdraw": (404, 404, 200, 404, 404, 200, 404, LOGIN),
    # The shared promise: each of its municipalities' coordinators works on it.
    "shared promise": (404, 404, 404, 404, 404, 200, 200, LOGIN),
    "shared activity": (404, 404, 404, 404, 404, 200, 200, LOGIN),
}


def url_for(name, world, shared, link):
    args = {
        "home": [],
        "promise_create": [],
        "promise": [world.promise.pk],
        "promise_edit": [world.promise.pk],
        "promise_sign": [world.draft_promise.pk],
        "promise_close": [world.promise.pk],
        "promise_reopen": [world.promise.pk],
        "promise_share": [world.draft_promise.pk],
        "focus_area_create": [world.promise.pk],
        "focus_area_edit": [world.focus_area.pk],
        "activity_create": [world.promise.pk],
        "activity_edit": [world.count_activity.pk],
        "link_request": [link.pk],
        "link_request_withdraw": [link.pk],
    }
    if name == "shared promise":
        return reverse("workspace:promise_edit", args=[shared.promise.pk])
    if name == "shared activity":
        return reverse("workspace:activity_edit", args=[shared.stenungsund_activity.pk])
    return reverse(f"workspace:{name}", args=args[name])


CASES = [
    pytest.param(name, persona, expected, id=f"{name}-{persona or 'anonymous'}")
    for name, row in MATRIX.items()
    for persona, expected in zip(PERSONAS, row, strict=True)
]


@pytest.mark.parametrize(("name", "persona", "expected"), CASES)
def test_the_workspace_permission_matrix(client, world, shared, name, persona, expected):
    link = PromiseLinkRequest.objects.create(
        promise=world.draft_promise, municipality=world.eskilstuna, requested_by=world.coordinator
    )
    if persona == "tjorn_coordinator":
        client.force_login(shared.tjorn_coordinator)
    elif persona:
        client.force_login(getattr(world, persona))
    response = client.get(url_for(name, world, shared, link))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected
