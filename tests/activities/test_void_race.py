"""Ten people voiding one record at once: one void, with one reason, and one history entry of it."""

import datetime
import threading

import pytest
from django.db import connection, connections

from activities.models import ActivityRecord, RecordAlreadyVoided
from tests.conftest import make_record

VOIDERS = 10


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises every write in one file, so threads cannot race there; "
    "test_a_second_void_is_refused_and_the_first_reason_stands covers the rule on SQLite.",
)
def test_ten_parallel_voids_give_one_void_and_one_reason(world):
    record = make_record(world.count_activity, by=world.police_recorder, occurred_on=datetime.date(2020, 3, 10))
    start = threading.Barrier(VOIDERS)
    won, refused = [], []

    def void(number):
        try:
            mine = ActivityRecord.objects.get(pk=record.pk)
            start.wait()
            try:
                mine.void(by=world.coordinator, reason=f"Skäl {number}")
                won.append(number)
            except RecordAlreadyVoided:
                refused.append(number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=void, args=(number,)) for number in range(VOIDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(won) == 1 and len(refused) == VOIDERS - 1
    record.refresh_from_db()
    assert record.void_reason == f"Skäl {won[0]}"
    voids = record.history.exclude(voided_at=None)
    assert [entry.history_change_reason for entry in voids] == [f"Skäl {won[0]}"]
