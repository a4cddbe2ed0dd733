"""Observe: submitting flags and scoring them against the answer key."""

from dataclasses import dataclass

from challenges import scoring
from challenges.models import ChallengePage, Flag, FlagSubmission, FlawCategory
from challenges.services.common import primary_skill, require_open, step_record_create
from challenges.services.weeks import week_id_for
from config.errors import ApplicationError
from leaderboard.services import points_award

MAX_FLAGS = 30
MAX_NOTE = 500


@dataclass(frozen=True)
class FlagInput:
    start: int
    end: int
    category_id: int | None
    note: str = ""


def validate_flags(*, challenge: ChallengePage, flags: list[FlagInput]) -> list[str]:
    """Every problem with a set of flags, as sentences (empty when the set is acceptable)."""
    errors = []
    length = len(challenge.output)
    if not flags:
        return ["Choose at least one passage to flag before submitting."]
    if len(flags) > MAX_FLAGS:
        errors.append(f"You can submit at most {MAX_FLAGS} flags; you chose {len(flags)}.")
    categories = set(FlawCategory.objects.filter(is_active=True).values_list("pk", flat=True))
    for number, flag in enumerate(flags, start=1):
        if not (0 <= flag.start < flag.end <= length):
            errors.append(
                f"Flag {number} is outside the AI output (characters {flag.start} to {flag.end} of "
                f"{length}). Select the passage again."
            )
            continue
        if flag.category_id not in categories:
            excerpt = challenge.output[flag.start : flag.end][:60]
            errors.append(f"Flag {number} (“{excerpt}”) needs a flaw category.")
        if len(flag.note) > MAX_NOTE:
            errors.append(f"The note of flag {number} is longer than {MAX_NOTE} characters.")
    spans = [scoring.Span(f.start, f.end) for f in flags]
    for a, b in scoring.overlapping_pairs(spans):
        errors.append(
            f"Flags {a + 1} and {b + 1} overlap. Flag each passage once: merge them or "
            "choose separate passages."
        )
    return errors


def flags_submit(*, user, challenge: ChallengePage, flags: list[FlagInput]) -> FlagSubmission:
    """Record and score a user's Observe flags, award points once, and discard their draft.

    A second submission (double click, retry) returns the first one unchanged.
    """
    existing = FlagSubmission.objects.filter(user=user, challenge=challenge).first()
    if existing is not None:
        return existing
    require_open(challenge, "observe")
    errors = validate_flags(challenge=challenge, flags=flags)
    if errors:
        raise ApplicationError(errors)
    answer_key = [f for f in challenge.flaws.all() if f.span is not None]
    result = scoring.score_flags(
        [scoring.FlagIn(scoring.Span(f.start, f.end), f.category_id) for f in flags],
        [
            scoring.FlawIn(f.pk, scoring.Span(*f.span), f.category_id, f.severity)
            for f in answer_key
        ],
        challenge.output,
    )
    matches = {m.flag_index: m for m in result.matches}
    points = result.points(challenge.points)

    def flags_and_points(submission: FlagSubmission) -> None:
        Flag.objects.bulk_create(
            Flag(
                submission=submission,
                user=user,
                challenge=challenge,
                start=f.start,
                end=f.end,
                quote=challenge.output[f.start : f.end],
                category_id=f.category_id,
                note=f.note.strip(),
                matched_flaw_id=matches[i].flaw_key if i in matches else None,
                credit=matches[i].credit if i in matches else 0,
            )
            for i, f in enumerate(flags)
        )
        if points:
            points_award(
                user=user,
                amount=points,
                kind="challenge.flags",
                source_key=f"challenge:{challenge.pk}:flags:user:{user.pk}",
                skill=primary_skill(challenge),
                week_id=week_id_for(challenge.pk, user=user),
                reason=f"Flags on “{challenge.title}”: {round(result.score * 100)}% score.",
            )

    # A concurrent submit that wins the race stands; this one returns it.
    return step_record_create(
        FlagSubmission,
        user=user,
        challenge=challenge,
        step="observe",
        lookup={"user": user, "challenge": challenge},
        fields={
            "recall": result.recall,
            "precision": result.precision,
            "score": result.score,
            "points": points,
        },
        then=flags_and_points,
    )
