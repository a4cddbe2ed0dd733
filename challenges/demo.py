"""Demo challenges and activity (used by ``manage.py seed_demo``; idempotent).

Six challenges with answer keys, and colleagues' flags, corrections, reviews, context notes,
test cases and reflections, so that the review queue, the insights feed and the Context Library
show real data. The demo employee (employee@apprentice.example) is left with nothing done, so
they can walk the whole loop themselves.

The content is data in ``challenges/demo_content/``: one JSON file per challenge (read in
file-name order) and ``activity.json`` for the colleagues' work, the two weeks and which demo AI
system each challenge is about. People are named by the part of their e-mail before the ``@``.
"""

import json
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Site

from accounts.demo import TEAMS
from accounts.models import Team, User
from challenges import scoring, services
from challenges.models import (
    Behaviour,
    ChallengeIndexPage,
    ChallengePage,
    ChallengeWeek,
    ContextNote,
    Correction,
    Flaw,
    FlawCategory,
    Reflection,
    Review,
    TestCase,
    TestJudgement,
)
from courses.models import Skill
from leaderboard.services import points_award
from mentoring.models import AISystem

CONTENT = Path(__file__).resolve().parent / "demo_content"
NAMESPACE = uuid.UUID("6c1b7a52-5d0e-4b7e-9f59-9d7b1f0f6a10")

INDEX_INTRO = (
    "<p>Each challenge puts a real-looking AI output in front of you. Spot what is wrong, "
    "rewrite it, add the context the AI lacked, test it with tricky inputs, and reflect.</p>"
)


def _load(name: str):
    return json.loads((CONTENT / name).read_text("utf-8"))


def challenge_specs() -> list[dict]:
    """The demo challenges, one JSON file each, in file-name order (their order in the list)."""
    return [_load(path.name) for path in sorted(CONTENT.glob("[0-9]*.json"))]


