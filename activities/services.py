"""Writes to activity records that need more than one object's save: idempotent logging."""

from django.db import IntegrityError, transaction

from .models import ActivityRecord


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
