"""Reflect: reflections (private or shared) and upvotes in the insights feed."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from challenges.attempt_cache import attempt_changed
from challenges.models import ChallengePage, Reflection, Upvote
from challenges.services.common import (
    STEP_SKILLS,
    UPVOTE_POINTS,
    length_errors,
    require_open,
    step_record_create,
)
from challenges.services.weeks import week_id_for
from config.errors import ApplicationError
from leaderboard.services import points_award


def reflection_submit(
    *,
    user,
    challenge: ChallengePage,
    what_changed: str,
    what_remains: str,
    tip: str = "",
    shared: bool = False,
) -> Reflection:
    """Record a user's reflection on a challenge (one per challenge; a retry returns the first)."""
    existing = Reflection.objects.filter(user=user, challenge=challenge).first()
    if existing is not None:
        return existing
    require_open(challenge, "reflect")
    errors = length_errors(
        ("What changed", what_changed, 10, 2000), ("What remains", what_remains, 10, 2000)
    )
    if len((tip or "").strip()) > 1000:
        errors.append("Your tip is too long: the limit is 1000 characters.")
    if errors:
        raise ApplicationError(errors)
    return step_record_create(
        Reflection,
        user=user,
        challenge=challenge,
        step="reflect",
        lookup={"user": user, "challenge": challenge},
        fields={
            "what_changed": what_changed.strip(),
            "what_remains": what_remains.strip(),
            "tip": (tip or "").strip(),
            "shared": shared,
        },
    )


def reflection_upvote(*, user, reflection: Reflection) -> bool:
    """Upvote a shared reflection (points to its author). False when already upvoted."""
    if reflection.user_id == user.pk:
        raise PermissionDenied("You cannot upvote your own reflection.")
    if not reflection.shared:
        raise PermissionDenied("This reflection is private.")
    try:
        with transaction.atomic():
            Upvote.objects.create(reflection=reflection, user=user)
            Reflection.objects.filter(pk=reflection.pk).update(upvote_count=F("upvote_count") + 1)
            attempt_changed([(reflection.user_id, reflection.challenge_id)])
            points_award(
                user=reflection.user,
                amount=UPVOTE_POINTS,
                kind="reflection.upvoted",
                source_key=f"reflection:{reflection.pk}:upvote:user:{user.pk}",
                skill=STEP_SKILLS["reflect"],
                week_id=week_id_for(reflection.challenge_id, user=reflection.user),
                reason="A colleague upvoted your reflection.",
            )
    except IntegrityError:
        return False
    return True
