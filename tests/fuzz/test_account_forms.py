"""The account forms (issue 16), fuzzed: log-in, password reset, password change and the second factor's code.

Never a 5xx; a wrong log-in never logs in; a reset sends mail only to an account's own address, and says the same
whatever was typed; a password changes only for the person logged in, and only with their current password.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.fuzz.harness import build_scene, is_local_redirect, isolated
from tests.fuzz.strategies import (
    OMIT,
    any_text,
    free_text,
    fuzz_settings,
    maybe_omitted,
    mutated,
    next_urls,
    personas,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-long-passphrase"
ADDRESSES = {"police_recorder": "polis.recorder@polisen.se", "coordinator": "samordnare@strangnas.se"}


@pytest.fixture
def scene(world):
    for persona, address in ADDRESSES.items():
        user = getattr(world, persona)
        user.email = address
        user.save()
    return build_scene(world)


texts = st.one_of(free_text, any_text, st.sampled_from(("polis", "samordnare", PASSWORD, "", " polis ")))


@fuzz_settings(60)
@given(
    form=mutated({"username": "polis", "password": "wrong-password"}, {"username": texts, "password": texts}),
    next_url=maybe_omitted(next_urls),
)
def test_the_log_in_form(scene, form, next_url):
    if next_url is not OMIT:
        form = {**form, "next": next_url}
    with isolated(scene, None) as visit:
        response = visit.post("/logga-in/", form, REMOTE_ADDR="192.0.2.10")
        assert is_local_redirect(response), response.get("Location")
        correct = form.get("username", "").strip() == "polis" and form.get("password") == PASSWORD
        if not correct:
            assert "_auth_user_id" not in visit.client.session


@fuzz_settings(60)
@given(
    email=st.one_of(texts, st.sampled_from((*ADDRESSES.values(), "POLIS.RECORDER@polisen.se", "x@y.se"))),
    persona=personas,
)
def test_the_password_reset_form(scene, email, persona):
    mail.outbox.clear()
    with isolated(scene, persona) as visit:
        response = visit.post("/konto/password/reset/", {"email": email})
        known = email.strip().lower() in ADDRESSES.values()
        if response.status_code == 302:
            assert response["Location"] == "/konto/password/reset/done/"
        for message in mail.outbox:
            assert known and message.to == [email.strip().lower()], (email, message.to)
        visit.assert_nothing_changed("a reset request changes no row")


@fuzz_settings(60)
@given(
    persona=personas,
    form=mutated(
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        {"oldpassword": texts, "password1": texts, "password2": texts},
    ),
)
def test_the_password_change_form(scene, persona, form):
    users = get_user_model().objects
    before = dict(users.values_list("pk", "password"))
    with isolated(scene, persona) as visit:
        response = visit.post("/konto/password/change/", form)
        after = dict(users.values_list("pk", "password"))
        changed = {pk for pk in before if before[pk] != after[pk]}
        if persona is None:
            assert response.status_code == 302 and not changed
        elif changed:
            assert changed == {visit.user.pk}
            assert form.get("oldpassword") == PASSWORD
            assert users.get(pk=visit.user.pk).check_password(form["password1"])


@fuzz_settings(40)
@given(code=texts, persona=personas)
def test_the_second_factor_code_forms(scene, code, persona):
    with isolated(scene, persona) as visit:
        for url in ("/konto/2fa/authenticate/", "/konto/2fa/totp/activate/", "/konto/2fa/reauthenticate/"):
            response = visit.post(url, {"code": code})
            assert is_local_redirect(response)
        visit.assert_nothing_changed("a code typed at random turns nothing on")
