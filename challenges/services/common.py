"""Helpers shared by the step services: points per step, skills, step checks."""

from django.core.exceptions import ValidationError

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
        raise ValidationError(f"The {step.title()} step of this challenge is closed.")


def check_length(value: str, *, label: str, minimum: int, maximum: int) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        if not value:
            raise ValidationError(f"{label} is required.")
        raise ValidationError(f"{label} is too short: write at least {minimum} characters.")
    if len(value) > maximum:
        raise ValidationError(
            f"{label} is too long: {len(value)} characters, the limit is {maximum}."
        )
    return value
