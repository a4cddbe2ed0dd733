"""Queue this week's insights digest for everyone who opted in (run weekly from cron)."""

from django.core.management.base import BaseCommand

from home.insights import digest_send_task
from notifications.models import NotificationPreference

BATCH = 200


class Command(BaseCommand):
    help = "Queue the weekly insights digest e-mail for opted-in users (sent at most once a week)."

    def handle(self, *args, **options):
        ids = list(
            NotificationPreference.objects.filter(email_digest=True, user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        for start in range(0, len(ids), BATCH):
            digest_send_task.enqueue(ids[start : start + BATCH])
        self.stdout.write(f"Queued the digest for {len(ids)} people.")
