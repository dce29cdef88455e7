"""Writes to activity records that need more than one object's save: idempotent logging, and logging a planned
event that took place."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ActivityRecord, PlannedEvent


class EventAlreadyLogged(Exception):
    """The event has already become a record: a second one would count it twice."""


def record_create(*, form, by):
    """Saves a valid log form as a new record by ``by``; returns (record, created).

    The form carries a submission key made when the page was shown. A second POST of the same page (a double
    click, or the browser's back button and submit again) finds the record the first one stored and
    creates nothing: the database's unique key decides, so two simultaneous requests cannot both win.
    """
    key = form.cleaned_data["submission_key"]
    existing = ActivityRecord.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    record = form.save(commit=False)
    record.recorded_by = by
    record.submission_key = key
    try:
        with transaction.atomic():
            record.save()
            form.save_m2m()
    except IntegrityError:
        first = ActivityRecord.objects.filter(submission_key=key).first()
        if first is None:
            raise
        return first, False
    return record, True


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
