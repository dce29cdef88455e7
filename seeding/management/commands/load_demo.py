"""Demo users, one per role, and a few example records so that a new user sees progress move."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activities.models import Activity, ActivityRecord
from promises.models import Membership, Organisation, Place, Promise

POLICE = "Polisen, lokalpolisområde Strängnäs"
MUNICIPALITY = "Strängnäs kommun"

# username, first name, last name, organisation, role (None: administrator)
DEMO_USERS = [
    ("polis", "Pia", "Polis", POLICE, Membership.Role.RECORDER),
    ("kommun", "Kim", "Kommun", MUNICIPALITY, Membership.Role.RECORDER),
    ("samordnare", "Sam", "Samordnare", MUNICIPALITY, Membership.Role.COORDINATOR),
    ("radsledamot", "Rut", "Rådsledamot", MUNICIPALITY, Membership.Role.COUNCIL),
    ("admin", "Ada", "Administratör", None, None),
]

# promise slug, activity kind slug, date, quantity, place name, recorder, summary
EXAMPLE_RECORDS = [
    ("strangnas-2020", "planlagd-insats", datetime.date(2020, 3, 12), 1, "Strängnäs", "polis",
     "Exempel: planlagd insats med inriktning ungdomar och narkotika i centrala Strängnäs."),
    ("strangnas-2020", "foraldratraff", datetime.date(2020, 2, 20), 1, "Mariefred", "kommun",
     "Exempel: föräldraträff på högstadieskola med narkotikainformation från polisen."),
    ("strangnas-2020", "kontaktarbete", datetime.date(2020, 1, 28), 1, None, "polis",
     "Exempel: möte med fritidsgård och socialtjänst om läget bland unga."),
    ("strangnas-2019", "grannsamverkansomrade", datetime.date(2019, 4, 10), 3, "Stallarholmen", "kommun",
     "Exempel: tre nya grannsamverkansområden startade efter informationsmöte."),
    ("strangnas-2019", "trygghetsvandring", datetime.date(2019, 5, 14), 1, "Strängnäs resecentrum", "kommun",
     "Exempel: trygghetsvandring kring resecentrum tillsammans med polisen."),
]  # fmt: skip


def demo_password(username):
    return f"demo-{username}-2020"


class Command(BaseCommand):
    help = "Creates one demo user per role and a few example records. Runs only with DEBUG on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("load_demo creates users with known passwords: it runs only with DEBUG=true.")
        if not Promise.objects.filter(slug="strangnas-2020").exists():
            raise CommandError("Run load_strangnas first: the demo data builds on Strängnäs's promises.")
        with transaction.atomic():
            users = self._create_users()
            created = self._create_records(users)
        self.stdout.write(self.style.SUCCESS(f"Demoanvändare klara; {created} nya exempelregistreringar."))
        self.stdout.write("Logga in på http://127.0.0.1:8000/logga-in/ som:")
        for username, _first, _last, organisation, role in DEMO_USERS:
            what = Membership.Role(role).label if role else "Administratör"
            where = f", {organisation}" if organisation else ""
            self.stdout.write(f"  {username:<12} lösenord {demo_password(username):<24} {what}{where}")

    def _create_users(self):
        user_model = get_user_model()
        users = {}
        for username, first, last, organisation_name, role in DEMO_USERS:
            user, _ = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    # Only the administrator uses the admin; coordinators run their year in the staff workspace.
                    "is_staff": role is None,
                    "is_superuser": role is None,
                },
            )
            user.set_password(demo_password(username))
            user.save(update_fields=["password"])
            if organisation_name:
                organisation = Organisation.objects.get(name=organisation_name)
                # Loaded data, not a grant by anyone: the demo's memberships have no one to attribute them to.
                Membership.objects.update_or_create(user=user, organisation=organisation, defaults={"role": role})
            users[username] = user
        return users

    def _create_records(self, users):
        created = 0
        for promise_slug, kind_slug, occurred_on, quantity, place_name, username, summary in EXAMPLE_RECORDS:
            activity = Activity.objects.select_related("promise").get(promise__slug=promise_slug, kind__slug=kind_slug)
            place = Place.objects.get(name=place_name) if place_name else None
            record, was_created = ActivityRecord.objects.get_or_create(
                activity=activity,
                occurred_on=occurred_on,
                summary=summary,
                defaults={"quantity": quantity, "place": place, "recorded_by": users[username]},
            )
            if was_created:
                record.participating_organisations.set([activity.lead_organisation])
                created += 1
        return created
