"""Chooses what the benchmark asks for (``make bench``): a municipality, its promise, an activity and three users."""

import json
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from activities.models import Activity, ActivityRecord
from followup.models import TertialReport
from ops import guards
from promises.models import Municipality, Promise

PASSWORD_VARIABLE = "BENCH_ADMIN_PASSWORD"  # noqa: S105 - the name of an environment variable, not a password


class Command(BaseCommand):
    help = (
        "For ops.bench: picks the first municipality, by code, with one signed promise of its own for this year that "
        "has a published report and is open for logging today, that promise's first police-led activity, the "
        "recorder polis-<code> and the coordinator samordnare-<code> (made staff, for the admin); creates the "
        "superuser --admin, or resets it, with the password in the environment variable "
        f"{PASSWORD_VARIABLE} (not an option: a command line is visible to every user of the machine); and prints "
        "the choice and the database's size as JSON. Runs only on a database filled by generate_national."
    )

    def add_arguments(self, parser):
        parser.add_argument("--admin", default="bench-admin", help="The superuser's username (default bench-admin).")

    def handle(self, *args, admin, **options):
        guards.require_generated_data()
        password = os.environ.get(PASSWORD_VARIABLE)
        if not password:
            raise CommandError(f"Set the superuser's password in the environment variable {PASSWORD_VARIABLE}.")
        today = timezone.localdate()
        chosen = self._choose(today)
        if chosen is None:
            raise CommandError("No municipality has a signed promise of its own for this year with a published report.")
        municipality, promise, activity, recorder, coordinator = chosen
        superuser = get_user_model().objects.filter(username=admin).first() or get_user_model()(username=admin)
        superuser.is_staff = superuser.is_superuser = superuser.is_active = True
        superuser.password = make_password(password)
        superuser.save()
        setup = {
            "municipality": municipality.slug,
            "municipality_id": municipality.pk,
            "code": municipality.code,
            "year": today.year,
            "promise": promise.pk,
            "activity": activity.pk,
            "organisation": activity.lead_organisation_id,
            "recorder": recorder.username,
            "coordinator": coordinator.username,
            "admin": superuser.username,
            "today": today.isoformat(),
            "records": ActivityRecord.objects.count(),
            "municipalities": Municipality.objects.count(),
            "promises": Promise.objects.count(),
            "activities": Activity.objects.count(),
        }
        self.stdout.write(json.dumps(setup))

    def _choose(self, today):
        """(municipality, promise, activity, recorder, coordinator) of the first municipality that fits, or None."""
        users = get_user_model().objects
        for municipality in Municipality.objects.order_by("code"):
            promises = list(Promise.objects.public().filter(municipalities=municipality, year=today.year))
            if len(promises) != 1:
                continue
            promise = promises[0]
            if promise.municipalities.count() != 1 or promise.status != Promise.Status.SIGNED:
                continue
            if not promise.period_start <= today <= promise.period_end:
                continue
            if not TertialReport.objects.published().filter(promise=promise).exists():
                continue
            recorder = users.filter(username=f"polis-{municipality.code}").first()
            coordinator = users.filter(username=f"samordnare-{municipality.code}").first()
            if recorder is None or coordinator is None:
                continue
            activity = Activity.objects.loggable_by(recorder).filter(promise=promise, lead_organisation__kind="police")
            activity = activity.order_by("pk").first()
            if activity is None or TertialReport.objects.locking(promise_id=promise.pk, day=today).exists():
                continue
            return municipality, promise, activity, recorder, coordinator
        return None
