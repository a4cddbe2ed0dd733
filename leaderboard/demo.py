"""Demo levels, badges, kudos and six weeks of points history (used by ``manage.py seed_demo``).

Idempotent: every award has a ``demo:`` source key, so a second run adds nothing. Only the demo
people (``accounts.demo.DEMO_USERS``) get history, each from a random generator seeded with their
own e-mail, so real people who share the demo's domain are never touched and a new sign-up does
not shift anyone's history.
"""

import random
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS
from accounts.models import User
from leaderboard.badges import badges_evaluate
from leaderboard.models import Badge, Kudos, Level
from leaderboard.services import points_award

LEVELS = [
    ("Newcomer", 0),
    ("Apprentice", 50),
    ("Practitioner", 150),
    ("Mentor", 350),
    ("Senior mentor", 700),
    ("Master mentor", 1200),
]

# slug, name, description, criteria, threshold, kind, skill
BADGES = [
    ("first-points", "First points", "Earned your first points.", Badge.POINTS_TOTAL, 1, "", ""),
    ("century", "Century", "Reached 100 points.", Badge.POINTS_TOTAL, 100, "", ""),
    ("half-k", "Five hundred", "Reached 500 points.", Badge.POINTS_TOTAL, 500, "", ""),
    (
        "sharp-eye",
        "Sharp eye",
        "Flagged flaws in 5 challenges.",
        Badge.KIND_COUNT,
        5,
        "challenge.flags",
        "",
    ),
    (
        "peer-reviewer",
        "Peer reviewer",
        "Gave 5 peer reviews.",
        Badge.KIND_COUNT,
        5,
        "review.given",
        "",
    ),
    (
        "data-detective",
        "Data detective",
        "60 points in data literacy.",
        Badge.SKILL_POINTS,
        60,
        "",
        "data-literacy",
    ),
    (
        "ethics-champion",
        "Ethics champion",
        "60 points in ethical awareness.",
        Badge.SKILL_POINTS,
        60,
        "",
        "ethical-awareness",
    ),
    ("on-a-roll", "On a roll", "Active three days in a row.", Badge.STREAK, 3, "", ""),
    (
        "blind-spot-pioneer",
        "Blind-spot pioneer",
        "First to find a blind spot in a challenge.",
        Badge.FIRST_BLIND_SPOT,
        1,
        "",
        "",
    ),
    (
        "podium",
        "Podium",
        "Finished a challenge week in the top three.",
        Badge.WEEK_PLACEMENT,
        3,
        "",
        "",
    ),
]

SKILLS = [
    "critical-thinking",
    "data-literacy",
    "prompt-engineering",
    "communication",
    "context-awareness",
    "problem-solving",
    "ethical-awareness",
    "collaboration",
    "adaptability",
]
# kind, points, how often it happens (weight)
KINDS = [
    ("lesson.completed", 10, 5),
    ("challenge.flags", 15, 4),
    ("correction.reviewed", 20, 2),
    ("review.given", 5, 4),
    ("context.approved", 25, 1),
    ("testcase.blind_spot", 30, 1),
    ("reflection.upvoted", 2, 3),
]
KUDOS = [
    (
        "sam@apprentice.example",
        "employee@apprentice.example",
        "Thanks for walking me through the privacy flags!",
    ),
    (
        "lena@apprentice.example",
        "priya@apprentice.example",
        "Your context note on refunds saved our team hours.",
    ),
    (
        "mei@apprentice.example",
        "omar@apprentice.example",
        "Brilliant test case: the AI never saw that coming.",
    ),
    (
        "tomas@apprentice.example",
        "lena@apprentice.example",
        "Great rewrite of the onboarding answer.",
    ),
    ("jonas@apprentice.example", "mei@apprentice.example", "Thanks for the data-literacy tips."),
    ("employee@apprentice.example", "sam@apprentice.example", "Helpful review, clear and kind."),
]


def seed(*, stdout) -> None:
    for name, threshold in LEVELS:
        Level.objects.update_or_create(name=name, defaults={"xp_threshold": threshold})
    for slug, name, description, criteria, threshold, kind, skill in BADGES:
        Badge.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "criteria": criteria,
                "threshold": threshold,
                "kind": kind,
                "skill": skill,
            },
        )
    demo_emails = [email for email, *_ in DEMO_USERS]
    users = list(User.objects.filter(email__in=demo_emails).order_by("email"))
    now = timezone.now()
    awards = 0
    for user in users:
        rng = random.Random(f"demo-history:{user.email}")  # the same history on every run
        activity = rng.uniform(0.2, 1.0)  # some people are keener than others
        for day in range(42, -1, -1):
            if rng.random() > activity * 0.6:
                continue
            for n in range(rng.randint(1, 3)):
                kind, points, _ = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
                at = now - timedelta(days=day, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
                challenge = rng.randint(1, 12)
                result = points_award(
                    user=user,
                    amount=points,
                    kind=kind,
                    source_key=f"demo:challenge:{challenge}:{kind}:{day}:{n}",
                    skill=rng.choice(SKILLS),
                    created_at=min(at, now),
                    reason="Demo history",
                )
                awards += result is not None
    by_email = {u.email: u for u in users}
    for i, (giver, recipient, message) in enumerate(KUDOS):
        if giver not in by_email or recipient not in by_email:
            continue
        kudos, _ = Kudos.objects.get_or_create(
            giver=by_email[giver],
            recipient=by_email[recipient],
            message=message,
            defaults={"created_at": now - timedelta(days=i)},
        )
        points_award(
            user=kudos.recipient,
            amount=5,
            kind="kudos.received",
            source_key=f"kudos:{kudos.pk}",
            created_at=kudos.created_at,
        )
    # Badges are judged after commit, like every award's own check, so the result does not depend
    # on whether later apps' demo awards were already committed.
    transaction.on_commit(partial(_badges_evaluate, [u.pk for u in users]))
    stdout.write(
        f"Leaderboard: {len(LEVELS)} levels, {len(BADGES)} badges, {awards} new demo awards."
    )


def _badges_evaluate(user_ids: list[int]) -> None:
    for user in User.objects.filter(pk__in=user_ids):
        badges_evaluate(user=user)
