"""ops/backup.py: a backup of a populated database, restored into a fresh one, has every table row for row.

Runs on the database the suite runs on: SQLite's online backup from the in-memory test database into a file, or
pg_dump/pg_restore into a new PostgreSQL database ``portal_ops_restore_<random>`` that the test creates and drops.
The tests that back up data are transactional: pg_dump reads through its own connection, which sees only committed
rows.
"""

import datetime
import hashlib
import secrets
import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from activities.models import Activity, ActivityRecord
from ops.backup import BACKUP_DIR, BackupError, backup, check_backup_file, default_backup_path, main, restore
from promises.models import Membership, Organisation
from seeding import strangnas as seed
from tests.conftest import make_record, make_user

# Committed data only: pg_dump reads through its own connection.
transactional = pytest.mark.django_db(transaction=True)


def populate():
    """Strängnäs's promises, a recorder, three records and a voided one (so the history tables have rows too)."""
    call_command("load_strangnas", stdout=StringIO())
    police = Organisation.objects.get(name=seed.POLICE)
    recorder = make_user("polis", organisation=police, role=Membership.Role.RECORDER)
    activities = list(Activity.objects.filter(promise__slug="strangnas-2020").order_by("order")[:3])
    for number, activity in enumerate(activities, start=1):
        make_record(
            activity,
            by=recorder,
            occurred_on=datetime.date(2020, 2, number),
            quantity=number,
            summary=f"Insats {number} vid Läggesta station, «citat» och 'apostrof'.",
        )
    make_record(activities[0], by=recorder, occurred_on=datetime.date(2020, 3, 1), summary="Dubblett", voided=True)


def _pg_connect(database, **overrides):
    import psycopg2

    parameters = {
        "dbname": database["NAME"],
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        **(database.get("OPTIONS") or {}),
        **overrides,
    }
    return psycopg2.connect(**{key: value for key, value in parameters.items() if value not in (None, "")})


