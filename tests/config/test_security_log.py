"""Security events reach the log with who, when and from where, and never a personal identity number."""

import logging

import pytest
from django.urls import reverse

from config.request_context import RedactIdentityNumbersFilter, RequestContextFilter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    caplog.handler.addFilter(RequestContextFilter())
    return caplog


def lines(caplog):
    return [(record.levelname, record.getMessage(), record.user, record.client) for record in caplog.records]


def test_a_log_in_and_a_log_out_are_logged_with_the_user_and_address(client, world, security_log):
    client.post(reverse("login"), {"username": "polis", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    messages = [line[1] for line in lines(security_log)]
    assert f"log-in: user={world.police_recorder.pk}" in messages
    assert f"log-out: user={world.police_recorder.pk}" in messages
    assert all(line[3] == "10.1.2.3" for line in lines(security_log))


def test_a_failed_log_in_and_a_lock_out_are_logged(client, world, security_log):
    for _ in range(5):
        client.post(reverse("login"), {"username": "polis", "password": "fel"}, REMOTE_ADDR="10.9.9.9")
    messages = [line[1] for line in lines(security_log)]
    assert messages.count("log-in failed: username='polis'") == 5
    assert "locked out: username='polis' address=10.9.9.9" in messages


def test_a_username_that_is_a_personal_identity_number_is_not_written(client, world, security_log):
    client.post(reverse("login"), {"username": "811218-9876", "password": "fel"})
    text = " ".join(line[1] for line in lines(security_log))
    assert "9876" not in text
    assert "[removed: identity number]" in text


def test_a_refusal_outside_the_scope_is_logged(client, world, security_log):
    client.force_login(world.outsider)
    client.get(reverse("activities:log_activity", args=[world.count_activity.pk]), REMOTE_ADDR="10.4.4.4")
    assert (
        "WARNING",
        f"refused: GET {reverse('activities:log_activity', args=[world.count_activity.pk])} -> 404",
        str(world.outsider.pk),
        "10.4.4.4",
    ) in lines(security_log)


def test_report_transitions_are_logged(world, caplog):
    from followup import services
    from followup.tertials import Tertial

    caplog.set_level(logging.INFO, logger="portal.reports")
    report = services.report_create(promise=world.promise, tertial=Tertial(2020, 1), by=world.coordinator)
    services.report_submit(report=report, revision=report.revision, by=world.coordinator)
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("report created") for message in messages)
    assert f"report submitted: report={report.pk} by={world.coordinator.pk}" in messages


def test_the_client_address_is_the_one_the_trusted_proxy_saw(rf, settings):
    from config.request_context import client_address

    forged = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.7", REMOTE_ADDR="192.168.1.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(forged) == "192.168.1.1"  # no proxy trusted: the header is the client's own words
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(forged) == "10.0.0.7"  # the entry our proxy appended, not the forged one before it
    assert client_address(rf.get("/", REMOTE_ADDR="192.168.1.1")) == "192.168.1.1"


def test_axes_locks_by_the_same_address(client, world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "polis", "password": "fel"},
            REMOTE_ADDR="192.168.1.1",
            HTTP_X_FORWARDED_FOR="10.0.0.7",
        )
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get().ip_address == "10.0.0.7"


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("811218\u20139876", id="en-dash"),
        pytest.param("811218-9876", id="hyphen"),
        pytest.param("８１１２１８ ９８７６", id="full-width"),
        pytest.param("19811218\u00a09876", id="12-no-break-space"),
    ],
)
def test_a_failed_log_in_as_an_identity_number_leaves_it_in_no_table_and_no_log(client, world, security_log, username):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.test import override_settings

    with override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True):
        for _ in range(6):
            client.post(reverse("login"), {"username": username, "password": "fel"}, REMOTE_ADDR="10.7.7.7")
    stored = [
        str(value)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
        for row in model.objects.values()
        for value in row.values()
    ]
    assert AccessAttempt.objects.filter(username="[removed: identity number]").exists()
    text = " ".join(stored) + " ".join(line[1] for line in lines(security_log))
    assert "9876" not in text and "９８７６" not in text
    assert "[removed: identity number]" in text
    # An ordinary user name is still counted and stored as typed, and its account still locks.
    for _ in range(5):
        client.post(reverse("login"), {"username": "polis", "password": "fel"}, REMOTE_ADDR="10.7.7.7")
    assert AccessAttempt.objects.get(username="polis").failures_since_start == 5
    assert "polis" not in AccessAttempt.objects.get(username="polis").post_data  # masked: stored once, above


def test_a_refused_path_holding_an_identity_number_is_logged_without_it(client, world, security_log):
    security_log.handler.addFilter(RedactIdentityNumbersFilter())
    client.force_login(world.outsider)
    client.get("/arbete/811218\u20139876/")
    text = " ".join(line[1] for line in lines(security_log))
    assert "refused: GET /arbete/[removed: identity number]/ -> 404" in text
    # Django's own "Not Found: …" line goes through the same filter.
    assert "9876" not in text


def test_every_log_line_goes_through_the_redaction():
    from django.conf import settings

    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]
    path = ("/811218-9876/",)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", path, None)
    assert RedactIdentityNumbersFilter().filter(record)
    assert record.getMessage() == "Not Found: /[removed: identity number]/"
