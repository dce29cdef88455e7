"""Database outage drill (DESIGN §8): PostgreSQL stops under a running portal and starts again.

The test makes its own PostgreSQL instance (initdb into a temporary folder, a free port, the machine's server
binaries), migrates it, loads Strängnäs and a recorder, and starts the portal against it in a separate gunicorn
process. It logs records through the log form over HTTP, then stops PostgreSQL the hard way (`pg_ctl stop -m
immediate`, a crash: no checkpoint, open connections cut):

* pages answer the 503 page, the health check answers 503, a log-form POST answers 503 and leaves nothing behind;
* PostgreSQL starts again (crash recovery) and, without the portal being restarted, the very next requests
  succeed, the recorder is still logged in, the form that failed can be sent again (once), and every record
  acknowledged before the outage is there.

It needs PostgreSQL: it is skipped on SQLite and where no server binaries are installed. initdb and pg_ctl
refuse to run as root, so as root they run as the `postgres` user. Everything it started is stopped and its
folder removed even when it fails.
"""

import contextlib
import glob
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import requests
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from activities.models import ActivityRecord
from ops import harness
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[2]
SKIP_ON_SQLITE = "the outage drill runs on PostgreSQL; CI runs it (set DATABASE_URL=postgres://…)"
SERVER_USER = "postgres"
DATABASE = "drill"
DATABASE_USER = "portal"
RECORDER = "drill-recorder"
RECORDS_BEFORE_THE_OUTAGE = 5
# Generous: on a loaded machine a first request can take seconds, and a timeout only costs time when it is hit.
HTTP_TIMEOUT = 30
STARTUP_TIMEOUT = 90
HIDDEN_INPUT = re.compile(r'name="(csrfmiddlewaretoken|submission_key)" value="([^"]+)"')

# Run by `manage.py shell -c` in the drill's database: one Django start-up for all of it. Writes what the
# test needs to know to the file named by DRILL_OUTPUT.
SETUP = """
import json, os
from django.contrib.auth import get_user_model
from django.core.management import call_command
from activities.models import Activity
from promises.models import Membership, Organisation
from seeding import strangnas as seed

call_command("migrate", verbosity=0)
call_command("load_strangnas", verbosity=0)
police = Organisation.objects.get(name=seed.POLICE)
user = get_user_model().objects.create_user(
    username=os.environ["DRILL_RECORDER"], password=os.environ["DRILL_PASSWORD"]
)
Membership.objects.create(user=user, organisation=police, role=Membership.Role.RECORDER)
activity = Activity.objects.loggable_by(user).filter(lead_organisation=police).select_related("promise").first()
with open(os.environ["DRILL_OUTPUT"], "w") as output:
    json.dump({
        "activity": activity.pk,
        "organisation": police.pk,
        "occurred_on": activity.promise.period_start.isoformat(),
    }, output)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_binaries():
    """The newest PostgreSQL's server binaries on this machine (Debian's layout), or None."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = Path(initdb).parent.parent.name
        if version.isdigit() and os.access(Path(initdb).with_name("pg_ctl"), os.X_OK):
            found.append((int(version), Path(initdb).parent))
    return max(found)[1] if found else None


def as_server_user():
    """The command prefix that runs initdb and pg_ctl as a user they accept, or the reason there is none."""
    if os.geteuid() != 0:
        return [], None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None, f"running as root, and there is no {SERVER_USER!r} user to run initdb and pg_ctl as"
    if shutil.which("runuser"):
        return ["runuser", "-u", SERVER_USER, "--"], None
    if shutil.which("su"):
        return ["su", SERVER_USER, "-s", "/bin/sh", "-c"], None
    return None, f"running as root, and neither runuser nor su is there to run initdb and pg_ctl as {SERVER_USER!r}"


