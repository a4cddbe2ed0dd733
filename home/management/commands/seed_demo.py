"""Create (or bring up to date) the demo site: teams, users for every role, and app content.

Idempotent: running it twice gives the same result. Each app contributes a ``demo.py`` with a
``seed(*, stdout)`` function; they run in DEMO_APPS order, each in its own transaction, then
``home.demo_covers`` puts the demo cover images on the demo pages.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home import demo_covers

DEMO_APPS = ["accounts", "home", "leaderboard", "courses", "mentoring", "challenges"]


class Command(BaseCommand):
    help = "Create or refresh the demo content (idempotent). Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding with DEBUG off (for test and staging sites only).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates users with a known password, so it refuses to run when "
                "DEBUG is off. Use --force only on a test or staging site."
            )
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        # Last: covers go on pages the courses and challenges steps made.
        with transaction.atomic():
            demo_covers.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
