"""ops/harness.py, what the drill and the benchmark share, and the way the two use it."""

import ast
from pathlib import Path

import pytest
import requests

from ops import harness

OPS = Path(harness.__file__).resolve().parent


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/portal_ops_soak",
        "postgresql://user:secret@db.internal/soak_drill",
    ],
)
def test_it_takes_a_postgresql_database_named_for_the_drill(url):
    assert "soak" in harness.drill_database(url, "soak", "SOAK_DATABASE_URL")


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/portal",  # the portal's own: never dropped
        "sqlite:///portal_ops_soak.sqlite3",
        "postgres://postgres@127.0.0.1:5432/portal_bench_small",  # the benchmark's, not the drill's
    ],
)
def test_it_refuses_any_other_database(url):
    with pytest.raises(harness.DrillError, match="SOAK_DATABASE_URL must be a PostgreSQL database"):
        harness.drill_database(url, "soak", "SOAK_DATABASE_URL")


def test_a_command_that_prints_no_json_is_a_drill_error(monkeypatch):
    monkeypatch.setattr(harness, "manage", lambda environment, *arguments, extra_environment=None: "Traceback …\n")
    with pytest.raises(harness.DrillError, match="soak_records printed no JSON"):
        harness.manage_json({}, "soak_records")


def test_a_commands_json_is_returned_parsed(monkeypatch):
    monkeypatch.setattr(harness, "manage", lambda environment, *arguments, extra_environment=None: '{"deleted": 3}\n')
    assert harness.manage_json({}, "bench_cleanup") == {"deleted": 3}


def _imports(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module)
    return names


@pytest.mark.parametrize("script", ["bench.py", "soak.py"])
def test_the_scripts_share_the_harness_not_each_other_and_run_as_modules(script):
    source = (OPS / script).read_text()
    imports = _imports(OPS / script)
    assert "ops.harness" in imports
    assert not imports & {"ops.bench", "ops.soak"}
    assert "sys.path" not in source  # run as `python -m ops.<name>`, where ops is importable
    assert '"shell"' not in source  # what runs inside Django is a management command


class _Running:
    returncode = None

    def poll(self):
        return None


class _Answer:
    status_code = 200


@pytest.mark.parametrize(
    "failure",
    [requests.ConnectionError("refused"), requests.ReadTimeout("slow first request"), requests.RequestException()],
)
def test_waiting_for_the_portal_survives_any_failed_request(monkeypatch, failure):
    answers = [failure, failure, _Answer()]

    def get(url, timeout):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(harness.requests, "get", get)
    monkeypatch.setattr(harness.time, "sleep", lambda seconds: None)
    harness.wait_until_up("http://127.0.0.1:1", _Running(), timeout=5)
    assert answers == []


def test_the_outage_drill_waits_for_the_portal_through_the_harness():
    drill = (Path(__file__).resolve().parents[1] / "reliability" / "test_outage_drill.py").read_text()
    assert "harness.wait_until_up(" in drill
    assert "except requests.ConnectionError" not in drill
