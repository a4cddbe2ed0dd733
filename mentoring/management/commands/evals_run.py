"""Run a system's eval suite with a guidance version (or none) and record every verdict."""

from django.core.management.base import BaseCommand, CommandError

from mentoring.ai import AIUnavailable
from mentoring.models import AISystem, GuidancePack
from mentoring.services.ask import PUBLISHED
from mentoring.services.evals import evals_run, pass_rate_line


class Command(BaseCommand):
    help = (
        "Run the accepted test cases of --system against it, with --guidance VERSION, 'none', "
        "or (default) the published version. The last line is 'pass rate P% (k/n)'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--system", required=True, help="The AI system's slug.")
        parser.add_argument("--guidance", default=PUBLISHED, help="A version number, or none.")

    def handle(self, *args, **options):
        try:
            system = AISystem.objects.get(slug=options["system"])
        except AISystem.DoesNotExist as exc:
            raise CommandError(f"There is no AI system “{options['system']}”.") from exc
        guidance = options["guidance"]
        if guidance == "none":
            guidance = None
        elif guidance != PUBLISHED:
            if not guidance.isdigit():
                raise CommandError("--guidance is a version number, 'none' or 'published'.")
            guidance = int(guidance)
        try:
            run = evals_run(system=system, guidance=guidance)
        except GuidancePack.DoesNotExist as exc:
            raise CommandError(f"“{system.slug}” has no guidance v{guidance}.") from exc
        except AIUnavailable as exc:
            raise CommandError(str(exc)) from exc
        for verdict in run.verdicts.select_related("case").order_by("case_id"):
            self.stdout.write(f"{verdict.verdict:7} case {verdict.case_id}: {verdict.detail}")
        self.stdout.write(
            f"{system.slug} model {run.model_version} x guidance {run.guidance_label}: "
            f"{run.passed} pass, {run.failed} fail, {run.pending} waiting for judgement"
        )
        self.stdout.write(pass_rate_line(run))
