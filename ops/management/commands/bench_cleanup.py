"""Deletes what the benchmark's log-form POSTs stored (``make bench``), so that a reused database stays as it was."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.models import ActivityRecord
from ops import guards


class Command(BaseCommand):
    help = (
        "For ops.bench: deletes the records whose summary starts with --prefix, and their history, and prints "
        '{"deleted": <records>} as JSON. Runs only on a database filled by generate_national, whose records are '
        "made up: no real record is ever deleted for its summary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="bench ", help="The records' summary prefix (default 'bench ').")

    def handle(self, *args, prefix, **options):
        if not prefix.strip():
            raise CommandError("--prefix must not be empty: it would delete every record.")
        guards.require_generated_data()
        with transaction.atomic():
            deleted = ActivityRecord.objects.filter(summary__startswith=prefix).delete()[1]
            ActivityRecord.history.model.objects.filter(summary__startswith=prefix).delete()
        self.stdout.write(json.dumps({"deleted": deleted.get("activities.ActivityRecord", 0)}))
