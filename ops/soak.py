"""Load and crash drill (``make soak``; docs/OPERATIONS.md, "Load and crash drill").

Runs the portal as production does, gunicorn with production settings (DEBUG off, a random SECRET_KEY) on a fresh
PostgreSQL database, and puts it under load: SOAK_CLIENTS clients (50), each logged in with its own session, for
SOAK_SECONDS seconds (60), sending requests back to back: 30 % log-form POSTs (a 2020 record with a unique summary
"soak <client>-<n>" and a new submission key) and 70 % reads (half the client's own staff page, "Mina aktiviteter"
or a coordinator's dashboard, half the public pages without a session). Half-way through, one gunicorn worker is
killed with SIGKILL; the master starts a new one.

A request the killed worker was serving loses its connection. A client whose log-form POST loses its connection does
what a person does when the page does not come back: sends the same form again, with the same submission key, once.
The submission key makes that safe: if the first POST committed before the worker died, the second finds its record.

Pass, as printed at the end:
- no 5xx response and no 4xx response; connection errors only in the seconds after the kill;
- every acknowledged POST (302 to "Mina aktiviteter") has its record in the database, and the only records beyond
  those are of POSTs that never got an answer: acknowledged <= records <= acknowledged + never acknowledged
  (a POST whose answer was lost may or may not have committed). The issue's "records = POSTs with a success
  response" holds whenever every POST got an answer in the end, which the resend makes the normal case;
- no record twice (no summary appears twice).

Environment: SOAK_SECONDS (60), SOAK_CLIENTS (50), SOAK_WORKERS (4), SOAK_DATABASE_URL
(postgres://postgres@127.0.0.1:5432/portal_ops_soak; dropped and created again, so its name must contain "soak"),
SOAK_KEEP_DATABASE=1 to keep the database afterwards. Exit status: 0 pass, 1 fail, 2 the drill could not run.

Run from the project root as ``python -m ops.soak``. What runs inside Django is done by the management commands
``soak_setup`` (the clients' users) and ``soak_records`` (the records, for the verdict); ``ops.harness`` holds what
this drill shares with the benchmark.
"""

from __future__ import annotations

import datetime
import os
import random
import secrets
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

