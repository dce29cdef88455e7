"""The coordinator workspace's forms, fuzzed as every persona: never a 5xx, never a row that breaks a rule.

As in test_forms.py, each test starts from a valid form and lets Hypothesis replace or drop a few fields; the
harness checks every response and every rule after each request (tests/fuzz/harness.py), including the rules of
issue 12: nobody gives themselves a role or one not theirs to give, four eyes on approval, nothing an approved
report judged changes, and what a request changes lies in its user's municipalities.
"""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import build_scene, isolated, seen_by_form
from tests.fuzz.strategies import (
    date_strings,
    free_text,
    fuzz_settings,
    id_lists,
    ids,
    mutated,
    number_strings,
    personas,
)

pytestmark = pytest.mark.django_db

STRANGNAS_COORDINATORS = {"coordinator", "administrator"}
FOREIGN_COORDINATORS = {"outsider", "administrator"}
COORDINATORS = {"coordinator", "outsider", "administrator"}


@pytest.fixture
def scene(world):
    return build_scene(world)


def latest_entry(obj):
    return seen_by_form(obj)


def mostly(allowed):
    return st.one_of(st.sampled_from(sorted(allowed)), personas)


def promise_fields(world):
    return {
        "title": free_text,
        "slug": st.one_of(free_text, st.sampled_from(("strangnas-2021", "strangnas-2020", "x" * 101))),
        "year": number_strings,
        "period_start": date_strings(),
        "period_end": date_strings(),
        "municipalities": id_lists([world.strangnas.pk], [world.eskilstuna.pk]),
        "signatories": id_lists(
            [world.police_organisation.pk, world.municipal_organisation.pk], [world.foreign_police_organisation.pk]
        ),
        "situation": free_text,
        "pledge": free_text,
        "expected_effects": free_text,
        "follow_up": free_text,
        "communication": free_text,
    }


def promise_base(world):
    return {
        "title": "Medborgarlöfte 2022",
        "slug": "",
        "year": "2022",
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "municipalities": [world.strangnas.pk],
        "signatories": [world.municipal_organisation.pk],
        "situation": "Oro för narkotika bland unga.",
        "pledge": "Vi lovar att arbeta tillsammans.",
    }


@fuzz_settings(40)
@given(data=st.data())
def test_the_new_promise_form(scene, data):
    world = scene.world
    persona = data.draw(mostly(COORDINATORS), label="persona")
    form = data.draw(mutated(promise_base(world), promise_fields(world)), label="form")
    with isolated(scene, persona) as visit:
        response = visit.post(reverse("workspace:promise_create"), form)
        if persona not in COORDINATORS:
            visit.assert_refused(response, f"{persona} may not create promises")


@fuzz_settings(40)
@given(which=st.sampled_from(("promise", "draft_promise", "foreign_promise")), data=st.data())
def test_the_promise_edit_form(scene, which, data):
    world = scene.world
    coordinators = FOREIGN_COORDINATORS if which == "foreign_promise" else STRANGNAS_COORDINATORS
    persona = data.draw(mostly(coordinators), label="persona")
    promise = getattr(world, which)
    base = {**promise_base(world), "title": promise.title, "slug": promise.slug, "year": str(promise.year)}
    base["seen"] = latest_entry(promise)
    base.update(period_start=promise.period_start.isoformat(), period_end=promise.period_end.isoformat())
    form = data.draw(mutated(base, promise_fields(world)), label="form")
    with isolated(scene, persona) as visit:
        response = visit.post(reverse("workspace:promise_edit", args=[promise.pk]), form)
        if persona not in coordinators:
            visit.assert_refused(response, f"{persona} may not edit {which}")


def activity_fields(world):
    return {
        "focus_area": ids([world.focus_area.pk]),
        "order": number_strings,
        "title": free_text,
        "kind": ids([world.count_activity.kind_id]),
        "description": free_text,
        "lead_organisation": ids(
            [world.police_organisation.pk, world.municipal_organisation.pk], [world.foreign_police_organisation.pk]
        ),
        "partner_organisations": id_lists([world.police_organisation.pk], [world.foreign_police_organisation.pk]),
        "target_count": number_strings,
        "unit": free_text,
        "target_places": id_lists([world.district.pk, world.second_district.pk], [world.foreign_place.pk]),
        "recurrence": st.one_of(st.sampled_from(("once", "continuous")), free_text),
    }


@fuzz_settings(40)
@given(which=st.sampled_from(("count_activity", "places_activity", "foreign_activity", None)), data=st.data())
def test_the_activity_form(scene, which, data):
    """Editing an activity (the world's first tertial is published, so targets are locked) or adding one."""
    world = scene.world
    coordinators = FOREIGN_COORDINATORS if which == "foreign_activity" else STRANGNAS_COORDINATORS
    persona = data.draw(mostly(coordinators), label="persona")
    base = {
        "focus_area": world.focus_area.pk,
        "order": "3",
        "title": "Trygghetsvandringar",
        "kind": world.count_activity.kind_id,
        "lead_organisation": world.municipal_organisation.pk,
        "target_count": "4",
        "unit": "vandringar",
        "recurrence": "continuous",
    }
    form = data.draw(mutated(base, activity_fields(world)), label="form")
    if which is None:
        url = reverse("workspace:activity_create", args=[world.promise.pk])
    else:
        url = reverse("workspace:activity_edit", args=[getattr(world, which).pk])
        form.setdefault("seen", latest_entry(getattr(world, which)))
    with isolated(scene, persona) as visit:
        response = visit.post(url, form)
        if persona not in coordinators:
            visit.assert_refused(response, f"{persona} may not change {which or 'the activities'}")


