"""Helpers shared by the step services: points per step, skills, step checks, step records."""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from challenges.services.drafts import draft_discard
from config.errors import ApplicationError, check_length

# Points (beyond the challenge's own ``points``, which rewards Observe and Correct).
REVIEW_POINTS = 10
AGREEMENT_BONUS = 5
GOLD_BONUS = 25
CONTEXT_APPROVED_POINTS = 20
BLIND_SPOT_POINTS = 30
FIRST_FINDER_BONUS = 20
JUDGEMENT_POINTS = 3
UPVOTE_POINTS = 2
REQUIRED_REVIEWS = 2
REQUIRED_PEER_JUDGEMENTS = 2

# Which skill a step exercises when it is not the challenge's own (points carry a skill slug).
STEP_SKILLS = {
    "review": "collaboration",
    "context": "context-awareness",
    "test": "prompt-engineering",
    "reflect": "adaptability",
}


def primary_skill(challenge) -> str:
    """Slug of the challenge's first skill ("" when it has none)."""
    skill = challenge.skills.order_by("sort_order", "name").first()
    return skill.slug if skill else ""


def require_open(challenge, step: str) -> None:
    if not getattr(challenge, f"open_{step}"):
        raise ApplicationError(f"The {step.title()} step of this challenge is closed.")


def length_errors(*fields: tuple[str, str, int, int]) -> list[str]:
    """Every length problem of ``(label, value, minimum, maximum)`` fields, as sentences."""
    errors = []
    for label, value, minimum, maximum in fields:
        try:
            check_length(value, label=label, minimum=minimum, maximum=maximum)
        except ApplicationError as exc:
            errors.extend(exc.messages)
    return errors


def step_record_create(
    model,
    *,
    user,
    challenge,
    step: str,
    lookup: dict,
    fields: dict,
    then: Callable | None = None,
):
    """Create the user's record of a step (and ``then(record)``) and discard their draft of it,
    in one transaction.

    The record's unique constraint (per user and challenge, or per client token: ``lookup``)
    decides a race between two submits: the loser returns the winner's record unchanged, so a
    double click is stored, and counted, once.
    """
    try:
        with transaction.atomic():
            record = model.objects.create(
                user=user, challenge=challenge, team=user.current_team, **fields
            )
            if then is not None:
                then(record)
            draft_discard(user=user, challenge=challenge, step=step)
    except IntegrityError:
        return model.objects.get(**lookup)
    return record