def activity() -> dict:
    """Colleagues' corrections, notes, tests and reflections, the weeks, the AI systems."""
    return _load("activity.json")


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _token(*parts) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def _index() -> ChallengeIndexPage:
    index = ChallengeIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = ChallengeIndexPage(title="Challenges", slug="challenges", intro=INDEX_INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _challenge(index: ChallengeIndexPage, spec: dict) -> ChallengePage:
    existing = ChallengePage.objects.filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    page = ChallengePage(
        title=spec["title"],
        slug=spec["slug"],
        scenario=spec["scenario"],
        prompt=spec["prompt"],
        output=spec["output"],
        model_name=spec["model_name"],
        prompt_version=spec["prompt_version"],
        difficulty=spec["difficulty"],
        points=100,
    )
    for flaw in spec["flaws"]:
        if flaw["quote"] not in spec["output"]:
            raise ValidationError(f"Demo flaw quote not in output: {flaw['quote']!r}")
        page.flaws.add(
            Flaw(
                category=FlawCategory.objects.get(slug=flaw["category"]),
                quote=flaw["quote"],
                explanation=flaw["explanation"],
                severity=flaw["severity"],
            )
        )
    for behaviour in spec["behaviours"]:
        page.behaviours.add(
            Behaviour(
                probe=behaviour["probe"],
                response=behaviour["response"],
                is_flawed=behaviour["flawed"],
            )
        )
    page.skills = list(Skill.objects.filter(slug__in=spec["skills"]))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _flag_sentence_of(challenge: ChallengePage, quote: str, slug: str) -> services.FlagInput:
    start = challenge.output.index(quote)
    cover = scoring.sentence_cover(
        scoring.Span(start, start + len(quote)), scoring.sentences(challenge.output)
    )
    return services.FlagInput(cover.start, cover.end, FlawCategory.objects.get(slug=slug).pk)


def _activity(challenges: list[ChallengePage], data: dict) -> None:
    people = {
        key: _user(f"{key}@apprentice.example")
        for key in ["sam", "lena", "tomas", "priya", "jonas", "mei", "omar", "reviewer", "manager"]
    }
    manager = people["manager"]
    wrong_category = {"hallucination": "missing-context", "bias-fairness": "misclassification"}
    # Flags: some perfect, some with a wrong category or a missed flaw.
    for n, challenge in enumerate(challenges):
        flaws = list(challenge.flaws.select_related("category"))
        for m, key in enumerate(["sam", "priya", "mei", "tomas"]):
            chosen = flaws[: max(1, len(flaws) - (m + n) % 2)]
            flags = [
                _flag_sentence_of(
                    challenge,
                    f.quote,
                    wrong_category.get(f.category.slug, f.category.slug)
                    if m == 3
                    else f.category.slug,
                )
                for f in chosen
            ]
            # Two flaws in one sentence would make overlapping flags: keep one per sentence.
            unique = {(f.start, f.end): f for f in flags}
            services.flags_submit(
                user=people[key], challenge=challenge, flags=list(unique.values())
            )

    by_slug = {challenge.slug: challenge for challenge in challenges}
    # Client tokens carry the challenge's position, as they always have, so that a second run on
    # an existing demo database finds the notes and tests the first one made.
    position = {challenge.slug: n for n, challenge in enumerate(challenges)}
    corrections = [
        services.correction_submit(
            user=people[c["author"]],
            challenge=by_slug[c["challenge"]],
            text=c["text"],
            rationale=c["rationale"],
        )
        for c in data["corrections"]
    ]
    # The first correction is fully reviewed, the second half-way, the third waits in the queue.
    review = data["review"]
    for correction, spec in zip(corrections, data["corrections"], strict=True):
        for key in spec["reviewers"]:
            if not Review.objects.filter(correction=correction, reviewer=people[key]).exists():
                services.review_submit(
                    reviewer=people[key],
                    correction=correction,
                    scores=review["scores"],
                    comment=review["comment"],
                )
    if not Correction.objects.get(pk=corrections[0].pk).is_gold:
        services.correction_mark_gold(by=manager, correction=corrections[0])

    for spec in data["context_notes"]:
        challenge = by_slug[spec["challenge"]]
        note = services.context_note_submit(
            user=people[spec["author"]],
            challenge=challenge,
            kind=spec["kind"],
            title=spec["title"],
            text=spec["text"],
            skill_ids=list(challenge.skills.values_list("pk", flat=True)[:1]),
            client_token=_token("note", spec["author"], position[challenge.slug]),
        )
        for endorser in spec["endorsers"]:
            services.context_note_endorse(user=people[endorser], note=note)
        if spec["approve"] and note.status == ContextNote.PENDING:
            services.context_note_review(by=manager, note=note, approve=True)

    for spec in data["test_cases"]:
        challenge = by_slug[spec["challenge"]]
        test_case = services.testcase_run(
            user=people[spec["author"]],
            challenge=challenge,
            input_text=spec["input"],
            must=spec["must"],
            must_not=spec["must_not"],
            client_token=_token("test", spec["author"], position[challenge.slug]),
            provider="sample",
        )
        for judge in spec["judges"]:
            if not TestJudgement.objects.filter(test_case=test_case, judge=people[judge]).exists():
                services.testcase_judge(judge=people[judge], test_case=test_case, verdict="fail")

    for spec in data["reflections"]:
        reflection = services.reflection_submit(
            user=people[spec["author"]],
            challenge=by_slug[spec["challenge"]],
            what_changed=spec["what_changed"],
            what_remains=spec["what_remains"],
            tip=spec["tip"],
            shared=spec["shared"],
        )
        for voter in spec["upvoters"]:
            services.reflection_upvote(user=people[voter], reflection=reflection)


def _week(spec: dict, *, now) -> ChallengeWeek:
    existing = ChallengeWeek.objects.filter(title=spec["title"]).first()
    if existing is not None:
        return existing
    starts_at = now - timedelta(days=spec["started_days_ago"])
    freeze_days = spec["freeze_after_days"]
    week = ChallengeWeek(
        title=spec["title"],
        theme=spec["theme"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=spec["days"]),
        freeze_at=starts_at + timedelta(days=freeze_days) if freeze_days else None,
        team_ranking=ChallengeWeek.AVERAGE,
    )
    return services.week_save(
        week=week,
        challenges=list(ChallengePage.objects.filter(slug__in=spec["challenges"])),
        teams=list(Team.objects.filter(slug__in=[slug for _, slug, _ in TEAMS])),
    )


def _week_history(week: ChallengeWeek, points: list[dict]) -> None:
    """Backdated points inside the week's window, so its board has a story to tell."""
    span = (min(week.ends_at, timezone.now()) - week.starts_at) / (len(points) + 1)
    for n, entry in enumerate(points, start=1):
        key = entry["person"]
        points_award(
            user=_user(f"{key}@apprentice.example"),
            amount=entry["points"],
            kind="challenge.flags",
            source_key=f"demo:week:{week.pk}:{key}",
            week_id=week.pk,
            reason=f"Challenge points in {week.title}.",
            created_at=week.starts_at + span * n,
        )


def _weeks(specs: list[dict]) -> None:
    """A finished week (results final, badges awarded) and a running one."""
    now = timezone.now()
    for spec in specs:
        week = _week(spec, now=now)
        _week_history(week, spec["points"])
        if spec["finalise"]:
            services.week_finalise(week=week)


def _attach_systems(challenges: list[ChallengePage], systems_of: dict[str, str]) -> None:
    """Which demo AI system (``mentoring.demo``) each challenge is about."""
    systems = {s.slug: s for s in AISystem.objects.filter(slug__in=systems_of.values())}
    for page in challenges:
        system = systems.get(systems_of.get(page.slug, ""))
        if system is not None and page.ai_system_id != system.pk:
            ChallengePage.objects.filter(pk=page.pk).update(ai_system=system)
            page.ai_system = system


def seed(*, stdout) -> None:
    index = _index()
    data = activity()
    challenges = [_challenge(index, spec) for spec in challenge_specs()]
    _attach_systems(challenges, data["systems"])
    _activity(challenges, data)
    _weeks(data["weeks"])
    stdout.write(
        f"Challenges: {len(challenges)} challenges, "
        f"{Correction.objects.count()} corrections, {Review.objects.count()} reviews, "
        f"{ContextNote.objects.count()} context notes, {TestCase.objects.count()} test cases, "
        f"{Reflection.objects.count()} reflections."
    )
