"""What the load and crash drill (``ops.soak``) and the benchmark (``ops.bench``) share: the harness around the portal.

Both run the portal as production does, in a PostgreSQL database of their own: they create and drop that database,
run ``manage.py`` in it (the ``ops`` management commands do the work inside Django and print their result as JSON),
start gunicorn with production settings, wait for it, log users in through the real log-in form and read the
workers from ``/proc``. This module runs outside Django: it starts the portal's processes, it does not import them.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent
POSTGRESQL_SCHEMES = ("postgres", "postgresql", "pgsql")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DrillError(Exception):
    """The drill or benchmark could not run (set-up failed): not a verdict on the portal."""


def step(text):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {text}", flush=True)


def production_environment(**overrides):
    """The environment of a portal with production settings that speaks plain HTTP on 127.0.0.1.

    DEBUG is off and the SECRET_KEY random; SECURE_SSL_REDIRECT and SECURE_COOKIES are off because the harness has
    no TLS in front of gunicorn.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        **overrides,
    }


# --- Databases ------------------------------------------------------------------------------------------------------


def database_name(url):
    return unquote(urlsplit(url).path.lstrip("/"))


def drill_database(url, word, variable):
    """The name of the database at ``url``, which the caller drops and creates again.

    Only a PostgreSQL database whose name contains ``word`` ("soak", "bench") is taken, so that a mistyped URL
    cannot drop the portal's own database; ``variable`` is the setting the message names.
    """
    name = database_name(url)
    if urlsplit(url).scheme not in POSTGRESQL_SCHEMES or word not in name:
        raise DrillError(
            f"{variable} must be a PostgreSQL database whose name contains {word!r} (it is dropped): {name}"
        )
    return name


def connect(url, *, dbname=None):
    """A psycopg2 connection to the database at ``url`` (or to ``dbname`` on the same server)."""
    import psycopg2

    parts = urlsplit(url)
    return psycopg2.connect(
        dbname=dbname or database_name(url),
        user=unquote(parts.username or "") or None,
        password=unquote(parts.password or "") or None,
        host=parts.hostname or None,
        port=parts.port or None,
    )


def _admin_connection(url):
    import psycopg2

    try:
        connection = connect(url, dbname="postgres")
    except psycopg2.Error as error:
        raise DrillError(f"cannot reach PostgreSQL: {' '.join(str(error).split())}") from error
    connection.autocommit = True
    return connection


def recreate_database(url):
    drop_database(url)
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{database_name(url)}"')
    finally:
        connection.close()


def drop_database(url):
    connection = _admin_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    finally:
        connection.close()


# --- manage.py ------------------------------------------------------------------------------------------------------


def manage(environment, *arguments, extra_environment=None):
    """Runs ``manage.py`` with this interpreter and returns what it printed; a failure is a DrillError."""
    result = subprocess.run(  # noqa: S603 - this interpreter running the project's manage.py
        [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
        cwd=BASE_DIR,
        env={**environment, **(extra_environment or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DrillError(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def manage_json(environment, *arguments, extra_environment=None):
    """Runs one of the ``ops`` management commands, which print only JSON, and returns what it printed, parsed."""
    output = manage(environment, *arguments, extra_environment=extra_environment)
    try:
        return json.loads(output)
    except json.JSONDecodeError as error:
        raise DrillError(f"manage.py {arguments[0]} printed no JSON ({error}):\n{output}") from error


# --- gunicorn -------------------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(environment, port, workers, log_path, *, timeout=None):
    """``gunicorn config.wsgi`` on 127.0.0.1:``port``, its output in ``log_path``.

    ``timeout`` is the worker timeout (gunicorn's default, 30 s, when None).
    """
    command_line = [str(BIN_DIR / "gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    if timeout is not None:
        command_line += ["--timeout", str(timeout)]
    command_line += ["--graceful-timeout", "5"]
    # gunicorn's control socket is one path per user (~/.gunicorn/gunicorn.ctl): a second server, the soak's own or
    # anyone else's on the machine, would take it over from the first.
    command_line += ["--no-control-socket"]
    log = log_path.open("w")
    try:
        return subprocess.Popen(command_line, cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    finally:
        log.close()


def wait_until_up(base, server, timeout=90, *, probe_timeout=10):
    """Waits for /health/ (or /, where there is no /health/ yet) to answer 200 with every worker booted.

    Any failed request counts as "not up yet", not only a refused connection: on a loaded machine the first
    request, which imports the whole portal in the worker, may take longer than ``probe_timeout`` and time out.
    """
    deadline = time.monotonic() + timeout
    path = "/health/"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise DrillError(f"gunicorn exited with status {server.returncode}")
        try:
            response = requests.get(base + path, timeout=probe_timeout)
        except requests.RequestException:
            time.sleep(0.5)
            continue
        if response.status_code == 404 and path != "/":
            step("No /health/ yet: waiting for / instead")
            path = "/"
            continue
        if response.status_code == 200:
            return
        time.sleep(0.5)
    raise DrillError(f"the portal did not answer 200 on {path} within {timeout} s")


def stop_gunicorn(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def workers_of(master_pid):
    """The gunicorn master's child processes, read from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # The process name is in parentheses and may hold spaces; the parent pid is the second field after it.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == master_pid:
            children.add(int(stat.parent.name))
    return children


# --- Logging in -----------------------------------------------------------------------------------------------------


def csrf_token(response):
    match = CSRF_INPUT.search(response.text)
    if not match:
        raise DrillError(f"no CSRF token in {response.url} (status {response.status_code})")
    return match.group(1)


def log_in(session, base, username, password, *, timeout=60):
    """Logs ``session`` in through the real log-in form."""
    page = session.get(f"{base}/logga-in/", timeout=timeout)
    response = session.post(
        f"{base}/logga-in/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": csrf_token(page)},
        allow_redirects=False,
        timeout=timeout,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise DrillError(f"{username} could not log in (status {response.status_code})")
    return session


def form_token(session, base, path, *, timeout=60):
    """The CSRF token the log form at ``path`` carries: the log-in rotated the one the log-in page gave."""
    response = session.get(base + path, timeout=timeout)
    if response.status_code != 200:
        raise DrillError(f"the log form {path} answered {response.status_code}")
    return csrf_token(response)


# --- The report -----------------------------------------------------------------------------------------------------


def machine():
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = os.cpu_count()
    return f"{platform.node()} ({cpus} CPUs{', ' + model if model else ''}, Python {platform.python_version()})"
