"""The feedback corpus: what employees taught, exported as four JSON-lines files.

Only approved or reviewed material leaves the platform: corrections with at least two peer
reviews (or marked gold by L&D), approved context notes, test cases whose verdict is settled,
and flag submissions (judged automatically against the answer key). Authors appear only as
pseudonymous ids (an HMAC of the user id with ``CORPUS_PSEUDONYM_SECRET``): stable across exports,
so an author's work can be grouped, but never an e-mail address or a name.

Every line of a file has the same keys with the same types (documented in docs/corpus.md), so
each file loads with the ``datasets`` library's JSON loader as it is.
"""

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q

from challenges.models import (
    ChallengePage,
    ContextNote,
    Correction,
    EvalResult,
    FlagSubmission,
    Flaw,
    TestCase,
    TestJudgement,
)
from challenges.services.common import REQUIRED_REVIEWS
from mentoring.corpus import field_report_rows

FILES = ("preferences", "flags", "context", "evals", "field_reports")
# A correction is "chosen" over the AI output only if peers rated it at least this (1..5).
MIN_CHOSEN_SCORE = 3.0


def pseudonym(user_id: int) -> str:
    """A stable pseudonymous author id: never reversible to the account without the secret."""
    digest = hmac.new(
        settings.CORPUS_PSEUDONYM_SECRET.encode(), f"user:{user_id}".encode(), hashlib.sha256
    )
    return "a_" + digest.hexdigest()[:16]


def _challenges(ids) -> dict[int, ChallengePage]:
    return {
        c.pk: c
        for c in ChallengePage.objects.filter(pk__in=set(ids)).prefetch_related(
            "skills", Prefetch("flaws", queryset=Flaw.objects.select_related("category"))
        )
    }


def _skills(challenge: ChallengePage) -> list[str]:
    return sorted(s.slug for s in challenge.skills.all())


def preferences() -> Iterator[dict]:
    """One preference pair per challenge: the AI output (rejected) against the gold correction,
    else the best-reviewed correction with at least two reviews and a mean of 3 or more."""
    corrections = list(
        Correction.objects.filter(Q(is_gold=True) | Q(review_count__gte=REQUIRED_REVIEWS))
        .prefetch_related("reviews")
        .order_by("challenge_id", "pk")
    )
    by_challenge: dict[int, list[Correction]] = {}
    for correction in corrections:
        by_challenge.setdefault(correction.challenge_id, []).append(correction)
    challenges = _challenges(by_challenge)
    reviews = {c.pk: list(c.reviews.all()) for c in corrections}
    for challenge_id in sorted(by_challenge):
        challenge = challenges.get(challenge_id)
        if challenge is None:
            continue
        chosen = _best(by_challenge[challenge_id], reviews)
        if chosen is None:
            continue
        scores = [
            {
                "reviewer": pseudonym(r.reviewer_id),
                "accuracy": r.accuracy,
                "tone": r.tone,
                "completeness": r.completeness,
                "policy_fit": r.policy_fit,
            }
            for r in reviews.get(chosen.pk, [])
        ]
        mean = _mean(reviews.get(chosen.pk, []))
        yield {
            "id": f"correction-{chosen.pk}",
            "challenge_id": challenge.pk,
            "challenge": challenge.title,
            "scenario": challenge.scenario,
            "prompt": challenge.prompt,
            "rejected": challenge.output,
            "chosen": chosen.text,
            "rationale": chosen.rationale,
            "author": pseudonym(chosen.user_id),
            "is_gold": chosen.is_gold,
            "review_count": len(scores),
            "review_mean": float(mean if mean is not None else 0.0),
            "review_scores": scores,
            "skills": _skills(challenge),
            "model": challenge.model_name,
            "prompt_version": challenge.prompt_version,
            "created_at": chosen.created_at.isoformat(),
        }


def _mean(reviews) -> float | None:
    if not reviews:
        return None
    return round(sum(r.mean for r in reviews) / len(reviews), 3)


def _best(candidates: list[Correction], reviews: dict) -> Correction | None:
    gold = [c for c in candidates if c.is_gold]
    if gold:
        return max(gold, key=lambda c: (c.gold_at is not None, c.gold_at or c.created_at, c.pk))
    rated = [
        (mean, len(reviews.get(c.pk, [])), -c.pk, c)
        for c in candidates
        if len(reviews.get(c.pk, [])) >= REQUIRED_REVIEWS
        and (mean := _mean(reviews.get(c.pk, []))) is not None
        and mean >= MIN_CHOSEN_SCORE
    ]
    return max(rated, key=lambda row: row[:3])[3] if rated else None


