"""A coordinator saves the municipality's settings while a recorder's record is being stored: both are saved.

Every write renews data versions (promises.versions) promise first, municipality after; the settings' save renews
every one of them. When the save held the municipality's row from its start, a record stored at the same moment
(its promise renewed, waiting for the municipality's row) and the save (holding that row, waiting for the promise's)
deadlocked, and PostgreSQL answered one of them with an error: the recorder got the 503 page. The two-server soak
found it (docs/OPERATIONS.md §12).
"""

import threading
import time
import uuid

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from promises.models import Municipality, MunicipalitySettings, Promise

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite writes one transaction at a time, so two cannot wait for each other there",
    ),
]

WAIT = 20  # seconds: generous, for a loaded machine


def waiting_for_a_lock():
    with connections["default"].cursor() as cursor:
        # pg_locks, not pg_stat_activity: the latter is a snapshot taken once per transaction.
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def test_a_settings_save_and_a_record_renewing_the_same_versions_both_succeed(world):
    coordinator = Client()
    coordinator.force_login(world.coordinator)
    url = reverse("workspace:municipality_settings", args=[world.strangnas.slug])
    seen = coordinator.get(url).context["form"]["seen"].value()
    promise_renewed = threading.Event()
    answers, errors = [], []

    def save_settings():
        try:
            promise_renewed.wait(WAIT)
            data = {"contact_email": "", "contact_phone": "0152-291 00", "accessibility_statement": "", "seen": seen}
            answers.append(coordinator.post(url, data).status_code)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    saver = threading.Thread(target=save_settings)
    saver.start()
    try:
        # What storing a record does to the versions (promises.versions.bump_promises): the promise, then, once the
        # settings' save is waiting for that promise's row, its municipality.
        with transaction.atomic():
            Promise.objects.filter(pk=world.promise.pk).update(data_version=uuid.uuid4())
            promise_renewed.set()
            deadline = time.monotonic() + WAIT
            while not waiting_for_a_lock() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert waiting_for_a_lock(), f"the settings' save never reached the promise's row: {answers} {errors}"
            Municipality.objects.filter(pk=world.strangnas.pk).update(data_version=uuid.uuid4())
    finally:
        saver.join(WAIT)

    assert not errors
    assert answers == [302]
    assert MunicipalitySettings.objects.get(municipality=world.strangnas).contact_phone == "0152-291 00"
