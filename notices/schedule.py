"""The periodic work, run every few minutes (``manage.py notices_schedule``; docs/OPERATIONS.md §17).

Each run enqueues what is due and nothing else: the reminders of follow-up periods that end within
NOTICES_REMINDER_DAYS, the notices of tomorrow's events, the messages whose retry is due or whose worker died
holding them, and it deletes outbox rows older than NOTICES_KEEP_DAYS. Every due item is taken with a unique key
(:func:`notices.services.job_take`), so two app servers running it at once neither lose nor double a job.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .delivery import deliver_message, due_messages
from .models import Message
from .services import events_tomorrow_send, reminders_send

logger = logging.getLogger("portal.notices")


def schedule_run(today=None) -> dict:
    today = today or timezone.localdate()
    reminders = reminders_send(today)
    events = events_tomorrow_send(today)
    # A message left waiting (its task lost with a worker, or a retry now due) is handed to a worker again; the
    # claim in delivery makes a second task for the same message do nothing.
    due = list(due_messages().values_list("pk", flat=True))
    for message_id in due:
        deliver_message.enqueue(message_id)
    kept_since = timezone.now() - timedelta(days=settings.NOTICES_KEEP_DAYS)
    purged, _ = Message.objects.filter(
        status__in=[Message.Status.SENT, Message.Status.FAILED], created_at__lt=kept_since
    ).delete()
    result = {"reminders": reminders, "events": events, "requeued": len(due), "purged": purged}
    logger.info("schedule ran: %s", " ".join(f"{key}={value}" for key, value in result.items()))
    return result


@task
def run_schedule() -> dict:
    """The schedule as a background task, for a backend whose own scheduler runs it."""
    return schedule_run()
