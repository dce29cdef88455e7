"""The background worker and the outbox: nothing runs from a rolled-back transaction, a failing send is retried
with a growing delay and then marked failed, and a worker killed in the middle of a send (SIGKILL) loses no message
and sends none twice. Delivery goes through a real SMTP server on loopback, in its own process."""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from followup.services import report_create, report_submit
from followup.tertials import Tertial
from notices.models import Kind, Message
from notices.services import Content, notify_staff
from tests.notices.helpers import run_tasks, smtp_server, use_smtp

PROJECT = Path(__file__).resolve().parents[2]
WORKER = [sys.executable, "manage.py", "worker"]


def _notify(users, key="test:1"):
    notify_staff(
        kind=Kind.REPORT_SUBMITTED,
        key=key,
        users=users,
        build=lambda user: Content(subject="Rapporten väntar", paragraphs=["Läs den."], link="/uppfoljning/"),
    )


@pytest.fixture
def council_member(world):
    world.council_member.email = "rad@example.se"
    world.council_member.save()
    return world.council_member


def test_a_report_submitted_in_a_transaction_that_rolls_back_enqueues_nothing(
    world, council_member, clock, django_capture_on_commit_callbacks
):
    report = report_create(promise=world.promise, tertial=Tertial(2020, 1), by=world.coordinator)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        report_submit(report=report, revision=report.revision, by=world.coordinator)
        raise RuntimeError("the request failed after the submission")
    assert callbacks == []
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()
    assert run_tasks() == 0
    assert mail.outbox == []


def test_a_task_enqueued_on_commit_of_a_rolled_back_transaction_never_runs(
    world, council_member, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify([council_member])
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not DBTaskResult.objects.exists() and not Message.objects.exists()
    assert run_tasks() == 0 and mail.outbox == []


def test_a_committed_notice_is_sent_once_even_when_its_task_runs_twice(
    world, council_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify([council_member])
        _notify([council_member])  # written twice: one row
    [message] = Message.objects.all()
    from notices.delivery import deliver_message

    deliver_message.enqueue(message.pk)  # and a third task for the same message
    assert run_tasks() == 3, "each writing enqueued its delivery"
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1


def test_a_failing_send_is_retried_with_backoff_then_marked_failed(
    world, council_member, monkeypatch, settings, caplog, django_capture_on_commit_callbacks
):
    settings.NOTICES_MAX_ATTEMPTS = 3
    settings.NOTICES_RETRY_DELAY = 60

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _notify([council_member])
    [message] = Message.objects.all()

    assert run_tasks() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)
    assert message.next_attempt_at >= start + datetime.timedelta(seconds=60)
    assert run_tasks() == 0, "the retry waits for its time"

    for minutes, attempts in ((2, 2), (10, 3)):
        monkeypatch.setattr(timezone, "now", lambda minutes=minutes: start + datetime.timedelta(minutes=minutes))
        assert run_tasks() == 1
        message.refresh_from_db()
        assert message.attempts == attempts
    assert message.status == Message.Status.FAILED
    assert "ConnectionRefusedError" in message.last_error
    warnings = [record for record in caplog.records if "will retry" in record.getMessage()]
    assert len(warnings) == 2
    assert any(record.levelname == "ERROR" and "failed for good" in record.getMessage() for record in caplog.records)
    # The second retry waited twice as long as the first.
    assert mail.outbox == []


def test_a_message_reaches_a_real_smtp_server_as_text_and_html(
    world, council_member, settings, tmp_path, django_capture_on_commit_callbacks
):
    with smtp_server(tmp_path / "mail") as mailbox:
        use_smtp(settings, mailbox)
        with django_capture_on_commit_callbacks(execute=True):
            _notify([council_member])
        run_tasks()
        [received] = mailbox.messages()
    assert received["To"] == "rad@example.se"
    assert received["Subject"] == "Rapporten väntar"
    assert received["Message-ID"] == Message.objects.get().message_id
    assert "Läs den." in received.get_body(("plain",)).get_content()
    assert "<p>Läs den.</p>" in received.get_body(("html",)).get_content()


# A worker killed in the middle of a send --------------------------------------------------------------------

SETUP = """
from notices.models import Message
from notices.delivery import deliver_message
for number in range(3):
    message = Message.objects.create(
        kind="report_submitted", key=f"drill:{number}", recipient=f"user:{number}",
        to_email=f"person{number}@example.se", subject=f"Meddelande {number}", text="Text", html="<p>Text</p>",
    )
    deliver_message.enqueue(message.pk)
"""

STATE = """
import json
from notices.models import Message
print(json.dumps(sorted(Message.objects.values_list("key", "status"))))
"""


def _database_url(tmp_path):
    """An address the worker's own process can open, holding what this test committed."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "drill.sqlite3"
        target = sqlite3.connect(copy)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{copy}"
    user = database["USER"] or "postgres"
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{database['NAME']}"


def _manage(env, *arguments, timeout=60):
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_no_message_and_sends_none_twice(tmp_path):
    with smtp_server(tmp_path / "mail", rcpt_delay=1.0) as mailbox:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": _database_url(tmp_path),
            "EMAIL_URL": mailbox.url,
            "NOTICES_SEND_LEASE": "2",
            "PYTHONUNBUFFERED": "1",
        }
        _manage(env, "shell", "-c", SETUP)
        worker = subprocess.Popen(
            [*WORKER, "--no-reload", "--no-startup-delay", "--interval", "0.1", "--schedule-interval", "0"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while len(mailbox.messages()) < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            # The first message is delivered; the second is being sent (its recipient not yet accepted).
            time.sleep(0.4)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        delivered_before = len(mailbox.messages())
        state = dict(json.loads(_manage(env, "shell", "-c", STATE).strip().splitlines()[-1]))
        assert delivered_before < 3 and "sending" in state.values(), state

        time.sleep(2.5)  # the dead worker's claim runs out
        _manage(env, "notices_schedule")
        _manage(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay", timeout=120)

        received = mailbox.messages()
        state = dict(json.loads(_manage(env, "shell", "-c", STATE).strip().splitlines()[-1]))
    assert sorted(message["Subject"] for message in received) == ["Meddelande 0", "Meddelande 1", "Meddelande 2"]
    assert len({message["Message-ID"] for message in received}) == 3
    assert set(state.values()) == {"sent"}
