"""Fill an empty database with national-scale generated data for the benchmark (DESIGN.md §8)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from seeding.generator import GENERATED_PASSWORD, GeneratorRefused, Options, generate_national

# Table keys of seeding.copy_writer, with the Swedish word the progress lines use.
LABELS = {
    "municipalities": "kommuner",
    "places": "platser",
    "organisations": "organisationer",
    "councils": "råd",
    "users": "användare",
    "memberships": "medlemskap",
    "promises": "löften",
    "focus_areas": "fokusområden",
    "activities": "aktiviteter",
    "records": "poster",
    "record_organisations": "postorganisationer",
    "reports": "tertialuppföljningar",
    "publications": "publicerade utgåvor",
    "assessments": "bedömningar",
    "indicators": "indikatorer",
    "indicator_values": "mätvärden",
    "planned_events": "planerade aktiviteter",
}


def _number(value):
    return f"{value:,}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Fills an empty database with realistic, deterministic generated data at national scale: municipalities "
        "with districts and sites, police areas, municipalities' organisations, councils, users with memberships "
        "(password 'generated-password'), promises per municipality and year with activities of every target type, "
        "records, tertial reports in every state with snapshots, indicators and planned events. The same "
        "arguments on the same day give the same data. Refuses to run when the database holds municipalities or "
        "promises other than Strängnäs's. Rows are written in bulk, so no change history is recorded for them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=290, help="Number of municipalities (290).")
        parser.add_argument("--years", type=int, default=10, help="Number of years, ending with the current one (10).")
        parser.add_argument(
            "--records-per-activity", type=int, default=60, help="Average records per activity and year (60)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random numbers (1).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiplies municipalities and records per activity, keeping at least 2 and 6: 0.01 is a small copy.",
        )
        parser.add_argument("--quiet", action="store_true", help="Print nothing but errors.")

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be above 0.")
        size = Options.scaled(
            municipalities=options["municipalities"],
            years=options["years"],
            records_per_activity=options["records_per_activity"],
            seed=options["seed"],
            scale=options["scale"],
        )
        self.quiet = options["quiet"] or options["verbosity"] == 0
        started = time.monotonic()
        self._say(
            f"Genererar {size.municipalities} kommuner, {size.years} år, i snitt "
            f"{size.records_per_activity} poster per aktivitet (frö {size.seed}) i {connection.vendor} …",
        )
        every = max(1, size.municipalities // 20)

        def progress(done, total, counts):
            if done % every == 0 or done == total:
                self._say(
                    f"Kommuner {done}/{total} … löften {_number(counts['promises'])}, "
                    f"poster {_number(counts['records'])} ({time.monotonic() - started:.0f} s)",
                )

        try:
            generated = generate_national(size, progress=progress)
        except (GeneratorRefused, ValueError) as error:
            raise CommandError(str(error)) from None
        seconds = time.monotonic() - started
        counts = generated.counts
        total = sum(counts.values())
        links = total - sum(counts.get(key, 0) for key in LABELS)
        for label, count in [
            *((label, counts.get(key, 0)) for key, label in LABELS.items()),
            ("övriga kopplingar", links),
        ]:
            self._say(f"  {label:<24} {_number(count):>12}")
        self._say(
            self.style.SUCCESS(
                f"Klart: {_number(total)} rader på {seconds:.0f} s ({_number(round(total / max(seconds, 0.001)))} "
                f"rader/s, varav {generated.database_seconds:.0f} s i databasen). Alla användare har lösenordet "
                f"{GENERATED_PASSWORD!r}."
            )
        )

    def _say(self, message):
        if not self.quiet:
            self.stdout.write(message)
            self.stdout.flush()
