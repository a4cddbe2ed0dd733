"""Remove the board presence rows and group memberships of dead workers (for cron)."""

from asgiref.sync import async_to_sync
from django.core.management.base import BaseCommand

from leaderboard import presence
from leaderboard.aggregates import aggregates_fold


class Command(BaseCommand):
    help = (
        "Remove live-board presence rows (and their channel-layer groups) of workers that "
        "stopped sending heartbeats or whose process on this host has ended. Run from cron, "
        "e.g. every minute; each worker also sweeps on its first socket and every heartbeat."
    )

    def handle(self, *args, **options):
        gone = presence.presence_sweep()
        async_to_sync(presence.leave_groups)(gone)
        folded = aggregates_fold()
        if folded:
            self.stdout.write(f"Folded {folded} pending standings changes of a lost process.")
        self.stdout.write(self.style.SUCCESS(f"Removed {len(gone)} presence rows of dead workers."))
