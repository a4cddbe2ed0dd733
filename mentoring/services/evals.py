"""Evaluations: a system's accepted test cases run against a model version x guidance version.

Verdicts are automatic where the case allows: phrases in double quotes in ``must`` must appear
in the answer, phrases in ``must_not`` must not (case-insensitive). A case with no quoted phrase
is queued for peer judgement (verdict ``pending``); nothing pretends to judge it.
"""

import re

from django.db import transaction
from django.db.models import F

from config.errors import ApplicationError
from mentoring.models import AISystem, EvalCase, EvalRun, EvalVerdict
from mentoring.services.ask import PUBLISHED, pack_for, system_ask
from mentoring.services.common import require_owner
from mentoring.sources import sources

QUOTED = re.compile(r"\"([^\"]{2,200})\"|“([^”]{2,200})”")


def quoted_phrases(text: str) -> list[str]:
    return [a or b for a, b in QUOTED.findall(text or "")]


def phrase_verdict(*, response: str, must: str, must_not: str) -> tuple[str, str]:
    """(verdict, detail) from the quoted phrases of ``must`` and ``must_not``."""
    required, forbidden = quoted_phrases(must), quoted_phrases(must_not)
    if not required and not forbidden:
        return EvalVerdict.PENDING, "No quoted phrase to check: waiting for peer judgement."
    answer = response.casefold()
    for phrase in forbidden:
        if phrase.casefold() in answer:
            return EvalVerdict.FAIL, f"Says “{phrase}”, which a good answer must not."
    for phrase in required:
        if phrase.casefold() not in answer:
            return EvalVerdict.FAIL, f"Does not say “{phrase}”."
    return EvalVerdict.PASS, "Every phrase check passed."


def cases_sync(*, system: AISystem) -> int:
    """Bring the settled test cases of every source into the suite (once per source key)."""
    added = 0
    for source in sources():
        for item in source.cases(system):
            _, created = EvalCase.objects.get_or_create(
                source_key=item.source_key,
                defaults={
                    "system": system,
                    "author_id": item.author_id,
                    "input": item.input,
                    "must": item.must,
                    "must_not": item.must_not,
                    "status": EvalCase.ACCEPTED,
                },
            )
            added += created
    return added


def evals_run(*, system: AISystem, guidance=PUBLISHED, by=None) -> EvalRun:
    """Run the suite with ``guidance`` (PUBLISHED, a version number or None) and record it.

    The AI is asked outside any transaction (answers take seconds); the run and its verdicts
    are written together, so an AI failure half-way records nothing (AIUnavailable propagates).
    """
    cases_sync(system=system)
    pack = pack_for(system, guidance)
    version = pack.version if pack is not None else None
    cases = list(EvalCase.objects.filter(system=system, status=EvalCase.ACCEPTED).order_by("pk"))
    answers = [
        (case, system_ask(system=system, prompt=case.input, guidance=version)) for case in cases
    ]
    with transaction.atomic():
        first = answers[0][1].result if answers else None
        run = EvalRun.objects.create(
            system=system,
            model_version=system.model_version,
            guidance_version=version,
            provider=first.provider if first else system.provider,
            model=first.model if first else system.model,
            run_by=by,
        )
        verdicts = []
        for case, asked in answers:
            verdict, detail = phrase_verdict(
                response=asked.result.text, must=case.must, must_not=case.must_not
            )
            verdicts.append(
                EvalVerdict(
                    run=run,
                    case=case,
                    response=asked.result.text,
                    verdict=verdict,
                    detail=detail,
                    fixed_by=asked.used,
                )
            )
        EvalVerdict.objects.bulk_create(verdicts)
        run.total = len(verdicts)
        run.passed = sum(v.verdict == EvalVerdict.PASS for v in verdicts)
        run.failed = sum(v.verdict == EvalVerdict.FAIL for v in verdicts)
        run.pending = sum(v.verdict == EvalVerdict.PENDING for v in verdicts)
        run.save(update_fields=["total", "passed", "failed", "pending"])
    return run


def pass_rate_line(run: EvalRun) -> str:
    """``pass rate P% (k/n)``: the last line of ``evals_run``."""
    percent = round(100 * run.passed / run.total) if run.total else 0
    return f"pass rate {percent}% ({run.passed}/{run.total})"


def verdict_judge(*, verdict: EvalVerdict, by, passed: bool) -> EvalVerdict:
    """An owner's judgement of an answer the phrase checks could not decide.

    Only a pending verdict takes a judgement (under a row lock, so two owners cannot both
    count); the run's counts move with it.
    """
    require_owner(by, verdict.run.system)
    with transaction.atomic():
        locked = EvalVerdict.objects.select_for_update().get(pk=verdict.pk)
        if locked.verdict != EvalVerdict.PENDING:
            raise ApplicationError("This answer was already judged.")
        value = EvalVerdict.PASS if passed else EvalVerdict.FAIL
        EvalVerdict.objects.filter(pk=locked.pk).update(
            verdict=value, detail=f"Judged by an owner ({by.public_name})."
        )
        counts = {"pending": F("pending") - 1}
        counts["passed" if passed else "failed"] = F("passed" if passed else "failed") + 1
        EvalRun.objects.filter(pk=locked.run_id).update(**counts)
    verdict.refresh_from_db()
    return verdict
