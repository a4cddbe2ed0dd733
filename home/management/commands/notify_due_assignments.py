"""Notify people of assigned modules due soon or overdue (run daily from cron; idempotent)."""

from django.core.management.base import BaseCommand

from home.reminders import assignments_due_notify


class Command(BaseCommand):
    help = "Send 'assignment due' notifications once per person and due date."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Notify this many days ahead.")

    def handle(self, *args, **options):
        sent = assignments_due_notify(days=options["days"])
        self.stdout.write(f"Sent {sent} assignment notification(s).")
