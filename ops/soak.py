"""Load and crash drill (``make soak``; docs/OPERATIONS.md, "Load and crash drill").

Runs the portal as production does, gunicorn with production settings (DEBUG off, a random SECRET_KEY) on a fresh
PostgreSQL database, and puts it under load: SOAK_CLIENTS clients (50), each logged in with its own session, for
SOAK_SECONDS seconds (60), sending requests back to back: 30 % log-form POSTs (a 2020 record with a unique summary
"soak <client>-<n>" and a new submission key) and 70 % reads (half the client's own staff page, "Mina aktiviteter"
or a coordinator's dashboard, half the public pages without a session). Half-way through, one gunicorn worker is
killed with SIGKILL; the master starts a new one.

With ``--servers 2`` (``make soak SERVERS=2``) two gunicorn servers on two ports share the database and a Redis
cache (SOAK_REDIS_URL, as production's CACHE_URL: cached pages, figures and fragments, and sessions in cached_db),
as two app servers behind a load balancer do: every request goes to either server at random, so a session made on
one is used on the other, and one worker of each server is killed, the first's at a third of the run, the second's
at two thirds. The soak starts nothing but the gunicorns: PostgreSQL and Redis must already run.

A request the killed worker was serving loses its connection. A client whose log-form POST loses its connection does
what a person does when the page does not come back: sends the same form again, with the same submission key, once.
The submission key makes that safe: if the first POST committed before the worker died, the second finds its record.

The stale-read check: every staff page read ("Mina aktiviteter": each activity's total; the dashboard: the
promise's total) must show every record whose POST was acknowledged before the read was sent, and no more than
every record whose POST had been sent by the time it was answered. Right after each acknowledged POST the client
reads its staff page through the other server (with one server: the same one), which is where a cache that is not
shared would show the figure from before the write.

Pass, as printed at the end:
- no 5xx response and no 4xx response, every staff page answered 200 (not a redirect to the log-in: the session
  held on either server); connection errors only in the seconds after a kill, on the server that lost a worker;
- every acknowledged POST (302 to "Mina aktiviteter") has its record in the database, and the only records beyond
  those are of POSTs that never got an answer: acknowledged <= records <= acknowledged + never acknowledged
  (a POST whose answer was lost may or may not have committed). The issue's "records = POSTs with a success
  response" holds whenever every POST got an answer in the end, which the resend makes the normal case;
- no record twice (no summary appears twice);
- no stale read, no figure above what was sent, and no staff page without its figures.

Environment: SOAK_SECONDS (60), SOAK_CLIENTS (50), SOAK_WORKERS (4, per server), SOAK_SERVERS (1; ``--servers``
wins), SOAK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/portal_ops_soak; dropped and created again, so its name
must contain "soak"), SOAK_REDIS_URL (redis://127.0.0.1:6379/13, with two servers: a database number of its own;
the run's keys carry a prefix of their own and are deleted at the end, nothing else is touched),
SOAK_KEEP_DATABASE=1 to keep the database afterwards. Exit status: 0 pass, 1 fail, 2 the drill could not run.

Run from the project root as ``python -m ops.soak [--servers 2]``. What runs inside Django is done by the management
commands ``soak_setup`` (the clients' users) and ``soak_records`` (the records, for the verdict); ``ops.harness``
holds what this drill shares with the benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import random
import re
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
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
POST_SHARE = 0.30
COORDINATOR_EVERY = 5  # every fifth client is a coordinator (reads the dashboard), the others recorders
PUBLIC_PAGES = ["/", "/strangnas/", "/strangnas/2020/"]  # those that answer 404 (not built yet) are left out
KILL_WINDOW = 3.0  # seconds after the kill in which a lost connection counts as lost on the killed worker
MY_ACTIVITIES = "/mina-aktiviteter/"
SUMMARY_PREFIX = "soak "

# What the stale-read check reads of the staff pages: on "Mina aktiviteter" each activity's entry (its log link
# names it) and the first number of its target line, the total so far; on the dashboard the last number in the
# quantities table's footer, the promise's total.
ACTIVITY_ENTRY = re.compile(r'<li\b[^>]*\bclass="[^"]*\bactivity\b[^"]*"[^>]*>(.*?)</li>', re.DOTALL)
LOG_LINK = re.compile(r'href="/aktiviteter/(\d+)/logga/"')
TARGET_LINE = re.compile(r'class="[^"]*\bactivity__target\b[^"]*"[^>]*>(.*?)</p>', re.DOTALL)
TABLE_FOOTER = re.compile(r"<tfoot\b.*?</tfoot>", re.DOTALL)
NUMBER = re.compile(r"\d+")
TAG = re.compile(r"<[^>]+>")
# The public check: the first coordinator changes the municipality's contact phone, which its public pages show (and
# serve from copies kept under its data version), to "+46 70 000 <n>" for the n-th change.
CONTACT_FORM = "/arbetsyta/kommuner/strangnas/"
CONTACT_SAVED = "/arbetsyta/kommuner/"
CONTACT_PAGES = ["/strangnas/", "/strangnas/2020/"]  # the public pages that show the contact (not the home page)
CONTACT_PHONE = "+46 70 000 {}"
CONTACT_SHOWN = re.compile(r"\+46 70 000 (\d+)")
CONTACT_SHARE = 0.2  # of the first coordinator's turns
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'\b(name|value|type)="([^"]*)"')
TEXTAREA = re.compile(r'<textarea\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', re.DOTALL)


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
    server: int = 1
    body: str = ""  # a staff page's text, for the stale-read check (dropped once checked)
    location: str = ""

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
class Server:
    number: int  # 1, 2, …
    port: int
    process: object
    log: Path
    kill: Kill = field(default_factory=Kill)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"


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


@dataclass
class Check:
    """One staff page read, held against what had been written when it was sent and when it was answered."""

    page: str  # "my activities" or "dashboard"
    written_on: int | None  # the server the POST just before went to (a read right after a write), else None
    read_on: int
    figures: dict | None  # {activity id or "total": figure shown}; None: the page had none to read
    lowest: dict  # the same keys: what every acknowledged write before the read adds up to
    highest: dict  # ... and every write sent before its answer came

    @property
    def stale(self):
        return self.figures is not None and any(self.figures[key] < self.lowest[key] for key in self.figures)

    @property
    def ahead(self):
        return self.figures is not None and any(self.figures[key] > self.highest[key] for key in self.figures)


class Truth:
    """What the soak knows was written: the figures before the load, the writes sent and those acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.base = {}  # activity id -> its total on "Mina aktiviteter" before the load; "total" -> the dashboard's
        self.sent = Counter()  # activity id (and "total") -> submissions sent (a resend is the same submission)
        self.acknowledged = Counter()  # ... -> submissions acknowledged
        self.acknowledged_summaries = set()
        self.checks = []

    def note_base(self, figures):
        with self.lock:
            for key, value in figures.items():
                if self.base.setdefault(key, value) != value:
                    raise DrillError(f"two readings of {key} before the load disagree: {self.base[key]} and {value}")

    def sending(self, activity):
        with self.lock:
            self.sent[activity] += 1
            self.sent["total"] += 1

    def acknowledge_contact(self, number):
        """The n-th contact change was saved: every public page read from now on must show it, or a later one."""
        with self.lock:
            self.acknowledged["contact"] = max(self.acknowledged["contact"], number)

    def acknowledge(self, activity, summary):
        with self.lock:
            if summary not in self.acknowledged_summaries:
                self.acknowledged_summaries.add(summary)
                self.acknowledged[activity] += 1
                self.acknowledged["total"] += 1

    def bounds(self, counter):
        with self.lock:
            return {key: value + counter[key] for key, value in self.base.items()}

    def record(self, check):
        with self.lock:
            self.checks.append(check)


