"""Write a system's published guidance pack for the AI team to install in production."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mentoring.models import AISystem, GuidancePack
from mentoring.services.guidance import guidance_export


class Command(BaseCommand):
    help = "Write guidance.json and system_prompt.md of a system's published guidance to --out."

    def add_arguments(self, parser):
        parser.add_argument("--system", required=True, help="The AI system's slug.")
        parser.add_argument("--out", required=True, help="The directory to write to.")
        parser.add_argument(
            "--guidance-version", type=int, help="A version (default: the published one)."
        )

    def handle(self, *args, **options):
        try:
            system = AISystem.objects.get(slug=options["system"])
        except AISystem.DoesNotExist as exc:
            raise CommandError(f"There is no AI system “{options['system']}”.") from exc
        try:
            paths = guidance_export(
                system=system, out=Path(options["out"]), version=options["guidance_version"]
            )
        except (ValueError, GuidancePack.DoesNotExist) as exc:
            raise CommandError(str(exc) or "That guidance version does not exist.") from exc
        for path in paths:
            self.stdout.write(f"wrote {path}")
