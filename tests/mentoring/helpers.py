"""Building blocks for mentoring tests: a confirmed report with its correction and context."""

from mentoring.services import feedback, guidance, triage
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, NO_RECEIPT_NEEDED


def taught_report(*, system, reporter, owner, topic="refund-receipts", approve=True):
    """A field report on the lost-receipt blind spot, corrected, with context; confirmed and
    approved by ``owner`` when ``approve``."""
    report = feedback.report_create(
        reporter=reporter, system=system, asked=LOST_RECEIPT, answer=NO_RECEIPT_NEEDED
    )
    feedback.correction_save(
        user=reporter,
        report=report,
        text=FIXED_RECEIPT,
        rationale="Our policy needs a proof of purchase; cash refunds do not exist.",
    )
    note = feedback.context_add(
        user=reporter,
        report=report,
        topic=topic,
        text="A refund needs a proof of purchase: a receipt, bank statement or order e-mail.",
    )
    if approve:
        triage.report_confirm(report=report, by=owner)
        triage.note_decide(note=note, by=owner, approve=True)
    return report, note


def publish(*, system, owner, notes=""):
    return guidance.guidance_publish(system=system, by=owner, notes=notes)