def read_figures(page, text):
    """The figures a staff page shows ({activity id: total} or {"total": total}), or None when it shows none."""
    if page == "public":
        shown = CONTACT_SHOWN.search(text)
        return {"contact": int(shown.group(1)) if shown else 0}
    if page == "dashboard":
        footer = TABLE_FOOTER.search(text)
        numbers = NUMBER.findall(TAG.sub(" ", footer.group(0))) if footer else []
        return {"total": int(numbers[-1])} if numbers else None
    figures = {}
    for entry in ACTIVITY_ENTRY.findall(text):
        link, line = LOG_LINK.search(entry), TARGET_LINE.search(entry)
        number = NUMBER.search(html.unescape(TAG.sub(" ", line.group(1)))) if line else None
        if link and number:
            figures[int(link.group(1))] = int(number.group(0))
    return figures or None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m ops.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--servers",
        type=int,
        choices=(1, 2),
        default=int(os.environ.get("SOAK_SERVERS", "1")),
        help="gunicorn servers sharing the database (and, with two, Redis): 1 (default) or 2",
    )
    arguments = parser.parse_args(argv)
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    client_count = int(os.environ.get("SOAK_CLIENTS", "50"))
    workers = int(os.environ.get("SOAK_WORKERS", "4"))
    database_url = os.environ.get("SOAK_DATABASE_URL", DEFAULT_DATABASE_URL)
    redis_url = os.environ.get("SOAK_REDIS_URL", DEFAULT_REDIS_URL) if arguments.servers > 1 else None
    keep = os.environ.get("SOAK_KEEP_DATABASE") == "1"
    try:
        name = drill_database(database_url, "soak", "SOAK_DATABASE_URL")
        # A key prefix of the run's own (Django's KEY_PREFIX comes from RELEASE): other runs' keys are never read.
        cache_prefix = f"soak-{secrets.token_hex(6)}"
        if redis_url:
            check_redis(redis_url)
    except DrillError as error:
        print(error)
        return 2

    work = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    password = secrets.token_urlsafe(16)
    # One environment for every server: the same SECRET_KEY (sessions, CSRF tokens) and the same release.
    shared = {"CACHE_URL": redis_url, "RELEASE": cache_prefix} if redis_url else {}
    environment = production_environment(DATABASE_URL=database_url, **shared)
    servers = []
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
        for number in range(1, arguments.servers + 1):
            port = free_port()
            log = work / f"gunicorn-{number}.log"
            shares = f", sharing PostgreSQL and Redis ({redis_url}, key prefix {cache_prefix})" if redis_url else ""
            step(f"Server {number}: gunicorn with {workers} workers on 127.0.0.1:{port}{shares} (log: {log})")
            servers.append(Server(number, port, start_gunicorn(environment, port, workers, log), log))
        for server in servers:
            wait_until_up(server.base, server.process, timeout=180, probe_timeout=60)
        clients = [
            Client(number, each["username"], each["coordinator"], each["activities"])
            for number, each in enumerate(setup["clients"], start=1)
        ]
        dashboard = f"/uppfoljning/{setup['promise']}/"
        truth = Truth()
        step(f"{len(clients)} clients log in, each through the server it starts on; figures before the load")
        log_in_all(servers, clients, password, dashboard, truth)
        public = [page for page in PUBLIC_PAGES if requests.get(servers[0].base + page, timeout=60).status_code != 404]
        kills = ", ".join(f"server {s.number}'s at {kill_time(s, servers, seconds):.0f} s" for s in servers)
        step(f"Load for {seconds:.0f} s; public pages {', '.join(public)}; one worker killed: {kills}")
        load_before = os.getloadavg()[0]
        run_load(servers, clients, public, dashboard, seconds, truth)
        step("Counting records")
        records = manage_json(environment, "soak_records", f"--prefix={SUMMARY_PREFIX}")
        results = [result for client in clients for result in client.results]
        verdict = report(
            results,
            records,
            servers,
            truth,
            seconds=seconds,
            clients=len(clients),
            workers=workers,
            name=name,
            redis_url=redis_url,
            load=(load_before, os.getloadavg()[0]),
        )
    except DrillError as error:
        print(f"\nThe drill could not run: {error}", file=sys.stderr)
        verdict = 2
    finally:
        for server in servers:
            stop_gunicorn(server.process)
        for server in servers:
            if verdict != 0 and server.log.exists():
                print(f"\nLast lines of {server.log}:")
                print("".join(server.log.read_text(errors="replace").splitlines(keepends=True)[-40:]))
        if redis_url:
            forget_cache(redis_url, cache_prefix)
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


