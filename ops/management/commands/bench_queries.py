"""Counts the queries of each page the benchmark loads (``make bench``), outside gunicorn."""

import json
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ops import guards


def pages_json(text):
    """--pages: a JSON object of pages."""
    pages = json.loads(text)
    if not isinstance(pages, dict):
        raise ValueError("not a JSON object")
    return pages


class Command(BaseCommand):
    help = (
        "For ops.bench: sends each page twice through Django's test client and prints as JSON, per page, the "
        "queries of the second request (per-process caches warm, as in a running server). --pages is a JSON object "
        '{key: {"path", "user", "method", "status", "data"}}; a POST whose data has a submission_key gets a new one '
        "and a summary starting with --prefix, so that bench_cleanup finds the records it stores. Fails when a page "
        "answers another status. Runs only on a database filled by generate_national."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=pages_json, required=True, help="The pages, as a JSON object.")
        parser.add_argument("--prefix", default="bench ", help="The stored records' summary prefix (default 'bench ').")

    def handle(self, *args, pages, prefix, **options):
        guards.require_generated_data()
        users = get_user_model().objects
        counts = {}
        for key, page in pages.items():
            path = page["path"]
            client = Client(HTTP_HOST="127.0.0.1")
            if page["user"]:
                client.force_login(users.get(username=page["user"]))
            for attempt in range(2):
                data = dict(page["data"] or {})
                if "submission_key" in data:
                    data["submission_key"] = str(uuid.uuid4())
                    data["summary"] = f"{prefix}queries {attempt}"
                with CaptureQueriesContext(connection) as queries:
                    response = client.post(path, data) if page["method"] == "POST" else client.get(path)
                if response.status_code != page["status"]:
                    raise CommandError(f"{path} answered {response.status_code}, not {page['status']}")
            counts[key] = len(queries)
        self.stdout.write(json.dumps(counts))
