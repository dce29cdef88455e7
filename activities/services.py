"""Writes to activity records and planned events that need more than one object's save: idempotent logging,
logging a planned event that took place, and announcing, changing and cancelling events."""

from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext as _

from promises import versions
from promises.models import Promise

from .models import ActivityRecord, PlannedEvent


class EventAlreadyLogged(Exception):
    """The event has already become a record: a second one would count it twice."""


def record_create(*, form, by):
    """Saves a valid log form as a new record by ``by``; returns (record, created).

    The form carries a submission key made when the page was shown. A second POST of the same page (a double
    click, or the browser's back button and submit again) finds the record the first one stored and
    creates nothing: the database's unique key decides, so two simultaneous requests cannot both win.

    Few round trips (docs/PERFORMANCE.md): no look-up of the key before the INSERT (the unique key refuses the
    second one, and only then is the first one read), the organisations in one INSERT, and the data versions
    renewed once for the record and its organisations together.
    """
    key = form.cleaned_data["submission_key"]
    record = form.save(commit=False)
    record.recorded_by = by
    record.submission_key = key
    try:
        with transaction.atomic(), versions.renewed_once():
            record.save()
            _link_new(record, "participating_organisations", form.cleaned_data.get("participating_organisations"))
    except IntegrityError:
        first = ActivityRecord.objects.filter(submission_key=key).first()
        if first is None:
            raise
        return first, False
    return record, True


def _link_new(record, name, related):
    """Links a record just created to ``related`` in one INSERT, as ``add()`` would but without first reading
    which links exist (a new record has none); what listens to the links hears of it as from ``add()``."""
    related = list(related or ())
    if not related:
        return
    manager = getattr(record, name)
    through = manager.through
    pk_set = {each.pk for each in related}
    source, target = manager.source_field_name, manager.target_field_name
    signal = {"sender": through, "instance": record, "reverse": False, "model": manager.model}
    signal["using"] = record._state.db
    m2m_changed.send(action="pre_add", pk_set=pk_set, **signal)
    through.objects.bulk_create([through(**{f"{source}_id": record.pk, f"{target}_id": pk}) for pk in sorted(pk_set)])
    m2m_changed.send(action="post_add", pk_set=pk_set, **signal)


def event_initial(event):
    """The log form's values taken from the event: what happened, where and when (its local date), and who."""
    activity = event.activity
    return {
        "occurred_on": timezone.localtime(event.starts_at).date(),
        "place": event.place_id,
        "place_text": event.place_text,
        "summary": event.title,
        "participating_organisations": [
            activity.lead_organisation_id,
            *activity.partner_organisations.values_list("pk", flat=True),
        ],
    }


def record_create_from_event(*, form, event, by):
    """Saves the log form as the record that ``event`` became; returns (record, created) as ``record_create``.

    The event row is locked while it is checked and linked, so two people logging the same event at once
    store one record. The same page posted again finds its record through the submission key; another page
    for an event that already has a record raises :class:`EventAlreadyLogged` and stores nothing.
    """
    with transaction.atomic():
        event = PlannedEvent.objects.select_for_update().get(pk=event.pk)
        if event.record_id is not None:
            if event.record.submission_key == form.cleaned_data["submission_key"]:
                return event.record, False
            raise EventAlreadyLogged
        record, created = record_create(form=form, by=by)
        if created:
            event.record = record
            event.save(update_fields=["record", "updated_at"])
    return record, created


# Announcing, changing and cancelling planned events ---------------------------------------------------------


class EventRefused(Exception):
    """A change to a planned event that its rules refuse, with a message for the person who asked."""


class EventChanged(EventRefused):
    """Someone changed the event after the form was shown: ``event`` is the newer version, which was kept."""

    def __init__(self, event):
        super().__init__(
            _(
                "Someone else changed the event while you were editing it. Nothing of yours was saved: the event now "
                "reads as shown, and your changes are still in the form. Save again to replace it with them."
            )
        )
        self.event = event


def event_refusal(event) -> str | None:
    """Why the event is no longer changed or cancelled, or None while it may be.

    A cancelled event stays as it was cancelled (the calendars that had it show it cancelled), and so do the events
    of a promise that is no longer current: they are its history.
    """
    if event.is_cancelled:
        return _("The event is cancelled, so it no longer changes. Announce a new event instead.")
    if event.activity.promise.status != Promise.Status.SIGNED:
        return _("The event belongs to a promise that is not current, so it no longer changes.")
    return None


def event_announce(*, form, by) -> PlannedEvent:
    """Saves a valid event form as a new event announced by ``by``."""
    event = form.save(commit=False)
    event.created_by = by
    event._history_user = by
    event.save()
    return event


@transaction.atomic
def event_change(*, form, by, sequence) -> PlannedEvent:
    """Saves a valid event form over its event, if the event is still the one the form was shown (``sequence``).

    The event's row is locked while it is compared, so two people saving at once cannot both win; the later one
    gets :class:`EventChanged` with the newer version. Every save raises the sequence, so calendars take the change.
    """
    stored = PlannedEvent.objects.select_for_update().select_related("activity__promise").get(pk=form.instance.pk)
    refused = event_refusal(stored)
    if refused:
        raise EventRefused(refused)
    if stored.sequence != sequence:
        raise EventChanged(stored)
    event = form.instance
    event.sequence = stored.sequence
    event._history_user = by
    event.save()
    return event


def cancel_refusal(event) -> str | None:
    """Why the event cannot be cancelled, or None when it can.

    An event that was logged as done took place, so it is not cancelled; one that has passed without being logged
    may be (a walk that was called off and never took place).
    """
    if event.record_id is not None:
        return _("The event was logged as done, so it cannot be cancelled.")
    return event_refusal(event)


@transaction.atomic
def event_cancel(*, event, by) -> PlannedEvent:
    """Cancels the event: it stays listed and in the calendar, marked cancelled, with a raised sequence."""
    event = PlannedEvent.objects.select_for_update().select_related("activity__promise").get(pk=event.pk)
    refused = cancel_refusal(event)
    if refused:
        raise EventRefused(refused)
    event._history_user = by
    event.cancel()
    return event
