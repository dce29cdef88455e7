"""Two app servers, one truth: a short run of the two-server soak (``python -m ops.soak --servers 2``).

Two gunicorn servers with production settings share a fresh PostgreSQL database and Redis, as two app servers
behind a load balancer do; a few clients send their requests to either server at random for a few seconds while one
worker of each server is killed. The soak prints its verdict and exits 0 only when nothing acknowledged was lost,
nothing was stored twice and no page read through one server missed a write acknowledged through the other: the
staff pages' totals after the records logged, the public pages' contact after a coordinator changed it (the
full-length run is in docs/OPERATIONS.md §12).

It needs PostgreSQL, because the soak makes a database of its own there (skipped on SQLite, like the outage
drill), and Redis on 127.0.0.1:6379 (SOAK_TEST_REDIS_URL, database 14: not the soak's own 13 nor production's 0;
the run's keys carry a prefix of their own and are deleted at the end). Without Redis the test is skipped on a
laptop, and fails in CI (CI or REQUIRE_REDIS set), so that CI never passes without having run it.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
SKIP_ON_SQLITE = (
    "the two-server soak makes a PostgreSQL database of its own next to the suite's; CI runs it "
    "(set DATABASE_URL=postgres://…)"
)
REDIS_URL = os.environ.get("SOAK_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
# Generous: setting up the database (migrate, collectstatic) and booting four workers take minutes on a loaded
# machine; the load itself lasts SECONDS.
TIMEOUT = 20 * 60
SECONDS = 9


def redis_required():
    return any(os.environ.get(name, "").lower() not in ("", "0", "false", "no") for name in ("CI", "REQUIRE_REDIS"))


@pytest.fixture
def redis_running():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=10, socket_timeout=10).ping()
    except redis.RedisError as error:
        message = (
            f"Redis does not answer at {REDIS_URL} ({error}): the two-server soak needs it running "
            "(redis-server on 127.0.0.1:6379, or SOAK_TEST_REDIS_URL)"
        )
        if redis_required():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def soak_database_url():
    """A database of the soak's own on the suite's PostgreSQL server, named for this run (the soak drops it)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(SKIP_ON_SQLITE)
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/portal_soak_test_{os.getpid()}"


def figure(output, label):
    match = re.search(rf"^{re.escape(label)}\s+(\d+)$", output, re.MULTILINE)
    assert match, f"{label!r} is not in the soak's output:\n{output}"
    return int(match.group(1))


def test_two_servers_sharing_postgresql_and_redis_lose_nothing_double_nothing_and_read_nothing_stale(
    soak_database_url, redis_running
):
    environment = {
        **os.environ,
        "SOAK_SECONDS": str(SECONDS),
        "SOAK_CLIENTS": "6",  # the fifth is a coordinator: the dashboard is checked too
        "SOAK_WORKERS": "2",
        "SOAK_DATABASE_URL": soak_database_url,
        "SOAK_REDIS_URL": REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    environment.pop("SOAK_KEEP_DATABASE", None)
    result = subprocess.run(
        [sys.executable, "-m", "ops.soak", "--servers", "2"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Lost 0, doubled 0, stale reads 0." in output
    assert output.rstrip().endswith("PASS")
    # Each server lost a worker and got a new one; requests went through both.
    for server in (1, 2):
        assert re.search(rf"^Server {server}: worker pid \d+ killed with SIGKILL .* new worker", output, re.MULTILINE)
        assert figure(output, f"  through server {server}") > 0
    # Writes were acknowledged, and read back through the other server right after.
    assert figure(output, "  acknowledged (302 to Mina aktiviteter)") > 0
    assert figure(output, "    of which through the other server") > 0
    assert figure(output, "staff pages answered other than 200 (session lost?)") == 0
    # The municipality's contact was changed, and a public page showing it read right after (its copy renewed).
    assert figure(output, "  acknowledged (302 to the municipalities)") > 0
    assert figure(output, "  read right after a change") > 0
    # Nothing of the run is left in Redis.
    prefix = re.search(r"key prefix (soak-[0-9a-f]+)", output).group(1)
    assert not list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{prefix}:*", count=1000))
