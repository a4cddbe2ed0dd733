"""Notify people of assigned modules due soon or overdue (run daily from cron; idempotent)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, User
from courses.models import Assignment, ModuleCompletion
from leaderboard.services import notification_send


class Command(BaseCommand):
    help = "Send 'assignment due' notifications once per person and due date."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Notify this many days ahead.")

    def handle(self, *args, **options):
        today = timezone.localdate()
        horizon = today + timedelta(days=options["days"])
        assignments = Assignment.objects.filter(
            due_date__lte=horizon, module__live=True
        ).select_related("module", "team", "user")
        sent = 0
        for assignment in assignments.iterator():
            if assignment.user_id:
                people = User.objects.filter(pk=assignment.user_id, is_active=True)
            else:
                members = Membership.objects.filter(team=assignment.team_id, ended_at__isnull=True)
                people = User.objects.filter(Q(pk__in=members.values("user_id")), is_active=True)
            done = ModuleCompletion.objects.filter(module=assignment.module_id).values("user_id")
            module = assignment.module
            overdue = assignment.due_date < today
            when = "was due" if overdue else "is due"
            for person in people.exclude(pk__in=done):
                if notification_send(
                    user=person,
                    kind="assignment.due",
                    message=(f"“{module.title}” {when} on {assignment.due_date:%d %b %Y}."),
                    url=f"{module.url or '/skills/'}#due-{assignment.due_date.isoformat()}",
                    once=True,
                ):
                    sent += 1
        self.stdout.write(f"Sent {sent} assignment notification(s).")
