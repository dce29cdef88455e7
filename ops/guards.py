"""The checks that keep the drills' and the benchmark's management commands out of a real database.

Those commands create users (a superuser among them), log records and delete records: run by mistake against
production they would do real harm. Each one first checks that the database it is connected to is one the drill
or the benchmark made: the load and crash drill's is a PostgreSQL database named for it, as ``ops.soak`` makes it;
the benchmark's holds the generator's made-up data (the small one is named for it, a full one may be reused under
any name, so the name cannot tell).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import CommandError
from django.db import connection

from promises.models import Municipality
from seeding.generator import GENERATED_PASSWORD


def is_drill_database(word):
    """Whether Django's database is PostgreSQL and has ``word`` in its name, as ``harness.drill_database`` asks."""
    return connection.vendor == "postgresql" and word in connection.settings_dict["NAME"]


def require_drill_database(word):
    if not is_drill_database(word):
        raise CommandError(
            f"Refused: this command is for the drill's own database, a PostgreSQL database whose name contains "
            f"{word!r}; this one is {connection.vendor} {connection.settings_dict['NAME']!r}."
        )


def holds_generated_data():
    """Whether the database holds ``generate_national``'s data: its coordinators have the published password.

    A generated municipality with code ``<code>`` has the coordinator ``samordnare-<code>``, whose password is the
    generator's published one, which no real user has.
    """
    usernames = [f"samordnare-{code}" for code in Municipality.objects.values_list("code", flat=True)]
    user = get_user_model().objects.filter(username__in=usernames).order_by("username").first()
    return user is not None and check_password(GENERATED_PASSWORD, user.password)


def require_generated_data():
    if not holds_generated_data():
        raise CommandError(
            "Refused: this command is for a database filled by generate_national (its users samordnare-<code> "
            f"have the password {GENERATED_PASSWORD!r}); this one, {connection.settings_dict['NAME']!r}, is not."
        )
