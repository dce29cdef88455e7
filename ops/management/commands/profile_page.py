"""Profiles one page as one person with cProfile (the standard library's profiler): where a request's time goes.

``docs/PERFORMANCE.md`` §9 has what it found for the logged-in floor and the staff pages.
"""

import cProfile
import io
import json
import pstats
import statistics
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from ops import guards

# The manifest storage production uses needs collected static files; the plain storage answers the same URLs
# without them (a dictionary look-up less per static URL), so the command runs from a checkout.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


class Command(BaseCommand):
    help = (
        "Profiles one page with cProfile: sends it through Django's test client as --user (none: anonymous) a few "
        "times to warm up, then --repeat times under the profiler, and prints the time per request, the queries "
        "per request and the --top functions by cumulative and by own time. --cold empties the cache before each "
        "request (as after a restart); --data sends a POST with that JSON object as the form (a submission_key in "
        "it gets a new value each time). Run it with the production settings' DEBUG=false for figures like the "
        "benchmark's (DEBUG adds the debug toolbar's and the template loader's costs). Runs only on a database "
        "filled by generate_national, since it logs in as anyone and may post forms."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The page's address, e.g. /matsida/ or /uppfoljning/12/.")
        parser.add_argument("--user", help="Whose page (a username); anonymous when left out.")
        parser.add_argument("--data", type=json.loads, help="A POST's form fields, as a JSON object.")
        parser.add_argument("--repeat", type=int, default=20, help="Profiled requests (default 20).")
        parser.add_argument("--warm", type=int, default=3, help="Requests before profiling (default 3).")
        parser.add_argument("--top", type=int, default=25, help="Functions to print per ordering (default 25).")
        parser.add_argument("--cold", action="store_true", help="Empty the cache before every request.")
        parser.add_argument("--status", type=int, help="The status the page must answer (default 200, POST 302).")

    def handle(self, *args, path, user, data, repeat, warm, top, cold, status, **options):
        guards.require_generated_data()
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        expected = status or (302 if data is not None else 200)
        client = Client(HTTP_HOST="127.0.0.1")
        if user:
            found = get_user_model().objects.filter(username=user).first()
            if found is None:
                raise CommandError(f"No user {user!r}.")
            client.force_login(found)

        def send():
            if cold:
                cache.clear()
            if data is None:
                response = client.get(path)
            else:
                form = dict(data)
                if "submission_key" in form:
                    form["submission_key"] = str(uuid.uuid4())
                response = client.post(path, form)
            if response.status_code != expected:
                raise CommandError(f"{path} answered {response.status_code}, not {expected}.")
            return response

        with override_settings(STORAGES=PLAIN_STATIC):
            for _ in range(warm):
                send()
            profile = cProfile.Profile()
            times, queries = [], []
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    profile.enable()
                    send()
                    profile.disable()
                    times.append(1000 * (time.perf_counter() - started))
                queries.append(len(captured))
        self.stdout.write(
            f"{path} as {user or 'anonymous'}{' (cache emptied each time)' if cold else ''}: {repeat} requests, "
            f"median {statistics.median(times):.2f} ms under the profiler (min {min(times):.2f}), "
            f"{statistics.median(queries):g} queries a request"
        )
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            stats = pstats.Stats(profile, stream=text)
            stats.strip_dirs().sort_stats(order).print_stats(top)
            self.stdout.write(f"\n--- top {top} by {order} time (all {repeat} requests together) ---")
            # pstats prints a preamble and the table; keep the table.
            body = text.getvalue()
            self.stdout.write(body[body.find("   ncalls") :].rstrip())