from ops.harness import (
    DrillError,
    drill_database,
    drop_database,
    form_token,
    free_port,
    log_in,
    machine,
    manage,
    manage_json,
    production_environment,
    recreate_database,
    start_gunicorn,
    step,
    stop_gunicorn,
    wait_until_up,
    workers_of,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_ops_soak"
POST_SHARE = 0.30
COORDINATOR_EVERY = 5  # every fifth client is a coordinator (reads the dashboard), the others recorders
PUBLIC_PAGES = ["/", "/strangnas/", "/strangnas/2020/"]  # those that answer 404 (not built yet) are left out
KILL_WINDOW = 3.0  # seconds after the kill in which a lost connection counts as lost on the killed worker
MY_ACTIVITIES = "/mina-aktiviteter/"
SUMMARY_PREFIX = "soak "


@dataclass
class Result:
    kind: str
    status: int | None  # None: no response (connection lost or timed out)
    error: str
    started: float
    ended: float
    summary: str = ""
    acknowledged: bool = False
    sent_at: float = 0.0  # wall-clock time (time.time()), to compare with the records' created_at

    @property
    def latency(self):
        return self.ended - self.started


@dataclass
class Kill:
    pid: int = 0
    at: float = 0.0  # seconds since the load started
    replacement: int = 0
    replaced_after: float | None = None


@dataclass
class Client:
    number: int
    username: str
    coordinator: bool
    activities: list
    session: requests.Session = field(default_factory=requests.Session)
    public: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    results: list = field(default_factory=list)


def main():
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    client_count = int(os.environ.get("SOAK_CLIENTS", "50"))
    workers = int(os.environ.get("SOAK_WORKERS", "4"))
    database_url = os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL)
    keep = os.environ.get("SOAK_KEEP_DATABASE") == "1"
    try:
        name = drill_database(database_url, "soak", "SOAK_DATABASE_URL")
    except DrillError as error:
        print(error)
        return 2

    work = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    password = secrets.token_urlsafe(16)
    environment = production_environment(DATABASE_URL=database_url)
    server = None
    verdict = 2
    try:
        step(f"Fresh database {name}")
        recreate_database(database_url)
        step("Migrate, load Strängnäs, collect static files, create users")
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_strangnas")
        manage(environment, "collectstatic", "--noinput")
        setup = manage_json(
            environment,
            "soak_setup",
            f"--clients={client_count}",
            f"--coordinator-every={COORDINATOR_EVERY}",
            extra_environment={"SOAK_PASSWORD": password},
        )
        port = free_port()
        step(f"gunicorn with {workers} workers on 127.0.0.1:{port} (log: {work / 'gunicorn.log'})")
        server = start_gunicorn(environment, port, workers, work / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, server)
        clients = [
            Client(number, each["username"], each["coordinator"], each["activities"])
            for number, each in enumerate(setup["clients"], start=1)
        ]
        step(f"{len(clients)} clients log in")
        log_in_all(base, clients, password)
        public = [page for page in PUBLIC_PAGES if requests.get(base + page, timeout=60).status_code != 404]
        dashboard = f"/uppfoljning/{setup['promise']}/"
        step(f"Load for {seconds:.0f} s; public pages {', '.join(public)}; one worker killed at {seconds / 2:.0f} s")
        kill = Kill()
        load_before = os.getloadavg()[0]
        run_load(base, clients, public, dashboard, seconds, server.pid, kill)
        step("Counting records")
        records = manage_json(environment, "soak_records", f"--prefix={SUMMARY_PREFIX}")
        results = [result for client in clients for result in client.results]
        verdict = report(
            results,
            records,
            kill,
            seconds=seconds,
            clients=len(clients),
            workers=workers,
            name=name,
            load=(load_before, os.getloadavg()[0]),
        )
    except DrillError as error:
        print(f"\nThe drill could not run: {error}", file=sys.stderr)
        verdict = 2
    finally:
        if server is not None:
            stop_gunicorn(server)
        if verdict != 0 and (work / "gunicorn.log").exists():
            print(f"\nLast lines of {work / 'gunicorn.log'}:")
            print("".join((work / "gunicorn.log").read_text(errors="replace").splitlines(keepends=True)[-40:]))
        if keep:
            print(f"Kept database {name}.")
        else:
            try:
                drop_database(database_url)
            except DrillError as error:
                print(f"Could not drop {name}: {error}", file=sys.stderr)
        if verdict == 0:
            for path in work.iterdir():
                path.unlink()
            work.rmdir()
    return verdict


# --- Clients --------------------------------------------------------------------------------------------------------


