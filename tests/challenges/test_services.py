"""The loop's services: scoring and points, reviews and consensus, context, tests, reflections."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied

from accounts import roles
from challenges import services
from challenges.models import (
    BlindSpotDiscovery,
    ContextNote,
    Correction,
    Draft,
    FlagSubmission,
    Review,
    TestCase,
)
from challenges.services.common import (
    AGREEMENT_BONUS,
    BLIND_SPOT_POINTS,
    CONTEXT_APPROVED_POINTS,
    FIRST_FINDER_BONUS,
    REVIEW_POINTS,
    UPVOTE_POINTS,
)
from config.errors import ApplicationError
from leaderboard.models import PointsAward
from mentoring.ai.sample import GENERIC_REPLY
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import (
    REFUND_QUOTE,
    TONE_QUOTE,
    CorrectionFactory,
    ReflectionFactory,
    TestCaseFactory,
    category,
)

pytestmark = pytest.mark.django_db


def points_of(user) -> int:
    return sum(PointsAward.objects.filter(user=user).values_list("amount", flat=True))


def flag(challenge, quote, slug):
    start = challenge.output.index(quote)
    return services.FlagInput(start, start + len(quote), category(slug).pk, "")


def test_perfect_flags_earn_the_challenge_points_once(challenge, employee):
    flags = [
        flag(challenge, REFUND_QUOTE, "hallucination"),
        flag(challenge, TONE_QUOTE, "tone-empathy"),
    ]
    first = services.flags_submit(user=employee, challenge=challenge, flags=flags)
    again = services.flags_submit(user=employee, challenge=challenge, flags=flags[:1])
    assert first.pk == again.pk
    assert first.score == 1 and first.points == 100
    assert points_of(employee) == 100
    assert FlagSubmission.objects.count() == 1


def test_overlapping_and_out_of_range_flags_are_refused_with_reasons(challenge, employee):
    refund = flag(challenge, REFUND_QUOTE, "hallucination")
    overlapping = services.FlagInput(refund.start + 3, refund.end + 3, refund.category_id)
    outside = services.FlagInput(5, len(challenge.output) + 10, refund.category_id)
    with pytest.raises(ApplicationError) as exc:
        services.flags_submit(
            user=employee, challenge=challenge, flags=[refund, overlapping, outside]
        )
    text = " ".join(exc.value.messages)
    assert "Flags 1 and 2 overlap" in text
    assert "Flag 3 is outside the AI output" in text
    assert not FlagSubmission.objects.exists()


def test_a_flag_without_category_is_refused(challenge, employee):
    refund = flag(challenge, REFUND_QUOTE, "hallucination")
    with pytest.raises(ApplicationError, match="needs a flaw category"):
        services.flags_submit(
            user=employee,
            challenge=challenge,
            flags=[services.FlagInput(refund.start, refund.end, None)],
        )


def review(correction, reviewer, score, comment="Clear and kind."):
    return services.review_submit(
        reviewer=reviewer,
        correction=correction,
        scores={"accuracy": score, "tone": score, "completeness": score, "policy_fit": score},
        comment=comment,
    )


def test_author_points_are_fixed_when_the_second_review_arrives(challenge, employee):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    review(correction, first, 5)
    assert points_of(employee) == 0
    review(correction, second, 4)
    correction.refresh_from_db()
    assert correction.review_count == 2
    assert correction.score == 4.5 and correction.points == 88
    assert points_of(employee) == 88
    review(correction, third, 1, comment="Misses the policy completely.")
    assert points_of(employee) == 88  # documented: fixed at the second review


def test_reviewers_earn_points_and_an_agreement_bonus_when_near_the_consensus(challenge, employee):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    a, b, outlier = UserFactory(), UserFactory(), UserFactory()
    review(correction, a, 4)
    review(correction, b, 4)
    review(correction, outlier, 1, comment="I disagree with everything.")
    assert points_of(a) == REVIEW_POINTS + AGREEMENT_BONUS
    assert points_of(b) == REVIEW_POINTS + AGREEMENT_BONUS
    assert points_of(outlier) == REVIEW_POINTS
    assert Review.objects.get(reviewer=outlier).agrees is False


def test_nobody_reviews_their_own_work_or_reviews_twice(challenge, employee, colleague):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    with pytest.raises(PermissionDenied):
        review(correction, employee, 5)
    review(correction, colleague, 5)
    with pytest.raises(ApplicationError, match="already reviewed"):
        review(correction, colleague, 5)
    assert Correction.objects.get().review_count == 1


def test_a_low_score_needs_a_comment(challenge, employee, colleague):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    with pytest.raises(ApplicationError, match="below 3 needs a sentence"):
        review(correction, colleague, 2, comment="")
    assert not Review.objects.exists()


def test_correction_length_limits_and_unchanged_output_are_refused(challenge, employee):
    with pytest.raises(ApplicationError) as exc:
        services.correction_submit(
            user=employee, challenge=challenge, text="", rationale="x" * 3000
        )
    assert "Your rewrite is required." in exc.value.messages
    assert any("too long" in m for m in exc.value.messages)
    with pytest.raises(ApplicationError, match="same as the AI output"):
        services.correction_submit(
            user=employee,
            challenge=challenge,
            text=challenge.output,
            rationale="It is fine as it is.",
        )


def test_only_ld_marks_gold_and_the_bonus_is_paid_once(challenge, employee):
    correction = CorrectionFactory(user=employee, challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.correction_mark_gold(by=UserFactory(), correction=correction)
    manager = UserFactory(roles=[roles.LD_MANAGER])
    services.correction_mark_gold(by=manager, correction=correction)
    services.correction_mark_gold(by=manager, correction=correction)
    assert Correction.objects.get().is_gold
    assert points_of(employee) == 25


def test_context_notes_are_endorsed_by_others_and_approved_by_ld(challenge, employee, colleague):
    token = uuid.uuid4()
    note = services.context_note_submit(
        user=employee,
        challenge=challenge,
        kind="policy",
        title="Refunds need proof",
        text="Refunds within 30 days need a receipt or a card statement.",
        client_token=token,
    )
    again = services.context_note_submit(
        user=employee,
        challenge=challenge,
        kind="policy",
        title="Refunds need proof",
        text="Refunds within 30 days need a receipt or a card statement.",
        client_token=token,
    )
    assert again.pk == note.pk
    with pytest.raises(PermissionDenied):
        services.context_note_endorse(user=employee, note=note)
    assert services.context_note_endorse(user=colleague, note=note) is True
    assert services.context_note_endorse(user=colleague, note=note) is False
    with pytest.raises(PermissionDenied):
        services.context_note_review(by=colleague, note=note, approve=True)
    services.context_note_review(by=UserFactory(roles=[roles.LD_AUTHOR]), note=note, approve=True)
    note.refresh_from_db()
    assert note.status == ContextNote.APPROVED and note.endorsement_count == 1
    assert points_of(employee) == CONTEXT_APPROVED_POINTS


def test_the_sample_ai_answers_a_probe_with_its_scripted_behaviour(challenge, employee):
    test_case = services.testcase_run(
        user=employee,
        challenge=challenge,
        input_text="I have lost my receipt. Can I still return the kettle?",
        must="Ask for another proof of purchase",
        must_not="Promise a refund with no receipt",
        client_token=uuid.uuid4(),
    )
    assert test_case.behaviour_id == challenge.behaviours.get().pk
    assert "Receipts are never needed" in test_case.response
    unrelated = services.testcase_run(
        user=employee,
        challenge=challenge,
        input_text="What colour is the sky on Mars at noon?",
        must="Say it does not know",
        must_not="Talk about refunds",
        client_token=uuid.uuid4(),
    )
    # No scripted behaviour matches: a marked generic reply, never the challenge's own output.
    assert unrelated.behaviour_id is None and unrelated.response == GENERIC_REPLY
    assert unrelated.response.startswith("[Demo stand-in")


def judge_all(test_case, verdicts):
    for judge, verdict in verdicts:
        services.testcase_judge(judge=judge, test_case=test_case, verdict=verdict)
    test_case.refresh_from_db()
    return test_case


def test_a_failure_confirmed_by_peers_is_a_blind_spot_and_the_first_finder_gets_a_bonus(challenge):
    behaviour = challenge.behaviours.get()
    first = TestCaseFactory(challenge=challenge, behaviour=behaviour)
    second = TestCaseFactory(challenge=challenge, behaviour=behaviour)
    p1, p2 = UserFactory(), UserFactory()
    judge_all(first, [(first.user, "fail"), (p1, "fail")])
    assert first.status == TestCase.OPEN  # one peer is not enough
    judge_all(first, [(p2, "fail")])
    assert first.status == TestCase.BLIND_SPOT
    judge_all(second, [(p1, "fail"), (p2, "fail")])
    assert second.status == TestCase.BLIND_SPOT
    assert points_of(first.user) == BLIND_SPOT_POINTS + FIRST_FINDER_BONUS
    assert points_of(second.user) == BLIND_SPOT_POINTS
    assert BlindSpotDiscovery.objects.get().user == first.user
    with pytest.raises(ApplicationError, match="already judged"):
        services.testcase_judge(judge=p1, test_case=first, verdict="pass")


def test_peers_who_find_the_answer_fine_make_it_a_pass(challenge):
    test_case = TestCaseFactory(challenge=challenge)
    test_case = judge_all(
        test_case, [(test_case.user, "fail"), (UserFactory(), "pass"), (UserFactory(), "pass")]
    )
    assert test_case.status == TestCase.PASSED
    assert points_of(test_case.user) == 0


def test_the_evaluation_suite_shows_pass_rate_then_and_now(challenge):
    behaviour = challenge.behaviours.get()
    failing = TestCaseFactory(challenge=challenge, behaviour=behaviour, response=behaviour.response)
    judge_all(failing, [(UserFactory(), "fail"), (UserFactory(), "fail")])
    manager = UserFactory(roles=[roles.LD_MANAGER])
    run = services.eval_run(challenge=challenge, by=manager)
    assert (run.total, run.passed, run.unjudged) == (1, 0, 0)
    # The model is "fixed": the blind spot now answers well, so the answer changed.
    behaviour.response = "I'm sorry about the kettle. A card statement works as proof of purchase."
    behaviour.save()
    run = services.eval_run(challenge=challenge, by=manager)
    assert run.unjudged == 1 and run.results.get().changed
    with pytest.raises(PermissionDenied):
        services.eval_run(challenge=challenge, by=UserFactory())


def test_upvotes_pay_the_author_never_self_and_never_twice(challenge, employee, colleague):
    reflection = ReflectionFactory(user=employee, challenge=challenge)
    with pytest.raises(PermissionDenied):
        services.reflection_upvote(user=employee, reflection=reflection)
    assert services.reflection_upvote(user=colleague, reflection=reflection)
    assert not services.reflection_upvote(user=colleague, reflection=reflection)
    reflection.refresh_from_db()
    assert reflection.upvote_count == 1
    assert points_of(employee) == UPVOTE_POINTS


def test_drafts_are_replaced_bounded_and_discarded_on_submit(challenge, employee):
    services.draft_save(user=employee, challenge=challenge, step="correct", data={"text": "a"})
    services.draft_save(
        user=employee, challenge=challenge, step="correct", data={"text": "ab", "rationale": "c"}
    )
    assert Draft.objects.get().data == {"text": "ab", "rationale": "c"}
    with pytest.raises(ApplicationError, match="longer than"):
        services.draft_save(
            user=employee, challenge=challenge, step="correct", data={"text": "x" * 30_000}
        )
    services.correction_submit(
        user=employee,
        challenge=challenge,
        text="A better, honest answer to the customer.",
        rationale="The refund policy was invented.",
    )
    assert not Draft.objects.exists()


def test_closed_steps_refuse_submissions(employee):
    from tests.challenges.factories import make_challenge

    closed = make_challenge(open_correct=False)
    with pytest.raises(ApplicationError, match="Correct step of this challenge is closed"):
        services.correction_submit(
            user=employee,
            challenge=closed,
            text="A better, honest answer to the customer.",
            rationale="The refund policy was invented.",
        )


def test_records_keep_the_authors_team(challenge):
    team = TeamFactory()
    user = UserFactory(team=team)
    correction = services.correction_submit(
        user=user,
        challenge=challenge,
        text="A better, honest answer to the customer.",
        rationale="The refund policy was invented.",
    )
    assert correction.team == team
