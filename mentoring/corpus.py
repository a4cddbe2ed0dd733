"""Field reports for the corpus export (``challenges.corpus`` writes them as a fifth file).

Only reports an owner confirmed, and only once any personal data in them was redacted. The
author id comes from the caller's pseudonym function, so the corpus has one pseudonym scheme.
"""

from collections.abc import Callable, Iterator

from mentoring.models import FieldReport


def field_report_rows(*, pseudonym: Callable[[int], str]) -> Iterator[dict]:
    """One line per confirmed, exportable field report (see docs/corpus.md)."""
    reports = (
        FieldReport.objects.filter(status=FieldReport.CONFIRMED)
        .exclude(has_personal_data=True, redacted_at__isnull=True)
        .select_related("system", "correction")
        .prefetch_related("flags")
        .order_by("pk")
    )
    for report in reports:
        correction = getattr(report, "correction", None)
        yield {
            "id": f"fieldreport-{report.pk}",
            "system": report.system.slug,
            "guidance_version": report.guidance_version or 0,
            "prompt": report.asked,
            "rejected": report.answer,
            "chosen": correction.text if correction else "",
            "rationale": correction.rationale if correction else "",
            "spans": [
                {"start": f.start, "end": f.end, "text": f.quote, "category": f.category}
                for f in report.flags.all()
            ],
            "author": pseudonym(report.reporter_id),
            "via": report.via,
            "redacted": report.redacted_at is not None,
            "confirmed_at": report.decided_at.isoformat() if report.decided_at else "",
        }
