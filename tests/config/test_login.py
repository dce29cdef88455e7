"""Log-in protection for the staff side (DESIGN §8): throttled log-in, sessions that expire, no cached pages.

Log-ins go through the real form at /logga-in/: axes needs the request, which `client.login()` does not pass.
Time is never slept through: the tests move the stored timestamps (axes' attempts, the session's expiry and
log-in time) into the past instead.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import password_validation
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext, override

from config.middleware import LOGGED_IN_AT, REFRESHED_AT
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/logga-in/"
LOGOUT = "/logga-ut/"
WRONG_PASSWORD_ERROR = "Ange ett korrekt användarnamn och lösenord."
LOCKED_OUT = (
    "Too many failed log-in attempts. For your security the account is locked for 15 minutes. "
    "Try again later or contact your coordinator."
)
SESSION_ENDED = "You have been logged out because your session reached its longest allowed time. Please log in again."


def swedish(msgid):
    """The text as the Swedish interface shows it: the translation once there is one, the source until then."""
    with override("sv"):
        return gettext(msgid)


def log_in(client, username, password=PASSWORD, ip="127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_logged_in(client):
    return "_auth_user_id" in client.session


def fail(client, username, times, ip="127.0.0.1"):
    for _ in range(times):
        log_in(client, username, password="wrong-password", ip=ip)


def backdate_attempts(username, by):
    AccessAttempt.objects.filter(username=username).update(attempt_time=timezone.now() - by)


# The log-in form


def test_the_log_in_page_speaks_swedish(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert "Logga in" in content


def test_a_recorder_logs_in_and_lands_on_their_to_do_page(client, world):
    response = log_in(client, world.police_recorder.username)
    assert response.status_code == 302
    assert response.url == "/att-gora/"
    assert client.session["_auth_user_id"] == str(world.police_recorder.pk)
    assert client.get("/att-gora/").context["user"] == world.police_recorder


def test_a_wrong_password_shows_the_swedish_error_beside_the_form_and_does_not_log_in(client, world):
    response = log_in(client, world.police_recorder.username, password="not-the-password")
    assert response.status_code == 200
    content = response.content.decode()
    summary = content[content.index('class="error-summary"') : content.index('name="username"')]
    assert WRONG_PASSWORD_ERROR in summary
    assert not is_logged_in(client)


def test_the_password_validators_are_still_in_force():
    for weak in ("kort", "password", "12345678901"):
        with pytest.raises(ValidationError):
            password_validation.validate_password(weak)
    password_validation.validate_password(PASSWORD)


# Throttling


def test_four_failures_do_not_lock(client, world):
    fail(client, world.police_recorder.username, 4)
    assert log_in(client, world.police_recorder.username).status_code == 302
    assert is_logged_in(client)


def test_after_five_failures_even_the_right_password_is_refused_with_the_lock_out_page(client, world):
    fail(client, world.police_recorder.username, 5)
    response = log_in(client, world.police_recorder.username)
    assert response.status_code == 429
    # The log-in view renders its form first; axes' middleware then replaces the whole response.
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert swedish(LOCKED_OUT) in content
    assert not is_logged_in(client)


def test_the_fifth_failure_itself_already_answers_with_the_lock_out_page(client, world):
    fail(client, world.police_recorder.username, 4)
    response = log_in(client, world.police_recorder.username, password="wrong-password")
    assert response.status_code == 429
    assert swedish(LOCKED_OUT) in response.content.decode()


def test_the_lock_is_on_the_account_from_that_address_only(client, world):
    """AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]: the pair is locked, neither alone."""
    fail(client, world.police_recorder.username, 5, ip="192.0.2.1")
    assert log_in(client, world.police_recorder.username, ip="192.0.2.1").status_code == 429

    # A colleague behind the same office address is not shut out...
    assert log_in(client, world.municipal_recorder.username, ip="192.0.2.1").status_code == 302
    client.logout()
    # ...and the account's owner can still log in from elsewhere.
    assert log_in(client, world.police_recorder.username, ip="198.51.100.7").status_code == 302


def test_the_account_is_still_locked_after_fourteen_minutes(client, world):
    fail(client, world.police_recorder.username, 5)
    backdate_attempts(world.police_recorder.username, datetime.timedelta(minutes=14))
    assert log_in(client, world.police_recorder.username).status_code == 429
    assert not is_logged_in(client)


def test_the_lock_lifts_after_fifteen_minutes_and_a_good_log_in_clears_the_failures(client, world):
    fail(client, world.police_recorder.username, 5)
    backdate_attempts(world.police_recorder.username, datetime.timedelta(minutes=15, seconds=1))
    response = log_in(client, world.police_recorder.username)
    assert response.status_code == 302
    assert is_logged_in(client)
    assert not AccessAttempt.objects.filter(username=world.police_recorder.username).exists()


def test_a_good_log_in_starts_the_count_over(client, world):
    fail(client, world.police_recorder.username, 4)
    assert log_in(client, world.police_recorder.username).status_code == 302
    client.logout()
    fail(client, world.police_recorder.username, 4)
    assert log_in(client, world.police_recorder.username).status_code == 302


# Sessions that expire


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_every_request_pushes_the_idle_expiry_thirty_minutes_ahead(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT == 30 * 60
    client.force_login(world.police_recorder)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=1)
    )
    response = client.get("/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    remaining = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_requests_within_a_minute_of_the_last_save_do_not_write_the_session(client, world):
    client.force_login(world.police_recorder)
    client.get("/")  # saves: the first request of a session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert "sessionid" not in response.cookies
    assert not [query for query in queries.captured_queries if query["sql"].startswith("UPDATE")]


def test_a_request_a_minute_after_the_last_save_pushes_the_expiry_ahead(client, world):
    client.force_login(world.police_recorder)
    client.get("/")
    session = client.session
    session[REFRESHED_AT] = (timezone.now() - datetime.timedelta(seconds=61)).timestamp()
    session.save()
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )
    response = client.get("/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    remaining = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_a_session_idle_for_thirty_minutes_is_over(client, world):
    client.force_login(world.police_recorder)
    assert client.get("/").context["user"].is_authenticated
    # Its last request was 30 minutes and a second ago: the stored expiry has passed.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/")
    assert not response.context["user"].is_authenticated
    assert not is_logged_in(client)


def test_logging_in_through_the_form_starts_the_ten_hour_clock(client, world):
    before = timezone.now().timestamp()
    log_in(client, world.police_recorder.username)
    assert before <= client.session[LOGGED_IN_AT] <= timezone.now().timestamp()


def set_logged_in_ago(client, ago):
    session = client.session
    session[LOGGED_IN_AT] = (timezone.now() - ago).timestamp()
    session.save()


def test_a_busy_session_younger_than_ten_hours_goes_on(client, world):
    client.force_login(world.police_recorder)
    client.get("/")
    set_logged_in_ago(client, datetime.timedelta(hours=9, minutes=59))
    assert client.get("/").context["user"] == world.police_recorder


def test_a_session_older_than_ten_hours_is_logged_out_with_a_message(client, world):
    client.force_login(world.police_recorder)
    client.get("/")
    set_logged_in_ago(client, datetime.timedelta(hours=10, seconds=1))
    response = client.get("/")
    assert not response.context["user"].is_authenticated
    assert not is_logged_in(client)
    assert [str(message) for message in get_messages(response.wsgi_request)] == [swedish(SESSION_ENDED)]
    assert swedish(SESSION_ENDED) in response.content.decode()


def test_the_absolute_limit_is_a_setting(client, world, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 60
    client.force_login(world.police_recorder)
    client.get("/")
    set_logged_in_ago(client, datetime.timedelta(seconds=61))
    assert not client.get("/").context["user"].is_authenticated


def test_a_session_with_no_log_in_time_gets_one_on_its_first_request(client, world):
    client.force_login(world.police_recorder)
    assert LOGGED_IN_AT not in client.session
    client.get("/")
    assert LOGGED_IN_AT in client.session


# No cached copies of staff pages


def test_pages_for_a_logged_in_user_may_not_be_stored(client, world):
    client.force_login(world.police_recorder)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_public_start_page_is_left_alone_for_anonymous_visitors(client, world):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_log_in_redirect_is_not_stored_either(client, world):
    response = log_in(client, world.police_recorder.username)
    assert "no-store" in response["Cache-Control"]


# Log-out


def test_log_out_refuses_get_and_leaves_the_user_logged_in(client, world):
    client.force_login(world.police_recorder)
    response = client.get(LOGOUT)
    assert response.status_code == 405
    assert is_logged_in(client)


def test_log_out_by_post_ends_the_session(client, world):
    client.force_login(world.police_recorder)
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == "/"
    assert "no-store" in response["Cache-Control"]
    assert not is_logged_in(client)
    assert not client.get("/").context["user"].is_authenticated


def test_the_start_page_offers_log_out_as_a_post_form(client, world):
    client.force_login(world.police_recorder)
    content = client.get("/").content.decode()
    assert f'<form method="post" action="{LOGOUT}"' in content


# Lock-outs across addresses and across usernames (config/lockout.py)


def backdate_failure_log(by):
    AccessFailureLog.objects.update(attempt_time=timezone.now() - by)


@pytest.fixture
def wider_limits(settings):
    """The wider limits made small, so that a test fails a few times instead of twenty."""
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 8
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    return settings


def test_the_wider_limits_are_wider_and_longer_than_the_pairs():
    from django.conf import settings

    assert settings.LOGIN_USERNAME_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    assert settings.LOGIN_USERNAME_WINDOW > settings.AXES_COOLOFF_TIME
    assert settings.LOGIN_ADDRESS_WINDOW > settings.AXES_COOLOFF_TIME


def test_one_account_tried_from_many_addresses_is_locked_everywhere(client, world, wider_limits):
    username = world.police_recorder.username
    # Four failures from each address: never five from one, so no pair is locked.
    fail(client, username, 4, ip="192.0.2.1")
    fail(client, username, 3, ip="192.0.2.2")
    # The eighth failure across addresses already answers with the lock-out page.
    response = log_in(client, username, password="wrong-password", ip="192.0.2.3")
    assert response.status_code == 429
    assert swedish(LOCKED_OUT) in response.content.decode()

    # Even the right password from an address never seen before is refused, with the same page.
    response = log_in(client, username, ip="198.51.100.7")
    assert response.status_code == 429
    assert swedish(LOCKED_OUT) in response.content.decode()
    assert not is_logged_in(client)
    # Another account is not touched.
    assert log_in(client, world.municipal_recorder.username, ip="198.51.100.7").status_code == 302


def test_a_password_sprayed_over_many_accounts_locks_the_address(client, world, wider_limits):
    for number in range(5):
        log_in(client, f"someone-{number}", password="Sommar2020!", ip="192.0.2.9")
    response = log_in(client, world.coordinator.username, password="Sommar2020!", ip="192.0.2.9")
    assert response.status_code == 429
    assert swedish(LOCKED_OUT) in response.content.decode()

    # From that address not even a colleague with the right password gets in…
    response = log_in(client, world.municipal_recorder.username, ip="192.0.2.9")
    assert response.status_code == 429
    assert swedish(LOCKED_OUT) in response.content.decode()
    # …while the same accounts log in from anywhere else.
    assert log_in(client, world.coordinator.username, ip="198.51.100.7").status_code == 302


def test_the_wider_locks_lift_once_the_failures_leave_their_windows(client, world, wider_limits):
    username = world.police_recorder.username
    fail(client, username, 4, ip="192.0.2.1")
    fail(client, username, 4, ip="192.0.2.2")
    assert log_in(client, username, ip="198.51.100.7").status_code == 429

    # Still inside the six-hour window: still locked (the pairs' 15 minutes are long over).
    backdate_failure_log(datetime.timedelta(hours=5, minutes=59))
    backdate_attempts(username, datetime.timedelta(hours=5, minutes=59))
    assert log_in(client, username, ip="198.51.100.8").status_code == 429

    backdate_failure_log(datetime.timedelta(hours=6, minutes=1))
    backdate_attempts(username, datetime.timedelta(hours=6, minutes=1))
    assert log_in(client, username, ip="198.51.100.9").status_code == 302
