"""Sending the outbox: each message at most once per successful send, retried with a growing delay when it fails.

A message is claimed with one conditional UPDATE (pending and due, or claimed by a worker whose lease ran out), so
two workers never send the same row; the claim is committed before the send. After a successful send the row is
marked sent in its own UPDATE, and a row marked sent is never claimed again. A worker killed between the claim and
the send leaves the row claimed: when the lease (``NOTICES_SEND_LEASE`` seconds) runs out the schedule hands it to
another worker. Only a worker killed in the instant after the mail server accepted a message and before the row
was marked sent can cause a second copy; the copy carries the same Message-ID, so mail programs show it once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from promises.privacy import find_identity_numbers

from .models import Message

logger = logging.getLogger("portal.notices")


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed send: the base delay, doubled each time, at most an hour."""
    base = settings.NOTICES_RETRY_DELAY
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def due_messages(now=None):
    """The messages a worker may take now: pending and due, or claimed by a worker whose lease ran out."""
    now = now or timezone.now()
    return Message.objects.filter(
        Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Message.Status.SENDING, claimed_until__lt=now)
    )


def _claim(message_id) -> Message | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            due_messages(now)
            .filter(pk=message_id)
            .update(
                status=Message.Status.SENDING,
                claimed_until=now + timedelta(seconds=settings.NOTICES_SEND_LEASE),
                attempts=F("attempts") + 1,
            )
        )
    return Message.objects.get(pk=message_id) if claimed else None


def _email(message: Message) -> EmailMultiAlternatives:
    headers = {**message.headers, "Message-ID": message.message_id}
    email = EmailMultiAlternatives(message.subject, message.text, to=[message.to_email], headers=headers)
    email.attach_alternative(message.html, "text/html")
    return email


def message_deliver(message_id) -> str:
    """Sends one message if it is due; says what became of it: sent, retry, failed or skipped."""
    message = _claim(message_id)
    if message is None:
        return "skipped"
    try:
        _email(message).send()
    # Whatever the mail server or the network says, the row records it.
    except Exception as error:
        return _failed(message, error)
    Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
        status=Message.Status.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    logger.info("message sent: message=%s kind=%s attempt=%s", message.pk, message.kind, message.attempts)
    return "sent"


def _failed(message: Message, error: Exception) -> str:
    reason = f"{type(error).__name__}: {error}"[:1000]
    if find_identity_numbers(reason):
        reason = f"{type(error).__name__}: [removed: identity number]"
    if message.attempts >= settings.NOTICES_MAX_ATTEMPTS:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED, claimed_until=None, last_error=reason
        )
        logger.error(
            "message failed for good: message=%s kind=%s attempts=%s error=%s",
            message.pk,
            message.kind,
            message.attempts,
            reason,
        )
        return "failed"
    retry_at = timezone.now() + backoff(message.attempts)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.PENDING, claimed_until=None, next_attempt_at=retry_at, last_error=reason
    )
    logger.warning(
        "message send failed, will retry: message=%s kind=%s attempt=%s retry_at=%s error=%s",
        message.pk,
        message.kind,
        message.attempts,
        retry_at.isoformat(),
        reason,
    )
    deliver_message.using(run_after=retry_at).enqueue(message.pk)
    return "retry"


@task
def deliver_message(message_id: int) -> str:
    """The background task (Django's Tasks framework) that sends one message; safe to run any number of times."""
    return message_deliver(message_id)
