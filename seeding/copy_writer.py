"""The table writer of the national generator (seeding.generator): rows in, batches written, nothing read back.

Rows are plain tuples, never model instances, and they are written in batches: with ``COPY … FROM STDIN`` on
PostgreSQL, with one ``executemany`` INSERT per table and batch elsewhere (SQLite in the tests). ``bulk_create``
would be slower and would also stamp every ``created_at`` with the time of the run, because it calls the
fields' ``pre_save``; the records generated are created shortly after the day they describe.

Ids are handed out here (:meth:`TableWriter.new_id`), counting on from the highest id already in each table, so
nothing has to be read back. Rows wait in memory (about 200 000 at a time) and are written table by table in
dependency order, so that every foreign key already points at a written row, provided the caller flushes only
where no pending row lacks its parent. The sequences are brought up to date at the end, as ``loaddata`` does.

Like any bulk insert, this writes no rows to the change-history tables of django-simple-history.
"""

import datetime
import io
import json
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection

from activities.models import Activity, ActivityRecord, PlannedEvent
from followup.models import Assessment, Council, Indicator, IndicatorValue, Publication, TertialReport
from promises.models import FocusArea, Membership, Municipality, Organisation, Place, Promise, PromiseAddress

__all__ = ["TableWriter"]


def _through(m2m):
    """The through model of an auto-created many-to-many field and its two foreign-key names."""
    return m2m.remote_field.through, [m2m.m2m_field_name(), m2m.m2m_reverse_field_name()]


def _tables():
    """Every table written, in the order that keeps foreign keys satisfied: key → (model, field names).

    Main tables list their id first, because ids are handed out here; through tables leave it to the database.
    """
    user = get_user_model()
    tables = {
        "users": (user, ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
                         "email", "is_staff", "is_active", "date_joined"]),
        "municipalities": (Municipality, ["id", "name", "slug", "code", "data_version"]),
        "places": (Place, ["id", "municipality", "name", "kind", "parent"]),
        "organisations": (Organisation, ["id", "name", "kind"]),
        "organisation_municipalities": _through(Organisation._meta.get_field("municipalities")),
        "memberships": (Membership, ["id", "user", "organisation", "role"]),
        "councils": (Council, ["id", "name"]),
        "council_municipalities": _through(Council._meta.get_field("municipalities")),
        "promises": (Promise, ["id", "title", "slug", "year", "period_start", "period_end", "situation", "pledge",
                               "expected_effects", "follow_up", "communication", "signed_on", "status",
                               "data_version", "followup_plan", "followup_period_ends"]),
        "promise_municipalities": _through(Promise._meta.get_field("municipalities")),
        "promise_addresses": (PromiseAddress, ["promise", "municipality", "year", "slug"]),
        "promise_signatories": _through(Promise._meta.get_field("signatories")),
        "focus_areas": (FocusArea, ["id", "promise", "title", "description", "order"]),
        "activities": (Activity, ["id", "promise", "focus_area", "kind", "title", "description", "lead_organisation",
                                  "target_count", "unit", "recurrence", "order", "is_internal",
                                  "target_per_municipality"]),
        "activity_partners": _through(Activity._meta.get_field("partner_organisations")),
        "activity_target_places": _through(Activity._meta.get_field("target_places")),
        "records": (ActivityRecord, ["id", "activity", "occurred_on", "place", "place_text", "quantity", "summary",
                                     "recorded_by", "created_at", "updated_at", "voided_at", "voided_by",
                                     "void_reason", "submission_key"]),
        "record_organisations": _through(ActivityRecord._meta.get_field("participating_organisations")),
        "reports": (TertialReport, ["id", "promise", "year", "number", "status", "summary", "council",
                                    "meeting_date", "revision", "return_comment", "approved_by", "approved_at",
                                    "published_at", "snapshot", "correction_reason", "kind"]),
        "publications": (Publication, ["id", "report", "edition", "snapshot", "published_at", "published_by",
                                       "reason"]),
        "assessments": (Assessment, ["id", "report", "activity", "status", "comment", "comment_public", "verdict",
                                     "verdict_reason", "verdict_explanation"]),
        "indicators": (Indicator, ["id", "promise", "name", "unit", "source", "better"]),
        "indicator_values": (IndicatorValue, ["id", "indicator", "year", "number", "measured_on", "value", "note"]),
        "planned_events": (PlannedEvent, ["id", "uid", "activity", "title", "starts_at", "ends_at", "place",
                                          "place_text", "description", "cancelled_at", "sequence", "record",
                                          "created_by", "created_at", "updated_at"]),
    }  # fmt: skip
    return tables


