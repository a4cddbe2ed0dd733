"""Tell participants that a challenge week is starting (run hourly from cron; idempotent)."""

from django.core.management.base import BaseCommand

from home.reminders import weeks_starting_notify


class Command(BaseCommand):
    help = "Notify participants of challenge weeks starting within --hours (once per week)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, **options):
        total = weeks_starting_notify(hours=options["hours"])
        self.stdout.write(f"Sent {total} week notification(s).")
