"""Write the feedback corpus (four JSON-lines files) into a directory; see docs/corpus.md."""

from pathlib import Path

from django.core.management.base import BaseCommand

from challenges.corpus import corpus_write


class Command(BaseCommand):
    help = (
        "Export preferences.jsonl, flags.jsonl, context.jsonl and evals.jsonl "
        "(pseudonymous, approved or reviewed material only) into --out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="Directory to write into.")

    def handle(self, *args, out: Path, **options):
        counts = corpus_write(out_dir=out)
        for name, lines in counts.items():
            self.stdout.write(f"{out / (name + '.jsonl')}: {lines} line(s)")
