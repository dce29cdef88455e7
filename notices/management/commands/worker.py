"""``manage.py worker``: the database worker (django-tasks-db's db_worker) with the schedule beside it.

It takes the same options as ``db_worker``; in addition it runs the schedule (``notices_schedule``) every
``--schedule-interval`` seconds (NOTICES_SCHEDULE_INTERVAL, 300 by default; 0 turns it off where cron or a systemd
timer runs it instead). Several workers may run at once, on one machine or several: the schedule's unique keys and
the outbox's claims keep every job and message single.
"""

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from notices.schedule import schedule_run

logger = logging.getLogger("portal.notices")


def _schedule_loop(interval, stop):
    while not stop.wait(interval):
        try:
            close_old_connections()
            schedule_run()
        except Exception:
            logger.exception("the schedule failed; it runs again in %s s", interval)
        finally:
            connection.close()


class Command(db_worker.Command):
    help = "Run the background worker and, every few minutes, the schedule."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=settings.NOTICES_SCHEDULE_INTERVAL,
            help="Seconds between runs of the schedule; 0 for none (default: %(default)s)",
        )

    def handle(self, *args, schedule_interval, **options):
        stop = threading.Event()
        if schedule_interval and not options.get("batch"):
            threading.Thread(target=_schedule_loop, args=(schedule_interval, stop), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