# --- Redis ----------------------------------------------------------------------------------------------------------


def _redis(url):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=10, socket_timeout=30)


def check_redis(url):
    """Redis must already run: the soak starts nothing but the gunicorns."""
    import redis

    try:
        _redis(url).ping()
    except redis.RedisError as error:
        raise DrillError(
            f"Redis does not answer at {url} ({error}): the two-server soak needs the shared cache running "
            "(SOAK_REDIS_URL; it starts nothing but the gunicorns)"
        ) from error


def forget_cache(url, prefix):
    """Deletes the run's keys (Django's keys are "<prefix>:<version>:<key>"), and nothing else."""
    import redis

    try:
        connection = _redis(url)
        keys = list(connection.scan_iter(match=f"{prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            connection.delete(*keys[start : start + 1000])
    except redis.RedisError as error:
        print(f"Could not delete the run's keys ({prefix}:*) from {url}: {error}", file=sys.stderr)


# --- Clients --------------------------------------------------------------------------------------------------------


def staff_page(client, dashboard):
    return (dashboard, "dashboard") if client.coordinator else (MY_ACTIVITIES, "my activities")


def log_in_all(servers, clients, password, dashboard, truth):
    """Logs every client in, in parallel (each log-in checks a password at production strength), before the clock,
    and reads each client's staff page once: the figures before the load, which the stale-read check adds to."""
    errors = []
    publisher = first_coordinator(clients)

    def log_in_client(client):
        server = servers[client.number % len(servers)]
        try:
            if not client.activities:
                raise DrillError(f"{client.username} may log no 2020 activity")
            log_in(client.session, server.base, client.username, password, timeout=120)
            client.token = form_token(
                client.session, server.base, f"/aktiviteter/{client.activities[0]}/logga/", timeout=120
            )
            path, page = staff_page(client, dashboard)
            response = client.session.get(server.base + path, allow_redirects=False, timeout=120)
            figures = read_figures(page, response.text) if response.status_code == 200 else None
            if figures is None:
                raise DrillError(f"no figures to check on {path} (status {response.status_code})")
            truth.note_base(figures)
            if client is publisher:
                for where in CONTACT_PAGES:
                    response = client.public.get(server.base + where, timeout=120)
                    if response.status_code != 200:
                        raise DrillError(f"the public page {where} answered {response.status_code}")
                    truth.note_base(read_figures("public", response.text))
        except (DrillError, requests.RequestException) as error:
            errors.append(f"{client.username}: {error}")

    threads = [threading.Thread(target=log_in_client, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise DrillError("log-in failed: " + "; ".join(errors[:5]))


def first_coordinator(clients):
    """The client that changes the municipality's contact (one only: its changes are then saved in the order sent)."""
    return next((client for client in clients if client.coordinator), None)


def kill_time(server, servers, seconds):
    """When the server loses its worker: half-way with one server; at a third and two thirds with two."""
    return seconds * server.number / (len(servers) + 1)


def run_load(servers, clients, public, dashboard, seconds, truth):
    """Every client sends requests back to back, each to any server, until the time is up; each server loses one
    worker once."""
    started = time.monotonic()
    deadline = started + seconds

    def killer(server):
        time.sleep(kill_time(server, servers, seconds))
        master_pid = server.process.pid
        before = workers_of(master_pid)
        if not before:
            return
        kill = server.kill
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

    publisher = first_coordinator(clients)

    def load(client):
        randomness = random.Random(client.number)  # noqa: S311 - a load mix, not a secret
        path, page = staff_page(client, dashboard)
        sent = 0
        while time.monotonic() < deadline:
            server = randomness.choice(servers)
            if client is publisher and (not truth.sent["contact"] or randomness.random() < CONTACT_SHARE):
                written_on = change_contact(server, client, started, truth)
                if written_on is not None:
                    # Right after the change, a visitor without a session reads a public page through the other server.
                    other = servers[written_on % len(servers)]
                    where = randomness.choice(CONTACT_PAGES)
                    check_page(other, client, where, "public", started, truth, written_on=written_on)
            elif randomness.random() < POST_SHARE:
                sent += 1
                written_on = post_record(server, client, randomness, sent, started, truth)
                if written_on is not None:
                    # Right after the write, through the other server: where a cache not shared would be stale.
                    other = servers[written_on % len(servers)]
                    check_page(other, client, path, page, started, truth, written_on=written_on)
            elif public and randomness.random() < 0.5:
                where = randomness.choice(public)
                if where in CONTACT_PAGES and "contact" in truth.base:
                    check_page(server, client, where, "public", started, truth)
                else:
                    client.results.append(
                        request(client.public, "GET", server.base + where, f"public {where}", started, server=server)
                    )
            else:
                check_page(server, client, path, page, started, truth)

    threads = [threading.Thread(target=load, args=(client,)) for client in clients]
    threads += [threading.Thread(target=killer, args=(server,)) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def check_page(server, client, path, page, started, truth, *, written_on=None):
    """Reads the client's staff page (or, ``page`` "public", a public page without a session) and holds its figures
    against what had been written (the stale-read check)."""
    lowest = truth.bounds(truth.acknowledged)
    if page == "public":
        session, kind = client.public, f"public {path}" + (", read after a contact change" if written_on else "")
    else:
        session, kind = client.session, f"{page}, read after a write" if written_on is not None else page
    result = request(session, "GET", server.base + path, kind, started, server=server, keep_body=True)
    client.results.append(result)
    if result.status is None:
        return  # no answer: counted with the requests without one
    highest = truth.bounds(truth.sent)
    figures = read_figures(page, result.body) if result.status == 200 else None
    result.body = ""
    keys = figures.keys() & lowest.keys() if figures else ()
    shown = {key: figures[key] for key in keys} if keys else None
    truth.record(
        Check(
            page,
            written_on,
            server.number,
            shown,
            {key: lowest[key] for key in keys},
            {key: highest[key] for key in keys},
        )
    )


def form_fields(text):
    """What a browser would send back of a page's forms as they stand: the inputs' values (not buttons, boxes or
    radios, which the contact form has none of) and the text areas' text."""
    data = {}
    for tag in INPUT.findall(text):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes and attributes.get("type") not in ("submit", "checkbox", "radio"):
            data[attributes["name"]] = html.unescape(attributes.get("value", ""))
    for name, content in TEXTAREA.findall(text):
        data[name] = html.unescape(content).removeprefix("\n")
    return data


def change_contact(server, client, started, truth):
    """The contact form opened and sent again with the next phone number, through one server. The number of the
    server that acknowledged it (302 to the municipalities' list), or None."""
    opened = request(
        client.session, "GET", server.base + CONTACT_FORM, "contact form", started, server=server, keep_body=True
    )
    client.results.append(opened)
    if opened.status != 200:
        return None
    data = form_fields(opened.body)
    opened.body = ""
    with truth.lock:
        truth.sent["contact"] += 1
        number = truth.sent["contact"]
    data["contact_phone"] = CONTACT_PHONE.format(number)
    result = request(
        client.session, "POST", server.base + CONTACT_FORM, "contact change POST", started, data=data, server=server
    )
    client.results.append(result)
    result.acknowledged = result.status == 302 and urlsplit(result.location).path.endswith(CONTACT_SAVED)
    if not result.acknowledged:
        return None
    truth.acknowledge_contact(number)
    return server.number


def post_record(server, client, randomness, number, started, truth):
    """One log-form POST; if its connection is lost, the same form (same submission key) once more, to the same
    server. The number of the server that acknowledged it, or None."""
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
    url = f"{server.base}/aktiviteter/{activity}/logga/"
    truth.sending(activity)
    result = request(client.session, "POST", url, "log form POST", started, data=data, summary=summary, server=server)
    client.results.append(result)
    if result.status is None:
        result = request(
            client.session, "POST", url, "log form POST, sent again", started, data=data, summary=summary, server=server
        )
        client.results.append(result)
    if not result.acknowledged:
        return None
    truth.acknowledge(activity, summary)
    return server.number


def request(session, method, url, kind, started, data=None, summary="", *, server, keep_body=False):
    sent_at, begin = time.time(), time.monotonic()
    try:
        response = session.request(method, url, data=data, allow_redirects=False, timeout=(10, 60))
    except requests.RequestException as error:
        end = time.monotonic() - started
        return Result(
            kind, None, type(error).__name__, begin - started, end, summary, sent_at=sent_at, server=server.number
        )
    end = time.monotonic() - started
    result = Result(
        kind, response.status_code, "", begin - started, end, summary, sent_at=sent_at, server=server.number
    )
    if keep_body:
        result.body = response.text
    result.location = response.headers.get("Location", "")
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


def in_kill_window(result, servers):
    kill = servers[result.server - 1].kill
    return bool(kill.pid) and kill.at <= result.ended <= kill.at + KILL_WINDOW


def report(results, records, servers, truth, *, seconds, clients, workers, name, redis_url, load):
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    header = f"{'kind':<34}{'requests':>9}{'2xx/3xx':>9}{'4xx':>6}{'5xx':>6}{'no answer':>11}{'p50 ms':>9}{'p95 ms':>9}"
    lines = [header, "-" * len(header)]
    for kind, rows in [*sorted(by_kind.items()), ("all", results)]:
        statuses = [row.status for row in rows]
        answered = [row.latency * 1000 for row in rows if row.status is not None]
        lines.append(
            f"{kind:<34}{len(rows):>9}{sum(1 for s in statuses if s and s < 400):>9}"
            f"{sum(1 for s in statuses if s and 400 <= s < 500):>6}{sum(1 for s in statuses if s and s >= 500):>6}"
            f"{statuses.count(None):>11}{percentile(answered, 0.50):>9.0f}{percentile(answered, 0.95):>9.0f}"
        )
    if len(servers) > 1:
        for server in servers:
            mine = [result for result in results if result.server == server.number]
            lines.append(f"{'  through server ' + str(server.number):<34}{len(mine):>9}")

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
    outside = [r for r in no_answer if not in_kill_window(r, servers)]
    server_errors = sum(1 for result in results if result.status and result.status >= 500)
    client_errors = sum(1 for result in results if result.status and 400 <= result.status < 500)
    refused_posts = [r for r in posts if r.status is not None and not r.acknowledged]
    staff_reads = [r for r in results if r.kind.startswith(("my activities", "dashboard", "contact form"))]
    contact_changes = [r for r in results if r.kind == "contact change POST"]
    refused_changes = [r for r in contact_changes if r.status is not None and not r.acknowledged]
    staff_not_200 = [r for r in staff_reads if r.status is not None and r.status != 200]
    bounds_hold = len(acknowledged) <= len(records) <= len(acknowledged) + len(unanswered)
    elapsed = max((result.ended for result in results), default=seconds)
    checks = truth.checks
    public_checks = [check for check in checks if check.page == "public"]
    checks = [check for check in checks if check.page != "public"]
    after_change = [check for check in public_checks if check.written_on is not None]
    public_stale = [check for check in public_checks if check.stale]
    public_ahead = [check for check in public_checks if check.ahead]
    after_write = [check for check in checks if check.written_on is not None]
    across = [check for check in after_write if check.read_on != check.written_on]
    stale = [check for check in checks if check.stale]
    ahead = [check for check in checks if check.ahead]
    unreadable = [check for check in truth.checks if check.figures is None]

    print()
    shared = f" and Redis ({redis_url})" if redis_url else ""
    print(
        f"Load and crash drill, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}: {clients} "
        f"clients for {seconds:.0f} s against {len(servers)} gunicorn server{'s' if len(servers) > 1 else ''} "
        f"({workers} sync workers each, production settings) sharing PostgreSQL ({name}){shared}."
    )
    for server in servers:
        kill = server.kill
        if kill.pid:
            replaced = (
                f"the master had a new worker (pid {kill.replacement}) {kill.replaced_after:.2f} s later"
                if kill.replaced_after is not None
                else "no new worker appeared"
            )
            print(f"Server {server.number}: worker pid {kill.pid} killed with SIGKILL at {kill.at:.1f} s; {replaced}.")
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
        ("staff pages answered other than 200 (session lost?)", len(staff_not_200)),
        ("no answer, in the kill window", len(no_answer) - len(outside)),
        ("no answer, outside the kill window", len(outside)),
        ("staff pages read and checked against the writes", len(checks)),
        ("  read right after an acknowledged write", len(after_write)),
        ("    of which through the other server", len(across)),
        ("  stale: an acknowledged write missing from a figure", len(stale)),
        ("  ahead: a figure above every write sent", len(ahead)),
        ("  without figures to check", len(unreadable)),
        ("contact changes (public pages) sent", len(contact_changes)),
        ("  acknowledged (302 to the municipalities)", sum(1 for r in contact_changes if r.acknowledged)),
        ("public pages read and checked against the contact changes", len(public_checks)),
        ("  read right after a change", len(after_change)),
        ("    of which through the other server", sum(1 for c in after_change if c.read_on != c.written_on)),
        ("  stale: showing a contact older than the last saved", len(public_stale)),
        ("  ahead: showing a contact never sent", len(public_ahead)),
    ]
    for label, value in figures:
        print(f"{label:<58}{value:>8}")
    print(
        f"Rule: acknowledged <= records <= acknowledged + never answered: {len(acknowledged)} <= {len(records)} <= "
        f"{len(acknowledged) + len(unanswered)}: {'holds' if bounds_hold else 'BROKEN'}. "
        f"Records = acknowledged POSTs: {'yes' if len(records) == len(acknowledged) else 'no'}."
    )
    for check in (stale + public_stale)[:5]:
        print(f"Stale read on server {check.read_on} ({check.page}): shown {check.figures}, at least {check.lowest}.")
    print(f"Lost {len(missing)}, doubled {duplicates}, stale reads {len(stale) + len(public_stale)}.")

    failures = []
    if server_errors:
        failures.append(f"{server_errors} responses with status 5xx")
    if client_errors:
        failures.append(f"{client_errors} responses with status 4xx")
    if staff_not_200:
        failures.append(f"{len(staff_not_200)} staff pages answered other than 200")
    if refused_posts:
        failures.append(f"{len(refused_posts)} POSTs answered without being acknowledged")
    if outside:
        failures.append(f"{len(outside)} requests without an answer outside the kill window")
    if not bounds_hold or missing or unexplained:
        failures.append("records and acknowledged POSTs disagree")
    if duplicates:
        failures.append(f"{duplicates} records stored twice")
    if stale or public_stale:
        failures.append(f"{len(stale) + len(public_stale)} stale reads")
    if ahead or public_ahead:
        failures.append(f"{len(ahead) + len(public_ahead)} figures above every write sent")
    if refused_changes:
        failures.append(f"{len(refused_changes)} contact changes answered without being acknowledged")
    if contact_changes and not after_change:
        failures.append("no public page was read right after a contact change")
    if unreadable:
        failures.append(f"{len(unreadable)} staff pages without figures to check")
    if not after_write or (len(servers) > 1 and not across):
        failures.append(
            "no staff page was read right after a write" + (" through the other server" if after_write else "")
        )
    for server in servers:
        if not server.kill.pid:
            failures.append(f"no worker of server {server.number} was killed")
        elif server.kill.replaced_after is None:
            failures.append(f"server {server.number}'s master did not replace the killed worker")
    print()
    print("PASS" if not failures else "FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
