"""The health check and the 503 page (DESIGN §8), with the database's failures simulated.

The real thing, a PostgreSQL that is stopped and started again under a running portal, is the outage drill in
test_outage_drill.py.
"""

import logging
import uuid
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from activities.models import ActivityRecord
from config.middleware import NoStoreForLoggedInMiddleware
from config.urls import urlpatterns as portal_urlpatterns

pytestmark = pytest.mark.django_db

# What psycopg2 says when the server has gone away, as Django passes it on.
SERVER_GONE = "connection to server at 127.0.0.1, port 5432 failed: Connection refused\n\tIs the server running?"


def _view_that_loses_the_database(request):
    raise OperationalError(SERVER_GONE)


def _view_that_fails_otherwise(request):
    raise ValueError("not a database error")


# This module doubles as a URLconf (pytest.mark.urls below): the portal's URLs plus two views that fail.
urlpatterns = [
    path("test-database-down/", _view_that_loses_the_database),
    path("test-other-error/", _view_that_fails_otherwise),
    *portal_urlpatterns,
]
failing_views = pytest.mark.urls(__name__)


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def _records_of(name):
    """The records logged to the named logger (pytest runs here without its logging plugin, so no caplog)."""
    handler = _ListHandler()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.fixture
def availability_log():
    yield from _records_of("portal.availability")


@pytest.fixture
def request_log():
    yield from _records_of("django.request")


def database_down():
    """Every query fails as it does when PostgreSQL has stopped."""
    return mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError(SERVER_GONE))


def in_swedish(message):
    with translation.override("sv"):
        return gettext(message)


def assert_is_the_503_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    assert response.templates[-1].name == "503.html"
    page = response.content.decode()
    assert '<html lang="sv">' in page
    assert in_swedish("The portal is temporarily unavailable") in page
    assert "css/portal.css" in page


# The health check


def test_health_answers_200_with_exactly_one_select_1(client, django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # Outside ATOMIC_REQUESTS: no savepoint or transaction around the one query.
    assert [query["sql"] for query in queries.captured_queries] == ["SELECT 1"]


def test_health_is_named_and_public():
    assert reverse("health") == "/health/"


def test_health_forbids_caching_and_leaves_the_session_alone(client):
    response = client.get("/health/")
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_health_needs_no_csrf_token_and_answers_head(client):
    assert Client(enforce_csrf_checks=True).get("/health/").status_code == 200
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.parametrize("error", [OperationalError(SERVER_GONE), InterfaceError("connection already closed")])
def test_health_answers_503_when_the_database_does_not(client, availability_log, request_log, error):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=error):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert response["Cache-Control"] == "no-store"
    [record] = availability_log
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert request_log == []  # one line per poll, not two


def test_health_answers_503_when_no_connection_can_be_made(client):
    with mock.patch("django.db.connection.cursor", side_effect=OperationalError(SERVER_GONE)):
        assert client.get("/health/").status_code == 503


# The 503 page


@failing_views
def test_a_view_that_loses_the_database_answers_the_503_page(client, availability_log):
    response = client.get("/test-database-down/?x=1")
    assert_is_the_503_page(response)
    assert 'href="/test-database-down/?x=1"' in response.content.decode()  # "Try again"
    [record] = availability_log
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == (
        "Database unavailable, answered 503 to GET /test-database-down/ (OperationalError: connection to server at "
        "127.0.0.1, port 5432 failed: Connection refused Is the server running?)"
    )


@failing_views
def test_the_503_is_logged_once_not_again_as_an_error_by_django(client, availability_log, request_log):
    client.get("/test-database-down/")
    assert len(availability_log) == 1
    assert request_log == []


@failing_views
def test_other_errors_stay_500(client):
    client.raise_request_exception = False
    assert client.get("/test-other-error/").status_code == 500


def test_a_public_page_answers_503_when_the_database_is_down(client, world):
    with database_down():
        response = client.get(reverse("home"))
    assert_is_the_503_page(response)


def test_the_503_page_follows_the_chosen_language(client, world):
    client.cookies["django_language"] = "en"
    with database_down():
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert '<html lang="en">' in response.content.decode()


def test_a_logged_in_page_answers_503_when_the_session_cannot_be_read(client, world):
    """The session and user are read by middleware before any view runs: still the 503 page, not a 500."""
    client.force_login(world.police_recorder)
    with database_down():
        response = client.get(reverse("activities:mine"))
    assert_is_the_503_page(response)
    # The 503 neither logs the user out nor saves the session.
    assert response.cookies.get("sessionid") is None


def test_a_database_error_in_a_middleware_further_in_answers_503(client, world):
    client.force_login(world.police_recorder)
    client.raise_request_exception = False
    with mock.patch.object(NoStoreForLoggedInMiddleware, "__call__", side_effect=OperationalError(SERVER_GONE)):
        response = client.get(reverse("activities:mine"))
    assert_is_the_503_page(response)


def test_other_errors_in_a_middleware_stay_500(client, world):
    client.force_login(world.police_recorder)
    client.raise_request_exception = False
    with mock.patch.object(NoStoreForLoggedInMiddleware, "__call__", side_effect=ValueError("not the database")):
        assert client.get(reverse("activities:mine")).status_code == 500


def test_a_post_of_the_log_form_answers_503_when_the_database_is_down(client, world):
    client.force_login(world.police_recorder)
    with database_down():
        response = client.post(reverse("activities:log_activity", args=[world.count_activity.pk]), _log_form(world))
    assert_is_the_503_page(response)
    assert (
        'href="' + reverse("activities:log_activity", args=[world.count_activity.pk]) not in response.content.decode()
    )
    assert not ActivityRecord.objects.exists()


# Nothing half-written: ATOMIC_REQUESTS rolls back what the request wrote before the database failed. A real
# transaction (transactional_db), not the savepoint of a test wrapped in one.


def _log_form(world, key=None):
    return {
        "activity": world.count_activity.pk,
        "occurred_on": "2020-03-10",
        "quantity": "1",
        "place": world.district.pk,
        "participating_organisations": [world.police_organisation.pk],
        "summary": "Narkotikasök med hund.",
        "submission_key": key or str(uuid.uuid4()),
    }


def _nothing_written():
    return not ActivityRecord.objects.exists() and not ActivityRecord.history.exists()


@pytest.mark.usefixtures("transactional_db")
def test_a_log_form_post_failing_between_the_record_and_its_organisations_leaves_nothing(client, world):
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    # The organisations are linked by activities.services._link_new, after the record's INSERT.
    with mock.patch("activities.services._link_new", side_effect=OperationalError(SERVER_GONE)) as link_new:
        response = client.post(url, _log_form(world))
    assert link_new.called  # the record row had been inserted when the database failed
    assert_is_the_503_page(response)
    assert _nothing_written()


@pytest.mark.usefixtures("transactional_db")
def test_a_log_form_post_failing_after_the_record_is_saved_leaves_nothing(client, world):
    """record_create's own transaction has finished; only the request's (ATOMIC_REQUESTS) can undo it."""
    client.force_login(world.police_recorder)
    url = reverse("activities:log_activity", args=[world.count_activity.pk])
    form = _log_form(world)
    with mock.patch("staff.views.activities.total_of", side_effect=OperationalError(SERVER_GONE)) as total_of:
        response = client.post(url, form)
    assert total_of.called
    assert_is_the_503_page(response)
    assert _nothing_written()

    # Sent again once the database is back, as the 503 page advises: stored, and once only.
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    record = ActivityRecord.objects.get()
    assert str(record.submission_key) == form["submission_key"]
    assert list(record.participating_organisations.all()) == [world.police_organisation]
