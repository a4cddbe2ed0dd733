"""Correct: rewrites, peer reviews with the rubric, consensus, and L&D's gold mark.

Points follow the reviews this way: the author's points are fixed **once, when the second
review arrives** (the mean rubric score of the reviews so far); later reviews still earn their
reviewer points and agreement bonus but do not change the author's award. Each reviewer whose
scores agree with the consensus at the time (per-criterion median of all reviews so far) gets an
agreement bonus once.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import is_ld
from challenges import scoring
from challenges.attempt_cache import attempt_changed
from challenges.models import ChallengePage, Correction, Criterion, Review
from challenges.services.common import (
    AGREEMENT_BONUS,
    GOLD_BONUS,
    REQUIRED_REVIEWS,
    REVIEW_POINTS,
    STEP_SKILLS,
    length_errors,
    primary_skill,
    require_open,
    step_record_create,
)
from challenges.services.weeks import week_id_for
from config.errors import ApplicationError
from leaderboard.services import points_award, users_lock

TEXT_LIMITS = (20, 5000)
RATIONALE_LIMITS = (20, 2000)
COMMENT_LIMIT = 2000


def correction_submit(*, user, challenge: ChallengePage, text: str, rationale: str) -> Correction:
    """Record a user's rewrite and rationale (one per challenge; a retry returns the first)."""
    existing = Correction.objects.filter(user=user, challenge=challenge).first()
    if existing is not None:
        return existing
    require_open(challenge, "correct")
    errors = length_errors(("Your rewrite", text, *TEXT_LIMITS))
    if not errors and text.strip() == challenge.output.strip():
        errors.append("Your rewrite is the same as the AI output. Change what is wrong.")
    errors += length_errors(("Your explanation", rationale, *RATIONALE_LIMITS))
    if errors:
        raise ApplicationError(errors)
    return step_record_create(
        Correction,
        user=user,
        challenge=challenge,
        step="correct",
        lookup={"user": user, "challenge": challenge},
        fields={"text": text.strip(), "rationale": rationale.strip()},
    )


def _clean_scores(scores: dict[str, object]) -> dict[str, int]:
    cleaned, errors = {}, []
    for criterion in Criterion:
        try:
            value = int(scores.get(criterion.value))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors.append(f"{criterion.label} needs a score from 1 to 5.")
        cleaned[criterion.value] = value
    if errors:
        raise ApplicationError(errors)
    return cleaned


OWN_CORRECTION = "You cannot review your own correction."
ALREADY_REVIEWED = "You have already reviewed this correction; each person reviews it once."


def review_check(*, reviewer, correction: Correction) -> None:
    """Refuse a review of one's own correction (PermissionDenied: it is not theirs to review)
    or a second review by the same person (ApplicationError).

    The review page asks this before showing the form, so the rule is written once.
    """
    if correction.user_id == reviewer.pk:
        raise PermissionDenied(OWN_CORRECTION)
    if Review.objects.filter(correction=correction, reviewer=reviewer).exists():
        raise ApplicationError(ALREADY_REVIEWED)


def review_submit(
    *, reviewer, correction: Correction, scores: dict[str, object], comment: str = ""
) -> Review:
    """Record a peer review, award the reviewer, and settle consensus and the author's points."""
    review_check(reviewer=reviewer, correction=correction)
    cleaned = _clean_scores(scores)
    comment = (comment or "").strip()
    if min(cleaned.values()) < 3 and not comment:
        raise ApplicationError(
            "Please add a comment: any score below 3 needs a sentence on what to improve."
        )
    if len(comment) > COMMENT_LIMIT:
        raise ApplicationError(
            f"Your comment is too long: the limit is {COMMENT_LIMIT} characters."
        )
    challenge = correction.challenge
    try:
        with transaction.atomic():
            locked = Correction.objects.select_for_update().get(pk=correction.pk)
            # Everyone this review may pay (reviewer, author, earlier reviewers' agreement),
            # locked in one order so that crossing reviews cannot deadlock.
            users_lock(
                [
                    reviewer.pk,
                    locked.user_id,
                    *Review.objects.filter(correction=locked).values_list("reviewer_id", flat=True),
                ]
            )
            review = Review.objects.create(
                correction=locked,
                reviewer=reviewer,
                challenge_id=locked.challenge_id,
                team=reviewer.current_team,
                comment=comment,
                **cleaned,
            )
            Correction.objects.filter(pk=locked.pk).update(review_count=F("review_count") + 1)
            attempt_changed([(locked.user_id, locked.challenge_id)])
            points_award(
                user=reviewer,
                amount=REVIEW_POINTS,
                kind="review.given",
                source_key=f"correction:{locked.pk}:review:user:{reviewer.pk}",
                skill=STEP_SKILLS["review"],
                week_id=week_id_for(challenge.pk, user=reviewer),
                reason=f"Reviewed a correction on “{challenge.title}”.",
                content_owner=locked.user,
            )
            _settle(locked, challenge)
    except IntegrityError as exc:
        raise ApplicationError(ALREADY_REVIEWED) from exc
    correction.refresh_from_db()
    return review


def _settle(correction: Correction, challenge: ChallengePage) -> None:
    """Once enough reviews exist: judge agreement, and fix the author's points (once)."""
    reviews = list(Review.objects.filter(correction=correction).select_related("reviewer"))
    if len(reviews) < REQUIRED_REVIEWS:
        return
    agreed = scoring.consensus([r.scores for r in reviews])
    for review in reviews:
        if review.agrees is not None:
            continue
        review.agrees = scoring.agrees_with(review.scores, agreed)
        review.save(update_fields=["agrees"])
        if review.agrees:
            points_award(
                user=review.reviewer,
                amount=AGREEMENT_BONUS,
                kind="review.agreement",
                source_key=f"correction:{correction.pk}:agreement:user:{review.reviewer_id}",
                skill=STEP_SKILLS["review"],
                week_id=week_id_for(challenge.pk, user=review.reviewer),
                reason="Your review agreed with the consensus.",
                content_owner=correction.user,
            )
    if correction.points is None:
        mean = sum(r.mean for r in reviews) / len(reviews)
        amount = scoring.correction_points(mean, challenge.points)
        Correction.objects.filter(pk=correction.pk).update(score=mean, points=amount)
        attempt_changed([(correction.user_id, correction.challenge_id)])
        if amount:
            points_award(
                user=correction.user,
                amount=amount,
                kind="correction.reviewed",
                source_key=f"challenge:{challenge.pk}:correction:user:{correction.user_id}",
                skill=primary_skill(challenge),
                week_id=week_id_for(challenge.pk, user=correction.user),
                reason=f"Your correction on “{challenge.title}” was rated {mean:.1f}/5 by peers.",
            )


def correction_mark_gold(*, by, correction: Correction) -> Correction:
    """L&D marks a correction as the gold answer (bonus points to its author, once)."""
    if not is_ld(by):
        raise PermissionDenied("Only L&D can mark a correction as gold.")
    with transaction.atomic():
        Correction.objects.filter(pk=correction.pk, is_gold=False).update(
            is_gold=True, gold_by=by, gold_at=timezone.now()
        )
        attempt_changed([(correction.user_id, correction.challenge_id)])
        points_award(
            user=correction.user,
            amount=GOLD_BONUS,
            kind="correction.reviewed",
            source_key=f"challenge:{correction.challenge_id}:correction:user:{correction.user_id}:gold",
            week_id=week_id_for(correction.challenge_id, user=correction.user),
            reason="L&D marked your correction as gold.",
            awarded_by=by,
        )
    correction.refresh_from_db()
    return correction
