"""Context: notes on what the AI lacked, colleagues' endorsements, and L&D approval."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import is_ld
from challenges.attempt_cache import attempt_changed
from challenges.models import ChallengePage, ContextNote, Endorsement
from challenges.services.common import (
    CONTEXT_APPROVED_POINTS,
    STEP_SKILLS,
    length_errors,
    require_open,
    step_record_create,
)
from challenges.services.weeks import week_id_for
from config.errors import ApplicationError
from leaderboard.services import points_award


def context_note_submit(
    *,
    user,
    challenge: ChallengePage,
    kind: str,
    title: str,
    text: str,
    skill_ids: list[int] | None = None,
    client_token: uuid.UUID,
) -> ContextNote:
    """Record a context note (a repeated submit with the same token returns the first)."""
    existing = ContextNote.objects.filter(user=user, client_token=client_token).first()
    if existing is not None:
        return existing
    require_open(challenge, "context")
    errors = []
    if kind not in dict(ContextNote.KIND_CHOICES):
        errors.append("Choose what kind of context this is.")
    errors += length_errors(("The title", title, 5, 150), ("The note", text, 20, 3000))
    if errors:
        raise ApplicationError(errors)
    return step_record_create(
        ContextNote,
        user=user,
        challenge=challenge,
        step="context",
        lookup={"user": user, "client_token": client_token},
        fields={
            "kind": kind,
            "title": title.strip(),
            "text": text.strip(),
            "client_token": client_token,
        },
        then=lambda note: note.skills.set(skill_ids) if skill_ids else None,
    )


def context_note_endorse(*, user, note: ContextNote) -> bool:
    """A colleague endorses a note. Returns False when they had already endorsed it."""
    if note.user_id == user.pk:
        raise PermissionDenied("You cannot endorse your own context note.")
    if note.status == ContextNote.REJECTED:
        raise ApplicationError("This note was not approved, so it cannot be endorsed.")
    try:
        with transaction.atomic():
            Endorsement.objects.create(note=note, user=user)
            ContextNote.objects.filter(pk=note.pk).update(
                endorsement_count=F("endorsement_count") + 1
            )
            attempt_changed([(note.user_id, note.challenge_id)])
    except IntegrityError:
        return False
    return True


def context_note_review(*, by, note: ContextNote, approve: bool) -> ContextNote:
    """L&D approves a note into the Context Library (points to its author, once) or rejects it."""
    if not is_ld(by):
        raise PermissionDenied("Only L&D can approve context notes.")
    with transaction.atomic():
        status = ContextNote.APPROVED if approve else ContextNote.REJECTED
        ContextNote.objects.filter(pk=note.pk).update(
            status=status, reviewed_by=by, reviewed_at=timezone.now()
        )
        attempt_changed([(note.user_id, note.challenge_id)])
        if approve:
            points_award(
                user=note.user,
                amount=CONTEXT_APPROVED_POINTS,
                kind="context.approved",
                source_key=f"context:{note.pk}:approved",
                skill=STEP_SKILLS["context"],
                week_id=week_id_for(note.challenge_id, user=note.user),
                reason=f"Your context note “{note.title}” joined the Context Library.",
                awarded_by=by,
            )
    note.refresh_from_db()
    return note
