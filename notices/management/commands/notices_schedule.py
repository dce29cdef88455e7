from django.core.management.base import BaseCommand

from notices.schedule import schedule_run


class Command(BaseCommand):
    help = "Enqueue what is due: reminders, tomorrow's events, messages to retry (run every few minutes)."

    def handle(self, *args, **options):
        result = schedule_run()
        self.stdout.write(" ".join(f"{key}={value}" for key, value in result.items()))
