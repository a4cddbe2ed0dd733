"""Fill a database with company-scale data for benchmarks (see home/scale.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from home import scale


class Command(BaseCommand):
    help = (
        "Bulk-create users with one known password, teams, challenge weeks and a long-tailed "
        "points ledger, then rebuild the standings and grant the badges that ledger earns by "
        "the site's rules (no notifications; week placement badges are not judged), as "
        "employees with points would hold them. Refused when DEBUG is off, and on a database "
        "that already holds seeded-scale rows unless --reset (or --badges-only: only grant the "
        "badges an earlier seed's ledger earns, for a database seeded before seeds granted them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10_000)
        parser.add_argument("--teams", type=int, default=200)
        parser.add_argument("--awards", type=int, default=200_000, help="Ledger rows to write.")
        parser.add_argument("--weeks", type=int, default=8, help="Challenge weeks (fortnightly).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data again).")
        parser.add_argument(
            "--reset", action="store_true", help="Remove earlier seeded-scale rows first."
        )
        parser.add_argument(
            "--badges-only",
            action="store_true",
            help="Only grant the badges the seeded ledger earns and its people do not hold.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding with DEBUG off (for test, staging and benchmark sites only).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_scale creates users with a known password, so it refuses to run when "
                "DEBUG is off. Use --force only on a test, staging or benchmark site."
            )
        if options["badges_only"]:
            granted = scale.scale_badges()
            self.stdout.write(self.style.SUCCESS(f"Granted {granted} badges to seeded people."))
            return
        if options["reset"] and scale.scale_present():
            removed = scale.scale_reset()
            self.stdout.write(f"Removed the earlier seeded-scale data ({removed} awards).")
        try:
            timings = scale.scale_seed(
                users=options["users"],
                teams=options["teams"],
                awards=options["awards"],
                weeks=options["weeks"],
                password=settings.DEMO_PASSWORD,
                seed=options["seed"],
            )
        except scale.ScaleError as exc:
            raise CommandError(str(exc)) from exc
        spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {options['users']} users (user0…user{options['users'] - 1}@"
                f"{scale.DOMAIN}, password DEMO_PASSWORD) in {options['teams']} teams with "
                f"{options['awards']} awards: {spent}."
            )
        )
