"""Running queued tasks in the test process, and a loopback SMTP server in its own process."""

import email
import email.policy
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

SINK = Path(__file__).with_name("smtp_sink.py")


def run_tasks(limit=100) -> int:
    """Runs every task that is ready, as the database worker would, inside the test's transaction."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit and (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
        result.claim("test")
        worker.run_task(result)
        ran += 1
    return ran


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    def __init__(self, folder: Path, port: int):
        self.folder = folder
        self.port = port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self):
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]


@contextmanager
def smtp_server(folder: Path, *, rcpt_delay: float = 0.0):
    """A real SMTP server on loopback, in its own process, writing what it receives into ``folder``."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(SINK), str(folder), str(port), str(rcpt_delay)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield Mailbox(folder, port)
    finally:
        process.kill()
        process.wait(timeout=10)


def use_smtp(settings, mailbox):
    """Points Django's mailer at the loopback server."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": mailbox.port, "timeout": 10},
        }
    }