class DrillPostgres:
    """A throw-away PostgreSQL instance in its own folder, on its own port."""

    def __init__(self, bindir, folder, prefix):
        self.bindir = bindir
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.prefix = prefix
        self.port = free_port()
        self.running = False

    def _run(self, *command, timeout=180):
        command = [str(self.bindir / command[0]), *map(str, command[1:])]
        if self.prefix[:1] == ["su"]:
            command = [shlex.join(command)]  # su -c takes one shell command
        # The server user may not be allowed into the project folder: run from the drill's own.
        subprocess.run([*self.prefix, *command], cwd=self.folder, check=True, capture_output=True, timeout=timeout)

    def initdb(self):
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", DATABASE_USER, "-E", "UTF8", "--no-locale", "-N")

    def start(self):
        options = [
            f"-c port={self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={self.folder}",
            # Speed only. Crash safety against the operating system failing is not what the drill tests: the
            # server is killed, the machine is not, so what was written to the WAL is still there.
            "-c fsync=off",
            "-c full_page_writes=off",
        ]
        self._run("pg_ctl", "start", "-w", "-t", "120", "-D", self.data, "-l", self.log, "-o", " ".join(options))
        self.running = True

    def stop(self, mode="immediate"):
        """Stops the server; "immediate" is a crash: no checkpoint, every connection cut."""
        self._run("pg_ctl", "stop", "-w", "-t", "120", "-D", self.data, "-m", mode)
        self.running = False

    def connect(self, dbname=DATABASE):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user=DATABASE_USER, dbname=dbname)
        connection.autocommit = True
        return connection

    def url(self):
        return f"postgres://{DATABASE_USER}@127.0.0.1:{self.port}/{DATABASE}"


