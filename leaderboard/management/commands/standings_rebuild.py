"""Recompute every standing from the points ledger (safe while awards arrive)."""

from django.core.management.base import BaseCommand

from leaderboard.services import standings_rebuild


class Command(BaseCommand):
    help = "Recompute all individual and team standings from the points ledger."

    def handle(self, *args, **options):
        counts = standings_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {counts['standings']} standings and {counts['team_standings']} "
                f"team standings from the ledger ({counts['changed']} rows changed)."
            )
        )
