"""Drafts: what an employee types into a step's form, saved server-side as they type."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.models import ChallengePage, Draft
from challenges.models.pages import STEPS

MAX_DRAFT_CHARS = 20_000
MAX_DRAFT_FIELDS = 200


def draft_save(*, user, challenge: ChallengePage, step: str, data: dict) -> Draft:
    """Store (replace) the user's draft of a step.

    Values are strings, or lists of strings for multi-valued fields; the size is bounded.
    """
    if step not in STEPS:
        raise ValidationError("Unknown step.")
    if not isinstance(data, dict) or len(data) > MAX_DRAFT_FIELDS:
        raise ValidationError("This draft has too many fields to save.")
    clean: dict[str, str | list[str]] = {}
    size = 0
    for key, value in data.items():
        if key == "csrfmiddlewaretoken":
            continue
        if isinstance(value, list):
            clean[str(key)[:100]] = [str(v) for v in value[:50]]
        else:
            clean[str(key)[:100]] = str(value)
        size += len(str(key)) + len(str(clean[str(key)[:100]]))
    if size > MAX_DRAFT_CHARS:
        raise ValidationError(
            f"This draft is longer than {MAX_DRAFT_CHARS} characters and was not saved."
        )
    draft, _ = Draft.objects.update_or_create(
        user=user,
        challenge=challenge,
        step=step,
        defaults={"data": clean, "updated_at": timezone.now()},
    )
    return draft


def draft_discard(*, user, challenge: ChallengePage, step: str) -> None:
    Draft.objects.filter(user=user, challenge=challenge, step=step).delete()
