"""Field feedback: an employee logs a bad answer, then runs the loop on it.

Anyone signed in may report on any system and work on their own reports; owners may work on
every report of their systems. Nothing here earns points: points come when owners confirm
(``mentoring.services.triage``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from config.errors import ApplicationError
from mentoring.models import (
    FLAW_CATEGORIES,
    AISystem,
    EvalCase,
    FieldReport,
    ReportCorrection,
    ReportFlag,
    SystemContextNote,
)
from mentoring.services.ask import published_pack
from mentoring.services.common import check_text, is_owner

VIA = {"form", "api", "snippet"}


def report_create(
    *,
    reporter,
    system: AISystem,
    asked: str,
    answer: str,
    where: str = "",
    has_personal_data: bool = False,
    via: str = "form",
) -> FieldReport:
    """Log a field answer for ``system``; it waits in the owners' queue as *new*."""
    if via not in VIA:
        raise ApplicationError(f"Unknown channel “{via}”.")
    errors = []
    checked = {}
    for key, label, value, low, high in (
        ("asked", "What the AI was asked", asked, 3, 4000),
        ("answer", "What the AI answered", answer, 3, 8000),
    ):
        try:
            checked[key] = check_text(value, label=label, minimum=low, maximum=high)
        except ApplicationError as exc:
            errors.extend(exc.messages)
    where = (where or "").strip()
    if len(where) > 500:
        errors.append("Where it happened is too long: keep the URL or ticket id under 500.")
    if errors:
        raise ApplicationError(errors)
    pack = published_pack(system)
    return FieldReport.objects.create(
        system=system,
        reporter=reporter,
        asked=checked["asked"],
        # Offsets of flags count characters as the browser does: LF line ends.
        answer=checked["answer"].replace("\r\n", "\n"),
        where=where,
        via=via,
        has_personal_data=bool(has_personal_data),
        guidance_version=pack.version if pack else None,
    )


def can_work_on(user, report: FieldReport) -> bool:
    return report.reporter_id == user.pk or is_owner(user, report.system)


def _require_open(user, report: FieldReport) -> None:
    if not can_work_on(user, report):
        raise PermissionDenied("Only the reporter and the system's owners can work on a report.")
    if report.status in (FieldReport.DUPLICATE, FieldReport.REJECTED):
        raise ApplicationError("This report is closed; its owners' reason is shown above.")


def flag_add(*, user, report: FieldReport, quote: str, category: str) -> ReportFlag:
    """Flag a passage of the answer (``quote``, copied exactly) with a flaw category."""
    _require_open(user, report)
    if category not in dict(FLAW_CATEGORIES):
        raise ApplicationError("Choose a flaw category from the list.")
    quote = check_text(quote, label="The flagged passage", maximum=2000).replace("\r\n", "\n")
    start = report.answer.find(quote)
    if start < 0:
        raise ApplicationError(
            "This passage does not occur in the answer. Copy it exactly (same spelling, "
            "punctuation and spaces)."
        )
    return ReportFlag.objects.create(
        report=report,
        author=user,
        start=start,
        end=start + len(quote),
        quote=quote,
        category=category,
    )


def correction_save(*, user, report: FieldReport, text: str, rationale: str) -> ReportCorrection:
    """Write (or rewrite, until confirmed) the answer the AI should have given, and why."""
    _require_open(user, report)
    if report.status == FieldReport.CONFIRMED:
        raise ApplicationError("The correction was confirmed with the report; it is final.")
    text = check_text(text, label="The corrected answer", minimum=10, maximum=8000)
    rationale = check_text(rationale, label="Why", minimum=10, maximum=2000)
    with transaction.atomic():
        correction, _ = ReportCorrection.objects.update_or_create(
            report=report, defaults={"author": user, "text": text, "rationale": rationale}
        )
    return correction


def context_add(*, user, report: FieldReport, topic: str, text: str) -> SystemContextNote:
    """Add context the system lacked; it waits for an owner's approval."""
    _require_open(user, report)
    topic_slug = slugify(check_text(topic, label="The topic", minimum=3, maximum=60))[:60]
    if not topic_slug:
        raise ApplicationError("Give the topic a few words in letters or digits.")
    text = check_text(text, label="The context", minimum=10, maximum=3000)
    return SystemContextNote.objects.create(
        system=report.system, report=report, author=user, topic=topic_slug, text=text
    )


def case_add(*, user, report: FieldReport, input_text: str, must: str, must_not: str) -> EvalCase:
    """Turn the report into a test case for the system's eval suite (an owner accepts it).

    Phrases in double quotes are checked automatically by the evals; say so in the form.
    """
    _require_open(user, report)
    input_text = check_text(input_text, label="The test input", minimum=10, maximum=2000)
    must = check_text(must, label="What a good answer must do", minimum=5, maximum=1000)
    must_not = check_text(must_not, label="What it must not do", minimum=5, maximum=1000)
    count = EvalCase.objects.filter(report=report).count()
    return EvalCase.objects.create(
        system=report.system,
        report=report,
        author=user,
        source_key=f"report:{report.pk}:case:{count + 1}",
        input=input_text,
        must=must,
        must_not=must_not,
    )
