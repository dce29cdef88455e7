"""The API's errors speak the portal's words in the request's language, and no answer names the application server."""

import time

import pytest
import requests
from django.core.cache import cache

from ops import harness
from tests.api import make_published_report
from tests.conftest import make_report

API = "/api/v1"
INTERNAL_NAMES = ["TertialReport", "Publication", "Promise ", "Activity ", "PlannedEvent", "Municipality", "matches"]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _missing(world):
    hidden = make_report(world.promise, number=2, status="approved")
    return [
        f"{API}/reports/{hidden.pk}/",
        f"{API}/reports/99999999/",
        f"{API}/promises/{world.draft_promise.pk}/",
        f"{API}/promises/999999/",
        f"{API}/activities/999999/",
        f"{API}/municipalities/no-such-place/",
        f"{API}/events/00000000-0000-0000-0000-000000000000/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("sv", "Hittades inte."), ("en", "Not found.")])
def test_a_missing_object_is_not_found_in_the_requests_language_without_naming_a_model(client, world, language, words):
    make_published_report(world.promise, approved_by=world.council_member)
    for url in _missing(world):
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 404, url
        assert response.json() == {"detail": words}, url
        for name in INTERNAL_NAMES:
            assert name not in response.content.decode(), (url, name)


@pytest.mark.django_db
def test_swedish_is_the_default_when_the_request_names_no_language(client, world):
    response = client.get(f"{API}/promises/999999/")
    assert response.json() == {"detail": "Hittades inte."}


def test_gunicorn_answers_without_a_server_header(tmp_path):
    """gunicorn started as production starts it, in the project folder, where it reads gunicorn.conf.py."""
    port = harness.free_port()
    # Production settings but the test settings' static files, as the outage drill runs them: the manifest storage
    # would need a collectstatic. The health check needs nothing but a database to answer "ok".
    environment = harness.production_environment(
        DJANGO_SETTINGS_MODULE="config.settings_test", DATABASE_URL=f"sqlite:///{tmp_path / 'health.sqlite3'}"
    )
    server = harness.start_gunicorn(environment, port, 1, tmp_path / "gunicorn.log")
    try:
        deadline = time.monotonic() + 60
        response = None
        while response is None and time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                response = requests.get(f"http://127.0.0.1:{port}/health/", timeout=10)
            except requests.RequestException:
                time.sleep(0.2)
        assert response is not None, (tmp_path / "gunicorn.log").read_text()
        assert response.status_code == 200, response.text  # the portal's own answer, through gunicorn's
        assert "Server" not in response.headers
        assert "gunicorn" not in str(response.headers).lower()
    finally:
        harness.stop_gunicorn(server)