@pytest.fixture
def fresh_database(tmp_path):
    """Settings of an empty database of the suite's vendor, removed afterwards."""
    if connection.vendor == "sqlite":
        yield {**connection.settings_dict, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"portal_ops_restore_{secrets.token_hex(4)}"
    admin = _pg_connect(connection.settings_dict, dbname="postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield {**connection.settings_dict, "NAME": name}
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def open_database(database):
    """A DB-API connection of its own to the database (not Django's), for reading the restored copy."""
    if connection.vendor == "sqlite":
        return sqlite3.connect(database["NAME"])
    return _pg_connect(database)


def table_names(cursor):
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return sorted(row[0] for row in cursor.fetchall())


def fingerprints(cursor, tables):
    """{table: (row count, sha256 of its rows)}: every row rendered as text by the database, in a sorted order.

    SQLite renders each value with quote() (so NULL, '' and 'NULL' differ); PostgreSQL renders the whole row as
    a record literal. Sorting the rendered rows is ordering by the whole row, which includes the primary key.
    """
    result = {}
    for table in tables:
        if connection.vendor == "sqlite":
            cursor.execute(f'PRAGMA table_info("{table}")')
            columns = [row[1] for row in cursor.fetchall()]
            rendered = ", ".join(f'quote("{column}")' for column in columns)
            cursor.execute(f'SELECT {rendered} FROM "{table}"')  # noqa: S608 - names from the schema itself
            rows = sorted("\x1f".join(row) for row in cursor.fetchall())
        else:
            cursor.execute(f'SELECT CAST(t AS text) FROM "{table}" AS t')  # noqa: S608 - names from the schema
            rows = sorted(row[0] for row in cursor.fetchall())
        digest = hashlib.sha256("\x1e".join(rows).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result


def sequences(cursor):
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
    else:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
    return dict(cursor.fetchall())


def same_text_settings(source, target):
    """PostgreSQL renders dates and times by the session's settings: the target's session gets the source's."""
    if connection.vendor != "postgresql":
        return
    for setting in ("TimeZone", "DateStyle", "IntervalStyle", "extra_float_digits"):
        source.execute(f"SHOW {setting}")
        target.execute(f"SELECT set_config('{setting}', %s, false)", [source.fetchone()[0]])


def assert_same_contents(restored):
    with connection.cursor() as source:
        tables = sorted(connection.introspection.table_names(source))
        expected = fingerprints(source, tables)
        expected_sequences = sequences(source)
        target_connection = open_database(restored)
        try:
            target = target_connection.cursor()
            same_text_settings(source, target)
            assert table_names(target) == tables
            actual = fingerprints(target, tables)
            actual_sequences = sequences(target)
        finally:
            target_connection.close()
    differing = {table: (expected[table], actual[table]) for table in tables if expected[table] != actual[table]}
    assert differing == {}
    assert actual_sequences == expected_sequences
    return actual


@transactional
def test_a_backup_restored_into_a_fresh_database_has_every_table_row_for_row(tmp_path, fresh_database):
    populate()
    path = backup(connection.settings_dict, tmp_path / "portal.backup")

    restore(fresh_database, path)

    restored = assert_same_contents(fresh_database)
    # The comparison had something to compare: the seed, the records and their history all came across.
    assert restored["activities_activityrecord"][0] == 4
    assert restored["activities_historicalactivityrecord"][0] >= 4
    assert restored["promises_promise"][0] == 2
    assert restored["auth_user"][0] == 1
    assert restored["django_migrations"][0] > 10


@transactional
def test_the_command_line_backs_up_restores_and_asks_for_yes_before_overwriting(tmp_path, fresh_database, capsys):
    populate()
    path = tmp_path / "nightly.backup"
    assert main(["backup", str(path)], database=connection.settings_dict) == 0
    assert main(["restore", str(path)], database=fresh_database) == 0  # an empty database needs no --yes
    make_record(
        Activity.objects.filter(promise__slug="strangnas-2020").first(),
        by=ActivityRecord.objects.first().recorded_by,
        occurred_on=datetime.date(2020, 4, 1),
        summary="Efter säkerhetskopian",
    )
    newer = tmp_path / "newer.backup"
    assert main(["backup", str(newer)], database=connection.settings_dict) == 0
    capsys.readouterr()

    # The database now has tables: without --yes nothing is touched, with it the newer backup replaces them.
    assert main(["restore", str(newer)], database=fresh_database) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["restore", str(newer), "--yes"], database=fresh_database) == 0

    restored = assert_same_contents(fresh_database)
    assert restored["activities_activityrecord"][0] == 5


def test_a_backup_never_overwrites_an_existing_file(tmp_path):
    path = tmp_path / "taken.backup"
    path.write_bytes(b"an older backup")
    with pytest.raises(BackupError, match="already exists"):
        backup(connection.settings_dict, path)
    assert path.read_bytes() == b"an older backup"


def test_a_restore_refuses_a_file_that_is_not_a_backup_of_this_kind_of_database(tmp_path):
    other = {"postgresql": b"SQLite format 3\x00" + bytes(100), "sqlite": b"PGDMP" + bytes(100)}[connection.vendor]
    (tmp_path / "other.backup").write_bytes(other)
    (tmp_path / "notes.txt").write_text("not a backup")

    with pytest.raises(BackupError, match="backup; the database is"):
        check_backup_file(tmp_path / "other.backup", connection.vendor)
    with pytest.raises(BackupError, match="neither"):
        restore(connection.settings_dict, tmp_path / "notes.txt")
    with pytest.raises(BackupError, match="No backup file"):
        restore(connection.settings_dict, tmp_path / "missing.backup")


def test_the_default_backup_file_is_named_by_its_utc_time():
    moment = datetime.datetime(2024, 5, 1, 14, 30, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert default_backup_path({"ENGINE": "django.db.backends.postgresql"}, now=moment) == (
        BACKUP_DIR / "portal-20240501T123005Z.dump"
    )
    assert default_backup_path({"ENGINE": "django.db.backends.sqlite3"}, now=moment).name == (
        "portal-20240501T123005Z.sqlite3"
    )
