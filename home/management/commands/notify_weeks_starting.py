"""Tell participants that a challenge week is starting (run hourly from cron; idempotent)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from challenges.models import ChallengeWeek
from home.models import NotificationPreference
from home.notifications import notification_email_task
from leaderboard.services import notification_send_bulk


class Command(BaseCommand):
    help = "Notify participants of challenge weeks starting within --hours (once per week)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args, **options):
        now = timezone.now()
        weeks = ChallengeWeek.objects.filter(
            starts_at__lte=now + timedelta(hours=options["hours"]), ends_at__gt=now
        ).prefetch_related("teams")
        total = 0
        for week in weeks:
            teams = list(week.teams.all())
            if teams:
                ids = Membership.objects.filter(
                    team__in=teams, ended_at__isnull=True, user__is_active=True
                ).values_list("user_id", flat=True)
            else:
                ids = User.objects.filter(is_active=True).values_list("pk", flat=True)
            starts = timezone.localtime(week.starts_at)
            verb = "has started" if week.starts_at <= now else f"starts {starts:%a %d %b, %H:%M}"
            created = notification_send_bulk(
                user_ids=ids,
                kind="week.starting",
                message=f"The challenge week “{week.title}” {verb}.",
                url=f"{reverse('challenges:weeks')}#week-{week.pk}",
            )
            total += len(created)
            opted = set(
                NotificationPreference.objects.filter(
                    email_week=True, user_id__in=[n.user_id for n in created]
                ).values_list("user_id", flat=True)
            )
            for notification in created:
                if notification.user_id in opted:
                    notification_email_task.enqueue(notification.pk)
        self.stdout.write(f"Sent {total} week notification(s).")