def log_in_all(base, clients, password):
    """Logs every client in, in parallel (each log-in checks a password at production strength), before the clock."""
    errors = []

    def log_in_client(client):
        try:
            if not client.activities:
                raise DrillError(f"{client.username} may log no 2020 activity")
            log_in(client.session, base, client.username, password, timeout=120)
            client.token = form_token(client.session, base, f"/aktiviteter/{client.activities[0]}/logga/", timeout=120)
        except (DrillError, requests.RequestException) as error:
            errors.append(f"{client.username}: {error}")

    threads = [threading.Thread(target=log_in_client, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise DrillError("log-in failed: " + "; ".join(errors[:5]))


def run_load(base, clients, public, dashboard, seconds, master_pid, kill):
    """Every client sends requests back to back until the time is up; one worker is killed half-way."""
    started = time.monotonic()
    deadline = started + seconds

    def killer():
        time.sleep(seconds / 2)
        before = workers_of(master_pid)
        if not before:
            return
        kill.pid = random.choice(sorted(before))  # noqa: S311 - picking a worker, not a secret
        kill.at = time.monotonic() - started
        os.kill(kill.pid, signal.SIGKILL)
        while time.monotonic() < deadline + 10:
            new = workers_of(master_pid) - before
            if new:
                kill.replacement = new.pop()
                kill.replaced_after = time.monotonic() - started - kill.at
                return
            time.sleep(0.05)

    def load(client):
        randomness = random.Random(client.number)  # noqa: S311 - a load mix, not a secret
        staff_page = dashboard if client.coordinator else MY_ACTIVITIES
        staff_kind = "dashboard" if client.coordinator else "my activities"
        sent = 0
        while time.monotonic() < deadline:
            if randomness.random() < POST_SHARE:
                sent += 1
                post_record(base, client, randomness, sent, started)
            elif public and randomness.random() < 0.5:
                page = randomness.choice(public)
                client.results.append(request(client.public, "GET", base + page, f"public {page}", started))
            else:
                client.results.append(request(client.session, "GET", base + staff_page, staff_kind, started))

    threads = [threading.Thread(target=load, args=(client,)) for client in clients]
    threads.append(threading.Thread(target=killer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def post_record(base, client, randomness, number, started):
    """One log-form POST; if its connection is lost, the same form (same submission key) once more."""
    activity = randomness.choice(client.activities)
    summary = f"{SUMMARY_PREFIX}{client.number:02d}-{number:05d}"
    occurred_on = datetime.date(2020, 1, 1) + datetime.timedelta(days=randomness.randrange(366))
    data = {
        "csrfmiddlewaretoken": client.token,
        "activity": str(activity),
        "occurred_on": occurred_on.isoformat(),
        "quantity": "1",
        "place": "",
        "place_text": "",
        "summary": summary,
        "submission_key": str(uuid.UUID(int=randomness.getrandbits(128), version=4)),
    }
    url = f"{base}/aktiviteter/{activity}/logga/"
    result = request(client.session, "POST", url, "log form POST", started, data=data, summary=summary)
    client.results.append(result)
    if result.status is None:
        client.results.append(
            request(client.session, "POST", url, "log form POST, sent again", started, data=data, summary=summary)
        )


def request(session, method, url, kind, started, data=None, summary=""):
    sent_at, begin = time.time(), time.monotonic()
    try:
        response = session.request(method, url, data=data, allow_redirects=False, timeout=(10, 60))
    except requests.RequestException as error:
        end = time.monotonic() - started
        return Result(kind, None, type(error).__name__, begin - started, end, summary, sent_at=sent_at)
    end = time.monotonic() - started
    result = Result(kind, response.status_code, "", begin - started, end, summary, sent_at=sent_at)
    if method == "POST":
        result.acknowledged = response.status_code == 302 and urlsplit(
            response.headers.get("Location", "")
        ).path.endswith(MY_ACTIVITIES)
    return result


# --- Verdict --------------------------------------------------------------------------------------------------------


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(results, records, kill, *, seconds, clients, workers, name, load):
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    header = f"{'kind':<28}{'requests':>9}{'2xx/3xx':>9}{'4xx':>6}{'5xx':>6}{'no answer':>11}{'p50 ms':>9}{'p95 ms':>9}"
    lines = [header, "-" * len(header)]
    for kind, rows in [*sorted(by_kind.items()), ("all", results)]:
        statuses = [row.status for row in rows]
        answered = [row.latency * 1000 for row in rows if row.status is not None]
        lines.append(
            f"{kind:<28}{len(rows):>9}{sum(1 for s in statuses if s and s < 400):>9}"
            f"{sum(1 for s in statuses if s and 400 <= s < 500):>6}{sum(1 for s in statuses if s and s >= 500):>6}"
            f"{statuses.count(None):>11}{percentile(answered, 0.50):>9.0f}{percentile(answered, 0.95):>9.0f}"
        )

    posts = [result for result in results if result.kind.startswith("log form POST")]
    submissions = {result.summary for result in posts}
    acknowledged = {result.summary for result in posts if result.acknowledged}
    unanswered = {result.summary for result in posts if result.status is None} - acknowledged
    dropped = {result.summary for result in posts if result.status is None and result.kind == "log form POST"}
    in_database = Counter(summary for summary, _created in records)
    created = dict(records)
    # A resent POST whose record is older than the resend: the first POST had committed before its worker died, and
    # the resend found the record by its submission key instead of storing a second one.
    resends = [r for r in posts if r.kind != "log form POST" and r.acknowledged and r.summary in created]
    committed_first = sum(1 for r in resends if created[r.summary] < r.sent_at)
    duplicates = sum(count - 1 for count in in_database.values() if count > 1)
    missing = acknowledged - set(in_database)
    unexplained = set(in_database) - acknowledged - unanswered
    no_answer = [result for result in results if result.status is None]
    outside = [r for r in no_answer if not (kill.pid and kill.at <= r.ended <= kill.at + KILL_WINDOW)]
    server_errors = sum(1 for result in results if result.status and result.status >= 500)
    client_errors = sum(1 for result in results if result.status and 400 <= result.status < 500)
    refused_posts = [r for r in posts if r.status is not None and not r.acknowledged]
    bounds_hold = len(acknowledged) <= len(records) <= len(acknowledged) + len(unanswered)
    elapsed = max((result.ended for result in results), default=seconds)

    print()
    print(
        f"Load and crash drill, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}: {clients} "
        f"clients for {seconds:.0f} s against gunicorn ({workers} sync workers, production settings) and "
        f"PostgreSQL ({name})."
    )
    if kill.pid:
        replaced = (
            f"the master had a new worker (pid {kill.replacement}) {kill.replaced_after:.2f} s later"
            if kill.replaced_after is not None
            else "no new worker appeared"
        )
        print(f"Worker pid {kill.pid} killed with SIGKILL at {kill.at:.1f} s; {replaced}.")
    print(
        f"{len(results)} requests in {elapsed:.1f} s: {len(results) / elapsed:.1f} requests/s. "
        f"Load average (1 min) {load[0]:.1f} as the load began, {load[1]:.1f} at its end."
    )
    print()
    print("\n".join(lines))
    print()
    figures = [
        ("log-form POSTs (submissions)", len(submissions)),
        ("  lost their connection (killed worker)", len(dropped)),
        ("  acknowledged (302 to Mina aktiviteter)", len(acknowledged)),
        ("  acknowledged only when sent again", len(dropped & acknowledged)),
        ("    of which the lost POST had already committed", committed_first),
        ("  never answered", len(unanswered)),
        ("  answered but not acknowledged", len({r.summary for r in refused_posts} - acknowledged)),
        ("records in the database", len(records)),
        ("records twice (same summary)", duplicates),
        ("acknowledged but not in the database", len(missing)),
        ("in the database but neither acknowledged nor unanswered", len(unexplained)),
        ("5xx responses", server_errors),
        ("4xx responses", client_errors),
        ("no answer, in the kill window", len(no_answer) - len(outside)),
        ("no answer, outside the kill window", len(outside)),
    ]
    for label, value in figures:
        print(f"{label:<58}{value:>8}")
    print(
        f"Rule: acknowledged <= records <= acknowledged + never answered: {len(acknowledged)} <= {len(records)} <= "
        f"{len(acknowledged) + len(unanswered)}: {'holds' if bounds_hold else 'BROKEN'}. "
        f"Records = acknowledged POSTs: {'yes' if len(records) == len(acknowledged) else 'no'}."
    )

    failures = []
    if server_errors:
        failures.append(f"{server_errors} responses with status 5xx")
    if client_errors:
        failures.append(f"{client_errors} responses with status 4xx")
    if refused_posts:
        failures.append(f"{len(refused_posts)} POSTs answered without being acknowledged")
    if outside:
        failures.append(f"{len(outside)} requests without an answer outside the kill window")
    if not bounds_hold or missing or unexplained:
        failures.append("records and acknowledged POSTs disagree")
    if duplicates:
        failures.append(f"{duplicates} records stored twice")
    if not kill.pid:
        failures.append("no worker was killed")
    elif kill.replaced_after is None:
        failures.append("the master did not replace the killed worker")
    print()
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
