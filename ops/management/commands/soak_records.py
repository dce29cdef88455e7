"""Lists the records the load and crash drill's log-form POSTs stored (``make soak``), for its verdict."""

import json

from django.core.management.base import BaseCommand

from activities.models import ActivityRecord


class Command(BaseCommand):
    help = (
        "For ops.soak: prints as JSON the summary and creation time (a Unix timestamp) of every record whose summary "
        "starts with the prefix, voided or not: the drill compares them with the POSTs it saw acknowledged. Reads "
        "only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="soak ", help="The summaries' prefix (default 'soak ').")

    def handle(self, *args, prefix, **options):
        records = ActivityRecord.objects.filter(summary__startswith=prefix).values_list("summary", "created_at")
        self.stdout.write(json.dumps([[summary, created.timestamp()] for summary, created in records]))
