"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright cannot download its own browsers here, so the tests launch the Chromium that
`apt-get install chromium` puts at /usr/bin/chromium (or wherever CHROMIUM_PATH points). Without it the
browser tests are skipped, unless CI or REQUIRE_BROWSER is set: then they fail, so that CI never passes
without having driven a browser.

Every page may load only from the live server: any request to another host is aborted and fails the test.
"""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from pytest_django.plugin import pytest_collection_modifyitems as django_order

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls from a thread with
# a running loop. The loop only drives the browser, so the ORM calls the tests make are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_TESTS = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail fast: nothing on a local live server should take anywhere near this long.
TIMEOUT_MS = 10_000


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def chromium_missing():
    """Why the browser tests cannot run, or None when Chromium is there."""
    path = chromium_path()
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return None
    return (
        f"Chromium is not at {path}: the browser tests need it. "
        "apt-get install chromium, or set CHROMIUM_PATH to a Chromium executable."
    )


def browser_required():
    return any(os.environ.get(name, "").lower() not in ("", "0", "false", "no") for name in ("CI", "REQUIRE_BROWSER"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's.
    for item in items:
        if BROWSER_TESTS in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
    # pytest-django runs the tests that roll back before those that commit (browser tests, drills), because a
    # committing test empties every table when it ends, rows made by data migrations included. pytest then
    # regroups the items by parametrized session fixtures (pytest-playwright's browser_name), which moves the
    # browser tests in among the others. Sort again, the way pytest-django does: the sort is stable.
    django_order(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: launching a missing browser would only give a less helpful error.
    if item.get_closest_marker("browser") is None:
        return
    reason = chromium_missing()
    if reason is None:
        return
    if browser_required():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _browser_test_database(live_server, transactional_db):
    """The live server runs in another thread and sees only committed data: every browser test needs both."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
        # pytest-playwright sets headless=False only for --headed.
        "headless": browser_type_launch_args.get("headless", True),
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server: page.goto("/")."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "timezone_id": "Europe/Stockholm"}


@pytest.fixture
def blocked_requests():
    """URLs the browser tried to load from a host other than the live server."""
    return []


@pytest.fixture
def other_allowed_hosts():
    """host:port a test lets its pages reach besides the live server (the test identity provider, on loopback)."""
    return []


@pytest.fixture
def context(new_context, live_server, blocked_requests, other_allowed_hosts):
    """A browser context that loads only from the live server and fails the test if a page tried otherwise."""
    context = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    server = urlsplit(live_server.url).netloc

    def only_the_live_server(route):
        url = route.request.url
        if urlsplit(url).netloc == server or urlsplit(url).netloc in other_allowed_hosts:
            route.fallback()
        else:
            blocked_requests.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", only_the_live_server)
    yield context
    if blocked_requests:
        pytest.fail(
            f"Pages tried to load from hosts other than the live server ({server}):\n  "
            + "\n  ".join(blocked_requests),
            pytrace=False,
        )


@pytest.fixture
def demo_data(settings):
    """Strängnäs's promises (load_strangnas) and the demo users and example records (load_demo)."""
    call_command("load_strangnas", stdout=io.StringIO())
    # load_demo creates users with known passwords and so refuses to run with DEBUG off.
    debug = settings.DEBUG
    settings.DEBUG = True
    try:
        call_command("load_demo", stdout=io.StringIO())
    finally:
        settings.DEBUG = debug