@fuzz_settings(30)
@given(data=st.data())
def test_the_focus_area_form(scene, data):
    world = scene.world
    persona = data.draw(mostly(STRANGNAS_COORDINATORS), label="persona")
    base = {"title": "Trafik", "description": "", "order": "2"}
    fields = {"title": free_text, "description": free_text, "order": number_strings}
    form = data.draw(mutated(base, fields), label="form")
    edit = data.draw(st.booleans(), label="edit")
    if edit:
        url = reverse("workspace:focus_area_edit", args=[world.focus_area.pk])
    else:
        url = reverse("workspace:focus_area_create", args=[world.promise.pk])
    with isolated(scene, persona) as visit:
        response = visit.post(url, form)
        if persona not in STRANGNAS_COORDINATORS:
            visit.assert_refused(response, f"{persona} may not change focus areas")


@fuzz_settings(40)
@given(
    step=st.sampled_from(("promise_sign", "promise_close", "promise_reopen", "promise_share")),
    which=st.sampled_from(("promise", "draft_promise", "foreign_promise")),
    data=st.data(),
)
def test_the_promise_steps(scene, step, which, data):
    world = scene.world
    coordinators = FOREIGN_COORDINATORS if which == "foreign_promise" else STRANGNAS_COORDINATORS
    persona = data.draw(mostly(coordinators), label="persona")
    form = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "signed_on": date_strings(),
                "reason": free_text,
                "municipality": ids([world.eskilstuna.pk], [world.strangnas.pk]),
            },
        ),
        label="form",
    )
    with isolated(scene, persona) as visit:
        response = visit.post(reverse(f"workspace:{step}", args=[getattr(world, which).pk]), form)
        if persona not in coordinators:
            visit.assert_refused(response, f"{persona} may not take the step {step} on {which}")


@fuzz_settings(30)
@given(answer=st.one_of(st.sampled_from(("accept", "decline")), free_text), data=st.data())
def test_answering_a_request_to_share(scene, answer, data):
    """Strängnäs asks Eskilstuna to make its draft together: only Eskilstuna's coordinator (or an administrator)
    answers, and Strängnäs's coordinator may withdraw."""
    link = scene.link_request
    withdraw = data.draw(st.booleans(), label="withdraw")
    allowed = STRANGNAS_COORDINATORS if withdraw else FOREIGN_COORDINATORS
    persona = data.draw(mostly(allowed), label="persona")
    name = "workspace:link_request_withdraw" if withdraw else "workspace:link_request"
    with isolated(scene, persona) as visit:
        response = visit.post(reverse(name, args=[link.pk]), {"answer": answer})
        if persona not in allowed:
            visit.assert_refused(response, f"{persona} may not answer or withdraw the request")


@fuzz_settings(40)
@given(data=st.data())
def test_the_identity_provider_form(scene, data):
    """Registering an organisation's identity provider (issue 16): an administrator's alone, never a 5xx, and never a
    provider for an organisation outside the municipality."""
    from promises.models import IdentityProvider

    world = scene.world
    persona = data.draw(mostly({"administrator"}), label="persona")
    base = {
        "organisation": world.municipal_organisation.pk,
        "name": "Strängnäs kommun",
        "slug": "",
        "issuer": "https://login.strangnas.se",
        "client_id": "medborgarloften",
        "secret_variable": "OIDC_STRANGNAS_SECRET",
        "allowed_domains": "strangnas.se",
    }
    fields = {
        "organisation": ids(
            [world.municipal_organisation.pk, world.police_organisation.pk], [world.foreign_police_organisation.pk]
        ),
        "name": free_text,
        "slug": st.one_of(free_text, st.sampled_from(("strangnas-kommun", "x" * 51))),
        "issuer": st.one_of(free_text, st.sampled_from(("http://127.0.0.1:9/o", "javascript:alert(1)"))),
        "client_id": free_text,
        "secret_variable": st.one_of(free_text, st.sampled_from(("A", "a_b", "A" * 101))),
        "allowed_domains": st.one_of(free_text, st.sampled_from(("@x.se, y.se", "x", ".se", "a..se"))),
    }
    form = data.draw(mutated(base, fields), label="form")
    with isolated(scene, persona) as visit:
        url = reverse("workspace:identity_provider_create", args=[world.strangnas.slug])
        response = visit.post(url, form)
        if persona != "administrator":
            visit.assert_refused(response, f"{persona} may not register identity providers")
        for provider in IdentityProvider.objects.select_related("organisation"):
            assert world.strangnas in provider.organisation.municipalities.all(), provider
            assert provider.issuer.startswith(("http://", "https://")), provider.issuer
