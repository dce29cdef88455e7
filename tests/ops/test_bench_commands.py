"""bench_setup, bench_queries and bench_cleanup, the benchmark's work inside Django (ops/bench.py runs them).

They run on a small generated database, on a fixed day in a tertial after two published ones, as the benchmark
runs on any day its data was generated.
"""

import datetime
import json
from dataclasses import asdict
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from activities.models import ActivityRecord
from ops.bench import ADMIN_USERNAME, SUMMARY_PREFIX, pages_of

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 16, 12, tzinfo=ZoneInfo("Europe/Stockholm"))


def run(name, *arguments):
    """What the command printed, parsed: it prints only JSON."""
    output = StringIO()
    call_command(name, *arguments, stdout=output)
    return json.loads(output.getvalue())


@pytest.fixture
def generated(monkeypatch, settings):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(datetime.UTC))
    monkeypatch.setenv("BENCH_ADMIN_PASSWORD", "bench-admin-password")
    settings.ALLOWED_HOSTS = ["127.0.0.1"]  # the benchmark's server, which bench_queries's test client names
    call_command("generate_national", "--scale", "0.01", "--years", "3", "--quiet")


def test_setup_chooses_a_municipality_and_makes_the_superuser(generated):
    setup = run("bench_setup", f"--admin={ADMIN_USERNAME}")

    users = get_user_model().objects
    assert setup["recorder"] == f"polis-{setup['code']}"
    assert setup["coordinator"] == f"samordnare-{setup['code']}"
    assert users.get(username=setup["coordinator"]).memberships.get().role == "coordinator"
    admin = users.get(username=ADMIN_USERNAME)
    assert admin.is_superuser and admin.check_password("bench-admin-password")
    assert setup["year"] == 2026 and setup["today"] == "2026-11-16"
    assert setup["records"] == ActivityRecord.objects.count()


def test_queries_counts_every_page_and_cleanup_deletes_what_it_stored(generated):
    pages = pages_of(run("bench_setup"))

    queries = run("bench_queries", "--pages", json.dumps({key: asdict(page) for key, page in pages.items()}))

    assert set(queries) == set(pages)
    assert all(isinstance(count, int) and count >= 1 for count in queries.values())
    stored = ActivityRecord.objects.filter(summary__startswith=SUMMARY_PREFIX)
    assert stored.count() == 2  # the log-form POST, sent twice
    assert run("bench_cleanup", f"--prefix={SUMMARY_PREFIX}") == {"deleted": 2}
    assert not stored.exists()
    assert not ActivityRecord.history.filter(summary__startswith=SUMMARY_PREFIX).exists()


def test_queries_fails_when_a_page_answers_another_status(generated):
    pages = {"health": {"path": "/health/", "user": None, "method": "GET", "status": 404, "data": None}}
    with pytest.raises(CommandError, match="answered 200, not 404"):
        call_command("bench_queries", "--pages", json.dumps(pages), stdout=StringIO())


@pytest.mark.parametrize(
    "arguments",
    [["bench_setup"], ["bench_queries", "--pages", "{}"], ["bench_cleanup"]],
    ids=["setup", "queries", "cleanup"],
)
def test_they_refuse_a_database_without_generated_data(world, monkeypatch, arguments):
    monkeypatch.setenv("BENCH_ADMIN_PASSWORD", "bench-admin-password")
    records = ActivityRecord.objects.count()
    with pytest.raises(CommandError, match="Refused"):
        call_command(*arguments, stdout=StringIO())
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()
    assert ActivityRecord.objects.count() == records


def test_setup_refuses_generated_data_whose_coordinators_have_real_passwords(generated):
    for user in get_user_model().objects.filter(username__startswith="samordnare-"):
        user.set_password("a-real-password")
        user.save()
    with pytest.raises(CommandError, match="Refused"):
        call_command("bench_setup", stdout=StringIO())
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()


def test_cleanup_refuses_an_empty_prefix(generated):
    with pytest.raises(CommandError, match="every record"):
        call_command("bench_cleanup", "--prefix=", stdout=StringIO())


def test_profile_page_prints_the_time_the_queries_and_where_the_time_goes(generated):
    setup = run("bench_setup")
    output = StringIO()
    call_command("profile_page", "/matsida/", f"--user={setup['coordinator']}", "--repeat=3", "--top=60", stdout=output)
    text = output.getvalue()
    assert text.startswith(f"/matsida/ as {setup['coordinator']}: 3 requests, median ")
    assert "--- top 60 by cumulative time" in text and "--- top 60 by tottime time" in text
    # The profile reaches through Django's handler into the view.
    assert "get_response" in text and "floor.py" in text


def test_profile_page_refuses_a_page_that_answers_otherwise(generated):
    with pytest.raises(CommandError, match="answered 302"):
        call_command("profile_page", "/matsida/", "--repeat=1", stdout=StringIO())
