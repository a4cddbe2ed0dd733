"""Test: running a test case against the AI, judging it, blind spots, and the evaluation suite.

A test case becomes a **blind spot** when at least two peers have judged it and fail verdicts
outnumber pass verdicts (the author's own verdict counts as one vote). The author earns blind-spot
points; the first to find each blind spot on a challenge (a planted behaviour, the default output,
or — with a live model — the challenge) earns a bonus, decided by a unique row so a race has one
winner.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import is_ld
from challenges.attempt_cache import attempt_changed
from challenges.models import (
    BlindSpotDiscovery,
    ChallengePage,
    EvalResult,
    EvalRun,
    TestCase,
    TestJudgement,
)
from challenges.services.common import (
    BLIND_SPOT_POINTS,
    FIRST_FINDER_BONUS,
    JUDGEMENT_POINTS,
    REQUIRED_PEER_JUDGEMENTS,
    STEP_SKILLS,
    length_errors,
    require_open,
    step_record_create,
)
from challenges.services.weeks import week_id_for
from config.errors import ApplicationError
from leaderboard.kinds import BLIND_SPOT_KIND, FIRST_FINDER_KIND
from leaderboard.services import points_award
from mentoring.ai import AIResult, get_provider
from mentoring.services.ask import system_ask


def _ask(challenge: ChallengePage, prompt: str, provider_name: str | None = None) -> AIResult:
    system = f"You are the AI assistant in this scenario: {challenge.scenario}"
    if challenge.ai_system_id and provider_name is None:
        # The challenge is about a company AI system: ask that system, with its published
        # guidance in force (mentoring.services.ask).
        return system_ask(
            system=challenge.ai_system, prompt=prompt, challenge=challenge, extra_system=system
        ).result
    return get_provider(provider_name).generate(prompt, {"challenge": challenge, "system": system})


def testcase_run(
    *,
    user,
    challenge: ChallengePage,
    input_text: str,
    must: str,
    must_not: str,
    client_token: uuid.UUID,
    provider: str | None = None,
) -> TestCase:
    """Ask the configured AI the test input and record the test case with its answer.

    Raises AIUnavailable (nothing recorded) when the AI cannot answer. A repeated submit with
    the same token returns the first test case without asking the AI again.
    """
    existing = TestCase.objects.filter(user=user, client_token=client_token).first()
    if existing is not None:
        return existing
    require_open(challenge, "test")
    errors = length_errors(
        ("The test input", input_text, 10, 2000),
        ("What a good answer must do", must, 5, 1000),
        ("What a good answer must not do", must_not, 5, 1000),
    )
    if errors:
        raise ApplicationError(errors)
    # The AI call happens outside any transaction: it can take seconds.
    result = _ask(challenge, input_text.strip(), provider)
    return step_record_create(
        TestCase,
        user=user,
        challenge=challenge,
        step="test",
        lookup={"user": user, "client_token": client_token},
        fields={
            "input": input_text.strip(),
            "must": must.strip(),
            "must_not": must_not.strip(),
            "response": result.text,
            "provider": result.provider,
            "model": result.model,
            "behaviour_id": result.behaviour_id,
            "client_token": client_token,
        },
    )


SETTLED_OUTCOMES = {TestCase.BLIND_SPOT: "a blind spot was found", TestCase.PASSED: "the AI passed"}


def testcase_judge(*, judge, test_case: TestCase, verdict: str) -> TestJudgement:
    """Record a pass/fail verdict; with enough peer verdicts, settle the test case.

    Refused (ApplicationError, nothing recorded, no points) for a second verdict by the same
    judge and for a test case that is already settled: its outcome is final, so a late verdict
    would only be paid work that changes nothing. The status is read under the row lock, so a
    verdict racing the one that settles it is refused too.
    """
    if verdict not in (TestJudgement.PASS, TestJudgement.FAIL):
        raise ApplicationError("Choose pass or fail.")
    is_author = test_case.user_id == judge.pk
    if TestJudgement.objects.filter(test_case=test_case, judge=judge).exists():
        raise ApplicationError("You have already judged this test case.")
    try:
        with transaction.atomic():
            locked = TestCase.objects.select_for_update().get(pk=test_case.pk)
            if locked.status != TestCase.OPEN:
                raise ApplicationError(
                    f"This test case is already settled ({SETTLED_OUTCOMES[locked.status]}): "
                    "it takes no more verdicts, and judging it earns no points."
                )
            judgement = TestJudgement.objects.create(
                test_case=locked, judge=judge, verdict=verdict, is_author=is_author
            )
            if not is_author:
                TestCase.objects.filter(pk=locked.pk).update(
                    peer_judgement_count=F("peer_judgement_count") + 1
                )
                attempt_changed([(locked.user_id, locked.challenge_id)])
                points_award(
                    user=judge,
                    amount=JUDGEMENT_POINTS,
                    kind="review.given",
                    source_key=f"testcase:{locked.pk}:judged:user:{judge.pk}",
                    skill=STEP_SKILLS["review"],
                    week_id=week_id_for(locked.challenge_id, user=judge),
                    reason="Judged a colleague's test case.",
                    content_owner=locked.user,
                )
            _settle(locked)
    except IntegrityError as exc:
        raise ApplicationError("You have already judged this test case.") from exc
    test_case.refresh_from_db()
    return judgement


def _settle(test_case: TestCase) -> None:
    if test_case.status != TestCase.OPEN:
        return
    verdicts = list(
        TestJudgement.objects.filter(test_case=test_case).values_list("verdict", "is_author")
    )
    peers = sum(1 for _, author in verdicts if not author)
    if peers < REQUIRED_PEER_JUDGEMENTS:
        return
    fails = sum(1 for v, _ in verdicts if v == TestJudgement.FAIL)
    passes = len(verdicts) - fails
    if fails == passes:
        return  # a tie waits for another verdict
    now = timezone.now()
    attempt_changed([(test_case.user_id, test_case.challenge_id)])
    if passes > fails:
        TestCase.objects.filter(pk=test_case.pk).update(status=TestCase.PASSED, confirmed_at=now)
        return
    TestCase.objects.filter(pk=test_case.pk).update(status=TestCase.BLIND_SPOT, confirmed_at=now)
    challenge = test_case.challenge
    points_award(
        user=test_case.user,
        amount=BLIND_SPOT_POINTS,
        kind=BLIND_SPOT_KIND,
        source_key=f"testcase:{test_case.pk}:blind_spot",
        skill=STEP_SKILLS["test"],
        week_id=week_id_for(test_case.challenge_id, user=test_case.user),
        reason=f"Your test case found a blind spot in “{challenge.title}”.",
    )
    if test_case.behaviour_id:
        key = f"behaviour:{test_case.behaviour_id}"
    elif test_case.provider == "sample":
        key = "output"
    else:
        key = "challenge"
    try:
        with transaction.atomic():
            BlindSpotDiscovery.objects.create(
                challenge_id=test_case.challenge_id,
                key=key,
                test_case=test_case,
                user=test_case.user,
            )
    except IntegrityError:
        return  # someone found it first
    points_award(
        user=test_case.user,
        amount=FIRST_FINDER_BONUS,
        # Its own kind: the first-finder badge counts these awards, and only these.
        kind=FIRST_FINDER_KIND,
        source_key=f"challenge:{test_case.challenge_id}:first_finder:{key}",
        skill=STEP_SKILLS["test"],
        week_id=week_id_for(test_case.challenge_id, user=test_case.user),
        reason="You were the first to find this blind spot.",
    )


def eval_run(*, challenge: ChallengePage, by, provider: str | None = None) -> EvalRun:
    """Re-run the challenge's test cases against the provider and record pass rate now.

    A response identical to the judged one keeps its verdict; a changed response is counted as
    unjudged (people judge answers; this suite does not pretend to). Nothing is written unless
    every test case got an answer.
    """
    if not is_ld(by):
        raise PermissionDenied("Only L&D can run the evaluation suite.")
    test_cases = list(TestCase.objects.filter(challenge=challenge).order_by("pk"))
    answers = [(tc, _ask(challenge, tc.input, provider)) for tc in test_cases]
    provider_name = answers[0][1].provider if answers else get_provider(provider).name
    model = answers[0][1].model if answers else ""
    with transaction.atomic():
        run = EvalRun.objects.create(
            challenge=challenge, provider=provider_name, model=model, run_by=by
        )
        results = []
        for tc, answer in answers:
            changed = answer.text.strip() != tc.response.strip()
            verdict = ""
            if not changed:
                verdict = {TestCase.PASSED: "pass", TestCase.BLIND_SPOT: "fail"}.get(tc.status, "")
            results.append(
                EvalResult(
                    run=run, test_case=tc, response=answer.text, verdict=verdict, changed=changed
                )
            )
        EvalResult.objects.bulk_create(results)
        run.total = len(results)
        run.passed = sum(1 for r in results if r.verdict == "pass")
        run.unjudged = sum(1 for r in results if not r.verdict)
        run.save(update_fields=["total", "passed", "unjudged"])
    return run