def _default_of(field):
    """What the ORM would store in ``field`` when a row names no value for it."""
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"The generator writes no value for {field.model.__name__}.{field.name}, which has no default.")


def _copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates and aware datetimes alike
        return value.isoformat()
    if isinstance(value, dict | list):
        return _copy_text(json.dumps(value, ensure_ascii=False))
    return str(value)  # int, Decimal, UUID


class TableWriter:
    """Buffers rows per table and writes them in dependency order, with COPY where the database has it."""

    # Rows held in memory before everything pending is written.
    FLUSH_ROWS = 200_000

    def __init__(self):
        self.tables = {}
        # Columns a table's rows leave out (added by later features: retired_at, requires_mfa, a forum's kind, ...)
        # are written with the model field's default, so the generator never breaks on a NOT NULL column it
        # does not know about, and every generated row is what the ORM would have stored.
        self.defaults = {}
        for key, (model, names) in _tables().items():
            extra = [
                field
                for field in model._meta.concrete_fields
                if field.name not in names and not field.primary_key and not model._meta.auto_created
            ]
            self.tables[key] = (model, [*names, *(field.name for field in extra)])
            self.defaults[key] = tuple(_default_of(field) for field in extra)
        self.pending = {key: [] for key in self.tables}
        self.pending_rows = 0
        self.counts = Counter()
        self.seconds = 0.0  # spent writing, for the report
        self.next_ids = {}
        with connection.cursor() as cursor:
            # COPY through psycopg2; any other database or driver gets plain INSERTs.
            self.use_copy = connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert")
            for key, (model, fields) in self.tables.items():
                if fields[0] == "id":
                    table, column = model._meta.db_table, model._meta.pk.column
                    cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {_quoted(table)}")  # noqa: S608
                    self.next_ids[key] = (cursor.fetchone()[0] or 0) + 1
            if connection.vendor == "postgresql":
                # Check foreign keys as each batch is written rather than all at the final commit, where millions
                # of deferred checks would pile up in memory.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def new_id(self, key):
        value = self.next_ids[key]
        self.next_ids[key] = value + 1
        return value

    def add(self, key, row):
        defaults = self.defaults[key]
        self.pending[key].append(tuple(row) + defaults if defaults else row)
        self.pending_rows += 1

    def flush_if_full(self):
        """Writes what is pending once there is enough of it; call it only where no row lacks its parent."""
        if self.pending_rows >= self.FLUSH_ROWS:
            self.flush()

    def flush(self):
        started = time.monotonic()
        with connection.cursor() as cursor:
            for key, rows in self.pending.items():
                if rows:
                    self._write(cursor, key, rows)
                    self.counts[key] += len(rows)
                    self.pending[key] = []
        self.pending_rows = 0
        self.seconds += time.monotonic() - started

    def finish(self):
        self.flush()
        models_with_ids = [model for key, (model, fields) in self.tables.items() if fields[0] == "id"]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_with_ids):
                cursor.execute(sql)

    def analyse(self):
        """Fresh planner statistics, so that the first benchmark run does not meet tables the planner thinks empty."""
        if connection.vendor != "postgresql":
            return
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model, _fields in self.tables.values():
                cursor.execute(f"ANALYZE {_quoted(model._meta.db_table)}")
        self.seconds += time.monotonic() - started

    def _write(self, cursor, key, rows):
        model, names = self.tables[key]
        fields = [model._meta.get_field(name) for name in names]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = _quoted(model._meta.db_table)
        if self.use_copy:
            buffer = io.StringIO()
            buffer.writelines("\t".join([_copy_text(value) for value in row]) + "\n" for row in rows)
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer, size=1 << 20)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        for start in range(0, len(rows), 5000):
            batch = rows[start : start + 5000]
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
                    for row in batch
                ],
            )


def _quoted(table):
    return connection.ops.quote_name(table)
