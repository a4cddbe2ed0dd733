"""Finalise challenge weeks that have ended: reveal the final board, award placement badges.

Idempotent (a week is finalised once), so run it from cron every few minutes.
"""

from django.core.management.base import BaseCommand

from challenges.services import weeks_close


class Command(BaseCommand):
    help = "Finalise ended challenge weeks (reveal final boards, award badges). Safe to repeat."

    def handle(self, *args, **options):
        closed = weeks_close()
        for week in closed:
            self.stdout.write(f"Finalised “{week.title}” (week {week.pk}).")
        self.stdout.write(f"{len(closed)} week(s) finalised.")