def flags() -> Iterator[dict]:
    """Span annotations: each person's flags on a challenge's output, with categories.

    Spans whose text no longer matches the output (L&D edited it since) are left out, so every
    exported ``start``/``end`` indexes ``text`` exactly.
    """
    submissions = list(
        FlagSubmission.objects.prefetch_related("flags__category").order_by("challenge_id", "pk")
    )
    challenges = _challenges(s.challenge_id for s in submissions)
    for submission in submissions:
        challenge = challenges.get(submission.challenge_id)
        if challenge is None:
            continue
        text = challenge.output
        spans = [
            {
                "start": f.start,
                "end": f.end,
                "category": f.category.slug,
                "quote": f.quote,
                "note": f.note,
                "matches_answer_key": f.matched_flaw_id is not None,
            }
            for f in submission.flags.all()
            if text[f.start : f.end] == f.quote
        ]
        reference = []
        for flaw in challenge.flaws.all():
            span = flaw.span
            if span is not None:
                reference.append(
                    {
                        "start": span[0],
                        "end": span[1],
                        "category": flaw.category.slug,
                        "severity": flaw.severity,
                    }
                )
        yield {
            "id": f"flags-{submission.pk}",
            "challenge_id": challenge.pk,
            "challenge": challenge.title,
            "prompt": challenge.prompt,
            "text": text,
            "spans": spans,
            "reference_spans": reference,
            "annotator": pseudonym(submission.user_id),
            "score": float(submission.score),
            "skills": _skills(challenge),
            "created_at": submission.created_at.isoformat(),
        }


def context() -> Iterator[dict]:
    """The Context Library: approved context notes only."""
    notes = (
        ContextNote.objects.filter(status=ContextNote.APPROVED)
        .select_related("challenge")
        .prefetch_related("skills")
        .order_by("pk")
    )
    for note in notes:
        yield {
            "id": f"context-{note.pk}",
            "kind": note.kind,
            "title": note.title,
            "text": note.text,
            "skills": sorted(s.slug for s in note.skills.all()),
            "challenge_id": note.challenge_id,
            "challenge": note.challenge.title,
            "author": pseudonym(note.user_id),
            "endorsements": note.endorsement_count,
            "approved_at": (note.reviewed_at or note.created_at).isoformat(),
        }


def evals() -> Iterator[dict]:
    """The evaluation suite: judged test cases with expectations, the settled verdict and the
    latest verdict from an evaluation run ("" when the last run's answer changed)."""
    cases = list(
        TestCase.objects.exclude(status=TestCase.OPEN)
        .select_related("challenge")
        .order_by("challenge_id", "pk")
    )
    latest = {}
    for result in (
        EvalResult.objects.filter(test_case__in=cases)
        .select_related("run")
        .order_by("test_case_id", "-run__created_at", "-run_id")
    ):
        latest.setdefault(result.test_case_id, result)
    votes: dict[int, dict[str, int]] = {}
    for case_id, verdict in TestJudgement.objects.filter(test_case__in=cases).values_list(
        "test_case_id", "verdict"
    ):
        votes.setdefault(case_id, {"pass": 0, "fail": 0})[verdict] += 1
    for case in cases:
        run = latest.get(case.pk)
        tally = votes.get(case.pk, {"pass": 0, "fail": 0})
        yield {
            "id": f"testcase-{case.pk}",
            "challenge_id": case.challenge_id,
            "challenge": case.challenge.title,
            "system": f"You are the AI assistant in this scenario: {case.challenge.scenario}",
            "input": case.input,
            "must": case.must,
            "must_not": case.must_not,
            "response": case.response,
            "provider": case.provider,
            "model": case.model,
            "verdict": "fail" if case.status == TestCase.BLIND_SPOT else "pass",
            "pass_votes": tally["pass"],
            "fail_votes": tally["fail"],
            "author": pseudonym(case.user_id),
            "latest_run_at": run.run.created_at.isoformat() if run else "",
            "latest_run_model": run.run.model if run else "",
            "latest_response": run.response if run else "",
            "latest_verdict": run.verdict if run else "",
            "created_at": case.created_at.isoformat(),
        }


def field_reports() -> Iterator[dict]:
    """Confirmed field reports on the company's AI systems (redacted if they held personal
    data), with their system slug and the guidance version in force when reported."""
    return field_report_rows(pseudonym=pseudonym)


SOURCES = {
    "preferences": preferences,
    "flags": flags,
    "context": context,
    "evals": evals,
    "field_reports": field_reports,
}


def rows(name: str) -> Iterator[dict]:
    """The rows of one file (``name`` in FILES)."""
    if name not in SOURCES:
        raise KeyError(name)
    return SOURCES[name]()


def jsonl(name: str) -> str:
    """One file's content: one JSON object per line, UTF-8, LF line ends ("" when empty)."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(name))


def corpus_write(*, out_dir: Path) -> dict[str, int]:
    """Write the files into ``out_dir`` (created if needed); returns lines per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in FILES:
        content = jsonl(name)
        (out_dir / f"{name}.jsonl").write_text(content, encoding="utf-8")
        counts[name] = content.count("\n")
    return counts