class Portal:
    """The portal in a gunicorn process of its own, as in production."""

    def __init__(self, folder, database_url):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "portal.log"
        self.process = None
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            # The production settings, but with the test settings' static files storage: the manifest storage
            # needs a collectstatic that the drill has no reason to run.
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "SECRET_KEY": "outage-drill-only-not-secret",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "60",
            "PYTHONUNBUFFERED": "1",
        }

    def setup(self, folder):
        output = folder / "setup.json"
        env = {**self.env, "DRILL_OUTPUT": str(output), "DRILL_RECORDER": RECORDER, "DRILL_PASSWORD": PASSWORD}
        command = [sys.executable, "manage.py", "shell", "-c", SETUP]
        result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, f"setting up the drill's database failed:\n{result.stdout}\n{result.stderr}"
        return json.loads(output.read_text())

    def start(self):
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--timeout", "30", "--graceful-timeout", "2"]
        # Gunicorn's control socket is one path per user: it would clash with any other gunicorn running here.
        command += ["--no-control-socket"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=PROJECT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            harness.wait_until_up(self.base, self.process, timeout=STARTUP_TIMEOUT, probe_timeout=HTTP_TIMEOUT)
        except harness.DrillError as error:
            pytest.fail(f"the portal did not start: {error}\n{self.log.read_text()}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def drill_folder():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(SKIP_ON_SQLITE)
    folder = Path(tempfile.mkdtemp(prefix="portal-outage-drill-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres(drill_folder):
    bindir = postgres_binaries()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): " + SKIP_ON_SQLITE)
    prefix, reason = as_server_user()
    if prefix is None:
        pytest.skip(reason)
    if os.geteuid() == 0:
        server_user = pwd.getpwnam(SERVER_USER)
        os.chown(drill_folder, server_user.pw_uid, server_user.pw_gid)
    server = DrillPostgres(bindir, drill_folder, prefix)
    try:
        server.initdb()
        server.start()
        connection = server.connect(dbname="postgres")
        try:
            connection.cursor().execute(f"CREATE DATABASE {DATABASE}")
        finally:
            connection.close()
        yield server
    finally:
        if server.running or (server.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                server.stop()


@pytest.fixture
def portal(postgres, drill_folder):
    portal = Portal(drill_folder, postgres.url())
    portal.ids = portal.setup(drill_folder)
    try:
        portal.start()
        yield portal
    finally:
        portal.stop()


def hidden_inputs(page):
    return dict(HIDDEN_INPUT.findall(page))


def log_in(base):
    browser = requests.Session()
    page = browser.get(base + "/logga-in/", timeout=HTTP_TIMEOUT)
    token = hidden_inputs(page.text)["csrfmiddlewaretoken"]
    credentials = {"username": RECORDER, "password": PASSWORD, "csrfmiddlewaretoken": token}
    response = browser.post(base + "/logga-in/", data=credentials, allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert response.status_code == 302, response.text
    return browser


def open_log_form(browser, portal):
    """The log form as a browser has it: its URL and what a submit sends, CSRF token and submission key included."""
    url = f"{portal.base}/aktiviteter/{portal.ids['activity']}/logga/"
    response = browser.get(url, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    form = {
        **hidden_inputs(response.text),
        "activity": portal.ids["activity"],
        "occurred_on": portal.ids["occurred_on"],
        "quantity": "1",
        "place": "",
        "place_text": "",
        "participating_organisations": [portal.ids["organisation"]],
        "summary": "Planlagd insats, registrerad under avbrottsövningen.",
    }
    return url, form


def send(browser, url, form):
    return browser.post(url, data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)


def counts(postgres):
    """Records, their history rows and their organisation links, straight from the drill's database."""
    tables = [
        ActivityRecord._meta.db_table,
        ActivityRecord.history.model._meta.db_table,
        ActivityRecord.participating_organisations.through._meta.db_table,
    ]
    connection = postgres.connect()
    try:
        cursor = connection.cursor()
        result = []
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - table names from the models
            result.append(cursor.fetchone()[0])
        cursor.execute(f"SELECT submission_key::text FROM {tables[0]}")  # noqa: S608
        keys = {row[0] for row in cursor.fetchall()}
    finally:
        connection.close()
    return tuple(result), keys


def assert_is_the_503_page(response):
    assert response.status_code == 503, response.text[:500]
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Content-Type"].startswith("text/html")
    with translation.override("sv"):
        assert gettext("The portal is temporarily unavailable") in response.text


def test_the_portal_answers_503_while_postgresql_is_down_and_recovers_by_itself(postgres, portal):
    timings = {}
    started = time.monotonic()
    recorder = log_in(portal.base)
    visitor = requests.Session()

    # Before: records logged through the form and acknowledged (a redirect to Mina aktiviteter).
    acknowledged = set()
    for _ in range(RECORDS_BEFORE_THE_OUTAGE):
        url, form = open_log_form(recorder, portal)
        response = send(recorder, url, form)
        assert response.status_code == 302 and response.headers["Location"] == "/mina-aktiviteter/"
        acknowledged.add(form["submission_key"])
    before, keys = counts(postgres)
    assert before == (RECORDS_BEFORE_THE_OUTAGE,) * 3
    assert keys == acknowledged
    # A form the recorder opened before the outage and sends during it.
    url, pending = open_log_form(recorder, portal)
    assert visitor.get(portal.base + "/", timeout=HTTP_TIMEOUT).status_code == 200
    timings["before the outage"] = time.monotonic() - started

    # The outage.
    moment = time.monotonic()
    postgres.stop()
    timings["stopping PostgreSQL"] = time.monotonic() - moment

    moment = time.monotonic()
    health = requests.get(portal.base + "/health/", timeout=HTTP_TIMEOUT)
    assert (health.status_code, health.text) == (503, "unavailable\n")
    assert health.headers["Cache-Control"] == "no-store"
    assert_is_the_503_page(visitor.get(portal.base + "/", timeout=HTTP_TIMEOUT))
    assert_is_the_503_page(recorder.get(portal.base + "/mina-aktiviteter/", timeout=HTTP_TIMEOUT))
    assert_is_the_503_page(recorder.get(url, timeout=HTTP_TIMEOUT))
    assert_is_the_503_page(send(recorder, url, pending))
    timings["five requests during the outage"] = time.monotonic() - moment

    moment = time.monotonic()
    postgres.start()
    timings["starting PostgreSQL (crash recovery)"] = time.monotonic() - moment

    # Nothing half-written, nothing acknowledged lost.
    during, keys = counts(postgres)
    assert during == before
    assert keys == acknowledged

    # Recovered without restarting the portal: the very next requests succeed.
    moment = time.monotonic()
    assert portal.process.poll() is None
    health = requests.get(portal.base + "/health/", timeout=HTTP_TIMEOUT)
    assert (health.status_code, health.text) == (200, "ok\n")
    assert visitor.get(portal.base + "/", timeout=HTTP_TIMEOUT).status_code == 200
    mine = recorder.get(portal.base + "/mina-aktiviteter/", allow_redirects=False, timeout=HTTP_TIMEOUT)
    assert mine.status_code == 200  # still logged in: the 503s kept the session
    # The form that failed is sent again, as the 503 page advises: stored, and only once however often it is sent.
    assert send(recorder, url, pending).status_code == 302
    assert send(recorder, url, pending).status_code == 302
    timings["first requests after the outage"] = time.monotonic() - moment

    after, keys = counts(postgres)
    assert after == (RECORDS_BEFORE_THE_OUTAGE + 1,) * 3
    assert keys == acknowledged | {pending["submission_key"]}

    # One warning line per failed request, and not one traceback.
    log = portal.log.read_text()
    assert log.count("WARNING portal.availability") == 5
    assert "Traceback" not in log
    assert "ERROR" not in log

    print("\nOutage drill timings: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items()))
