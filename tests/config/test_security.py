"""Production settings, security headers, the Content Security Policy and the error pages."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def production_env(**changes):
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this process; no server runs with it.
    unset = ("DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="medborgarloften.example.se",
        DATABASE_URL="sqlite:////tmp/portal-deploy-check.sqlite3",
        EMAIL_URL="smtp+tls://portal:not-a-secret@smtp.example.se:587",
    )
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_a_mail_server():
    # Invitations are e-mailed: production must say where mail goes (EMAIL_URL), or they would go to a console.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(EMAIL_URL=None))
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_runs_without_a_secret_key():
    result = manage("check", env=production_env(SECRET_KEY=None, DEBUG="true"))
    assert result.returncode == 0, result.stderr


def cache_settings(**changes):
    code = "from django.conf import settings; c = settings.CACHES['default']; print(c['KEY_PREFIX'], c.get('OPTIONS'))"
    result = manage("shell", "-c", code, env=production_env(**changes))
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_cache_keys_carry_the_release_and_the_local_cache_holds_a_years_figures():
    assert cache_settings(RELEASE="v1.4.0") == "v1.4.0 {'MAX_ENTRIES': 1000}"
    # A shared cache keeps its own options; the release still leads every key.
    assert cache_settings(RELEASE="v1.5.0", CACHE_URL="redis://127.0.0.1:6379/0").startswith("v1.5.0 ")


def page_urls(world):
    from tests.conftest import make_record

    record = make_record(
        world.count_activity, by=world.police_recorder, occurred_on=__import__("datetime").date(2020, 3, 1)
    )
    return [
        (None, reverse("home")),
        (None, reverse("login")),
        ("police_recorder", reverse("activities:mine")),
        ("police_recorder", reverse("activities:log_activity", args=[world.count_activity.pk])),
        ("police_recorder", reverse("activities:records")),
        ("police_recorder", reverse("activities:record", args=[record.pk])),
        ("police_recorder", reverse("activities:void", args=[record.pk])),
        ("coordinator", reverse("followup:dashboard", args=[world.promise.pk])),
        ("coordinator", reverse("followup:overview", args=[world.strangnas.slug])),
        ("coordinator", reverse("followup:report", args=[world.promise.pk, "2020T1"])),
        ("coordinator", reverse("followup:indicators", args=[world.promise.pk])),
        ("coordinator", "/admin/"),
        ("coordinator", "/admin/activities/activityrecord/"),
        (None, "/finns-inte/"),
    ]


def test_every_page_type_sends_an_enforced_content_security_policy(client, world):
    for persona, url in page_urls(world):
        if persona:
            client.force_login(getattr(world, persona))
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives.get("default-src") == "'self'", url
        assert directives.get("frame-ancestors") == "'none'", url
        assert directives.get("form-action") == "'self'", url
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url
        assert "Content-Security-Policy-Report-Only" not in response.headers, url


def test_pages_send_the_browser_protections(client, world):
    response = client.get(reverse("home"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_404_page_is_swedish_and_in_the_portals_look(client, world):
    response = client.get("/finns-inte/sida/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Sidan hittades inte</h1>" in page
    assert "css/portal.css" in page


@pytest.mark.urls("tests.config.urls_failing")
def test_a_bug_gives_the_swedish_500_page_and_never_a_traceback(client, world):
    client.raise_request_exception = False
    response = client.get("/fel/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel" in page
    assert "Traceback" not in page and "RuntimeError" not in page


def test_a_bad_host_gives_the_400_page(client, world):
    response = client.get(reverse("home"), headers={"host": "evil.example.org"})
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


def test_a_forbidden_step_gives_the_403_page(client, world):
    client.force_login(world.council_member)
    response = client.post(reverse("followup:indicators", args=[world.promise.pk]), {"name": "Inbrott"})
    assert response.status_code == 403
    assert "Inte tillåtet" in response.content.decode()


def test_a_stale_form_gives_the_swedish_csrf_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "polis", "password": "x"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [("get", "/", {"q": "Str\x00ngnäs"}), ("post", "/logga-in/", {"username": "po\x00lis", "password": "x"})],
)
def test_a_nul_character_is_refused_with_400(client, world, method, url, data):
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "Felaktig begäran" in response.content.decode()


def test_a_long_void_reason_is_kept_whole_and_history_gets_its_start(client, world):
    import datetime

    from tests.conftest import make_record

    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 1))
    client.force_login(world.police_recorder)
    reason = "Registrerad två gånger. " * 20
    client.post(reverse("activities:void", args=[record.pk]), {"reason": reason})
    record.refresh_from_db()
    assert record.void_reason == reason.strip()
    assert len(record.history.first().history_change_reason) == 100
