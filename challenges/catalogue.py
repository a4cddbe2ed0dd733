"""Reads for the challenge list (``/challenges/``): filters, the viewer's state per challenge
and how many colleagues solved each one, in a constant number of queries whatever the number
of challenges or people.

"Solved" means every open step of the loop has a record; "in progress" means some have.
"""

from dataclasses import dataclass

from django.db import connection

from challenges.models import (
    ChallengePage,
    ContextNote,
    Correction,
    FlagSubmission,
    Reflection,
    TestCase,
)

STEP_RECORDS = (
    ("observe", FlagSubmission),
    ("correct", Correction),
    ("context", ContextNote),
    ("test", TestCase),
    ("reflect", Reflection),
)
SOLVED = "solved"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ChallengeFilters:
    """What the list is narrowed to, from GET parameters; unknown values mean "any".

    A further filter (the AI system a challenge is about) adds a field here, a clause in
    ``_filtered`` and its options in ``filter_options``.
    """

    skill: str = ""
    difficulty: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.skill or self.difficulty)


def filters_from(params, *, skills) -> ChallengeFilters:
    """The filters named in ``params`` (a QueryDict), keeping only known skills and levels."""
    skill = params.get("skill", "")
    skill = skill if skill in {s.slug for s in skills} else ""
    difficulty = params.get("difficulty", "")
    levels = {str(value): value for value, _ in ChallengePage.DIFFICULTY_CHOICES}
    return ChallengeFilters(skill=skill, difficulty=levels.get(difficulty))


def _filtered(queryset, filters: ChallengeFilters):
    if filters.skill:
        queryset = queryset.filter(skills__slug=filters.skill)
    if filters.difficulty:
        queryset = queryset.filter(difficulty=filters.difficulty)
    return queryset


def _steps_per_person(challenges: list[ChallengePage], *, user_id: int | None = None):
    """Rows of (challenge id, steps with a record, how many people): one query.

    Each step table gives its distinct (challenge, person) pairs for the challenges where that
    step is open; the database counts a person's steps per challenge, then people per count.
    """
    parts, params = [], []
    for step, model in STEP_RECORDS:
        ids = [c.pk for c in challenges if getattr(c, f"open_{step}")]
        if not ids:
            continue
        records = model.objects.filter(challenge_id__in=ids)
        if user_id is not None:
            records = records.filter(user_id=user_id)
        sql, part_params = (
            records.order_by().values("challenge_id", "user_id").distinct().query.sql_with_params()
        )
        parts.append(sql)
        params.extend(part_params)
    if not parts:
        return []
    union = " UNION ALL ".join(parts)
    query = (
        "SELECT challenge_id, steps, COUNT(*) FROM ("  # noqa: S608 (ORM-compiled parts)
        f" SELECT challenge_id, user_id, COUNT(*) AS steps FROM ({union}) AS records"
        " GROUP BY challenge_id, user_id) AS per_person GROUP BY challenge_id, steps"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def challenge_list(*, index, user, filters: ChallengeFilters) -> list[dict]:
    """Live challenges under ``index`` (narrowed by ``filters``), each with the viewer's state
    (steps done, solved / in progress) and the number of colleagues who solved it."""
    challenges = list(
        _filtered(ChallengePage.objects.live().child_of(index), filters)
        .distinct()
        .order_by("path")
        .select_related("cover_image")
        .prefetch_related("skills", "cover_image__renditions")
    )
    if not challenges:
        return []
    open_steps = {c.pk: len(c.open_steps()) for c in challenges}
    solvers = dict.fromkeys(open_steps, 0)
    for challenge_id, steps, people in _steps_per_person(challenges):
        if steps >= open_steps[challenge_id]:
            solvers[challenge_id] += people
    mine = dict.fromkeys(open_steps, 0)
    if user.is_authenticated:
        for challenge_id, steps, _ in _steps_per_person(challenges, user_id=user.pk):
            mine[challenge_id] = steps
    items = []
    for challenge in challenges:
        total = open_steps[challenge.pk] or 1
        done = mine[challenge.pk]
        state = SOLVED if done >= total else IN_PROGRESS if done else NOT_STARTED
        items.append(
            {
                "page": challenge,
                "done": done,
                "steps": total,
                "percent": round(100 * done / total),
                "state": state,
                # Colleagues: everyone who solved it but the viewer.
                "solvers": solvers[challenge.pk] - (state == SOLVED),
            }
        )
    return items


def filter_options(*, skills) -> dict:
    """The choices the list's filter form offers."""
    return {
        "skills": [(s.slug, s.name) for s in skills],
        "difficulties": ChallengePage.DIFFICULTY_CHOICES,
    }
