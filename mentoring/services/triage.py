"""Owners' decisions on field reports, context notes and test cases; the only place they earn
points.

Every decision is taken on a locked row still in its waiting state, so two owners deciding at
once cannot both pay out; the ledger's unique source key and daily caps are the second guard.
The reason given is shown to the reporter.
"""

from django.db import transaction
from django.utils import timezone

from config.errors import ApplicationError
from leaderboard.services import points_award
from mentoring.models import EvalCase, FieldReport, SystemContextNote
from mentoring.services.common import (
    CASE_POINTS,
    CONTEXT_KIND,
    CONTEXT_POINTS,
    REPORT_KIND,
    REPORT_POINTS,
    check_text,
    require_owner,
)

SKILL = "critical-thinking"


def _locked_new(report: FieldReport) -> FieldReport:
    locked = FieldReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != FieldReport.NEW:
        raise ApplicationError(f"This report was already decided ({locked.get_status_display()}).")
    return locked


def _decide(report: FieldReport, *, by, status: str, reason: str, duplicate_of=None) -> None:
    FieldReport.objects.filter(pk=report.pk).update(
        status=status,
        decision_reason=reason,
        decided_by=by,
        decided_at=timezone.now(),
        duplicate_of=duplicate_of,
    )


def report_confirm(*, report: FieldReport, by, reason: str = "") -> FieldReport:
    """Confirm the report's failure (and its flags and correction); the reporter earns points."""
    require_owner(by, report.system)
    reason = (reason or "").strip()[:2000] or "Confirmed: the answer was wrong as you said."
    with transaction.atomic():
        locked = _locked_new(report)
        _decide(locked, by=by, status=FieldReport.CONFIRMED, reason=reason)
        points_award(
            user=locked.reporter,
            amount=REPORT_POINTS,
            kind=REPORT_KIND,
            source_key=f"fieldreport:{locked.pk}:confirmed",
            skill=SKILL,
            reason=f"Your report on “{locked.system.name}” was confirmed.",
            content_owner=by,
        )
    report.refresh_from_db()
    return report


def report_merge(*, report: FieldReport, into: FieldReport, by, reason: str = "") -> FieldReport:
    """Merge a duplicate into an earlier report of the same system (no points for it)."""
    require_owner(by, report.system)
    if into.pk == report.pk or into.system_id != report.system_id:
        raise ApplicationError("Merge into another report of the same system.")
    if into.status == FieldReport.DUPLICATE:
        raise ApplicationError("That report is itself a duplicate: merge into its original.")
    reason = (reason or "").strip()[:2000] or f"Already reported (report {into.pk})."
    with transaction.atomic():
        locked = _locked_new(report)
        _decide(locked, by=by, status=FieldReport.DUPLICATE, reason=reason, duplicate_of=into)
    report.refresh_from_db()
    return report


def report_reject(*, report: FieldReport, by, reason: str) -> FieldReport:
    """Reject a report; the reason (required) is shown to the reporter."""
    require_owner(by, report.system)
    reason = check_text(reason, label="The reason", minimum=5, maximum=2000)
    with transaction.atomic():
        locked = _locked_new(report)
        _decide(locked, by=by, status=FieldReport.REJECTED, reason=reason)
    report.refresh_from_db()
    return report


def report_redact(*, report: FieldReport, by, asked: str, answer: str) -> FieldReport:
    """Replace personal data in the report's text; it may then be exported."""
    require_owner(by, report.system)
    asked = check_text(asked, label="What the AI was asked", minimum=3, maximum=4000)
    answer = check_text(answer, label="What the AI answered", minimum=3, maximum=8000)
    FieldReport.objects.filter(pk=report.pk).update(
        asked=asked, answer=answer.replace("\r\n", "\n"), redacted_at=timezone.now()
    )
    report.refresh_from_db()
    return report


def _owner_decides(model, item, *, by, yes: bool, reason: str, noun: str, award: dict, **fields):
    """The owner's one decision on a pending ``item`` (a reason is needed to say no); a yes
    earns its author ``award`` (``points_award`` arguments) in the same transaction."""
    require_owner(by, item.system)
    if not yes:
        reason = check_text(reason, label="The reason", minimum=5, maximum=2000)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=item.pk)
        if locked.status != model.PENDING:
            raise ApplicationError(f"This {noun} was already decided.")
        model.objects.filter(pk=item.pk).update(reason=reason.strip(), **fields)
        if yes and locked.author_id:
            points_award(user=locked.author, content_owner=by, **award)
    item.refresh_from_db()
    return item


def note_decide(*, note: SystemContextNote, by, approve: bool, reason: str = ""):
    """Approve context into the next guidance pack (the author earns points), or reject it."""
    return _owner_decides(
        SystemContextNote,
        note,
        by=by,
        yes=approve,
        reason=reason,
        noun="context note",
        award={
            "amount": CONTEXT_POINTS,
            "kind": CONTEXT_KIND,
            "source_key": f"systemnote:{note.pk}:approved",
            "skill": "context-awareness",
            "reason": f"Your context for “{note.system.name}” was approved.",
        },
        status=SystemContextNote.APPROVED if approve else SystemContextNote.REJECTED,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )


def case_decide(*, case: EvalCase, by, accept: bool, reason: str = "") -> EvalCase:
    """Accept a test case into the eval suite (its author earns points), or reject it."""
    return _owner_decides(
        EvalCase,
        case,
        by=by,
        yes=accept,
        reason=reason,
        noun="test case",
        award={
            "amount": CASE_POINTS,
            "kind": REPORT_KIND,
            "source_key": f"evalcase:{case.pk}:accepted",
            "skill": "prompt-engineering",
            "reason": f"Your test case joined the eval suite of “{case.system.name}”.",
        },
        status=EvalCase.ACCEPTED if accept else EvalCase.REJECTED,
    )
