"""Creates the load and crash drill's clients (``make soak``) and says what each of them may log."""

import json
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.models import Activity
from ops import guards
from promises.models import Membership, Organisation, Promise
from seeding import strangnas as seed

PASSWORD_VARIABLE = "SOAK_PASSWORD"  # noqa: S105 - the name of an environment variable, not a password
YEAR = 2020


class Command(BaseCommand):
    help = (
        "For ops.soak: creates the users soak01, soak02, … in Strängnäs's organisations (every n-th a coordinator, "
        "the others recorders, half police and half municipality) with the password in the environment variable "
        f"{PASSWORD_VARIABLE} (not an option: a command line is visible to every user of the machine), and prints "
        f"as JSON each user's {YEAR} activities to log and the {YEAR} promise's id. Needs load_strangnas; runs only "
        "on the drill's own database (PostgreSQL, its name containing 'soak')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="How many users to create.")
        parser.add_argument(
            "--coordinator-every", type=int, required=True, help="Every n-th user is a coordinator (staff)."
        )

    def handle(self, *args, clients, coordinator_every, **options):
        guards.require_drill_database("soak")
        password = os.environ.get(PASSWORD_VARIABLE)
        if not password:
            raise CommandError(f"Set the clients' password in the environment variable {PASSWORD_VARIABLE}.")
        if clients < 1 or coordinator_every < 1:
            raise CommandError("--clients and --coordinator-every must be at least 1.")
        # One hash for every user: hashing a password per user at production strength would take longer than the
        # drill itself.
        hashed = make_password(password)
        police = Organisation.objects.get(name=seed.POLICE)
        kommun = Organisation.objects.get(name=seed.KOMMUN)
        created = []
        with transaction.atomic():
            for number in range(1, clients + 1):
                coordinator = number % coordinator_every == 0
                organisation = kommun if coordinator or number % 2 == 0 else police
                user = get_user_model().objects.create(username=f"soak{number:02d}", password=hashed)
                role = Membership.Role.COORDINATOR if coordinator else Membership.Role.RECORDER
                Membership.objects.create(user=user, organisation=organisation, role=role)
                # Without a target window: every 2020 record then counts towards the activity's total, which the
                # drill's stale-read check adds up.
                loggable = (
                    Activity.objects.loggable_by(user)
                    .filter(promise__year=YEAR, target_window_start__isnull=True)
                    .order_by("pk")
                )
                created.append(
                    {
                        "username": user.username,
                        "coordinator": coordinator,
                        "activities": list(loggable.values_list("pk", flat=True)),
                    }
                )
        promise = Promise.objects.get(slug=f"strangnas-{YEAR}")
        self.stdout.write(json.dumps({"clients": created, "promise": promise.pk}))
