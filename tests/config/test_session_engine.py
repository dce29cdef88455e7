"""Sessions sit in the shared cache, with the database behind them, only when the cache is shared (issue 19)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _engine(cache_url):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("redis://127.0.0.1:6379/0", "django.contrib.sessions.backends.cached_db"),
        (None, "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_use_the_cache_only_when_every_worker_shares_it(cache_url, engine):
    assert _engine(cache_url) == engine


def _scope_cache(cache_url, flag=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CACHE_URL", None)
    env.pop("SCOPE_CACHE", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    if flag is not None:
        env["SCOPE_CACHE"] = flag
    code = "import django; django.setup(); from django.conf import settings; print(settings.SCOPE_CACHE)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("cache_url", "flag", "cached"),
    [
        ("redis://127.0.0.1:6379/0", None, "True"),
        (None, None, "False"),
        ("redis://127.0.0.1:6379/0", "false", "False"),
    ],
)
def test_the_scope_is_cached_by_default_only_when_every_worker_shares_the_cache(cache_url, flag, cached):
    """A membership change renews the version in the cache it is written to: in one worker's own memory, the others
    would keep serving the old scope (promises.scope)."""
    assert _scope_cache(cache_url, flag) == cached
