"""Benchmark: the L&D analytics page and an employee dashboard at 10,000 employees.

Run:  .venv/bin/python bench/home_analytics.py [--employees 10000]
Uses PostgreSQL when DATABASE_URL is set (point it at a scratch database), else a scratch SQLite
file bench-home.sqlite3 (deleted first). Data: 40 teams, ten awards per employee over 12 weeks,
two quiz attempts each on one lesson, a flag submission each on one challenge, a correction from
every fourth employee with four peer reviews each (so as many reviews as employees). Prints the
median and 95th percentile of building every analytics table (all filters off, then one team),
of the review table alone (Krippendorff's alpha over every review) and of an employee's dashboard
context, with the query count of each, for docs/performance.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, samples: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = []
    queries = 0
    for _ in range(samples):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            durations.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    durations.sort()
    return statistics.median(durations), durations[int(0.95 * (len(durations) - 1))], queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--reviews-per-correction", type=int, default=4)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DJANGO_DEBUG"] = "false"
    if not os.environ.get("DATABASE_URL"):
        db = ROOT / "bench-home.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from accounts.models import Membership, Team, User
    from challenges.models import Correction, FlagSubmission, Review
    from courses.models import QuizAttempt
    from home.analytics.filters import Filters
    from home.analytics.loop import review_load
    from home.analytics.selectors import analytics_tables
    from home.selectors import dashboard_context
    from leaderboard.models import PointsAward
    from tests.challenges.factories import make_challenge
    from tests.courses.factories import QUIZ_ID, lesson_page, module_page, quiz_block

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    started = time.perf_counter()
    teams = Team.objects.bulk_create(
        Team(name=f"Bench team {i}", slug=f"bench-team-{i}") for i in range(40)
    )
    User.objects.bulk_create(
        (
            User(email=f"e{i}@bench.example", password="!", first_name=f"E{i}")  # noqa: S106
            for i in range(args.employees)
        ),
        batch_size=5000,
    )
    users = list(User.objects.filter(email__endswith="@bench.example").values_list("pk", flat=True))
    team_of = {uid: teams[i % len(teams)] for i, uid in enumerate(users)}
    Membership.objects.bulk_create(
        (Membership(user_id=uid, team=team) for uid, team in team_of.items()), batch_size=5000
    )
    now = timezone.now()
    skills = ["critical-thinking", "data-literacy", "prompt-engineering", "communication", ""]
    kinds = ["lesson.completed", "challenge.flags", "review.given", "kudos.received"]
    PointsAward.objects.bulk_create(
        (
            PointsAward(
                user_id=uid,
                team=team_of[uid],
                amount=rng.randint(1, 30),
                kind=rng.choice(kinds),
                source_key=f"bench:{uid}:{n}",
                skill=rng.choice(skills),
                created_at=now - timedelta(hours=rng.randint(0, 24 * 84)),
            )
            for uid in users
            for n in range(10)
        ),
        batch_size=5000,
    )
    lesson = lesson_page(module_page(title="Bench module"), body=[quiz_block()])
    QuizAttempt.objects.bulk_create(
        (
            QuizAttempt(
                user_id=uid,
                lesson=lesson,
                block_id=QUIZ_ID,
                answers={},
                results={"0": rng.random() > 0.3, "1": rng.random() > 0.5},
                correct_count=1,
                question_count=2,
                score_percent=50,
                passed=True,
            )
            for uid in users
            for _ in range(2)
        ),
        batch_size=5000,
    )
    challenge = make_challenge(title="Bench challenge")
    FlagSubmission.objects.bulk_create(
        (FlagSubmission(user_id=uid, challenge=challenge, team=team_of[uid]) for uid in users),
        batch_size=5000,
    )
    # Every fourth employee corrects the AI; each correction gets reviews from colleagues who
    # mostly agree (a per-correction quality plus or minus one), as on a real team.
    authors = users[::4]
    Correction.objects.bulk_create(
        (
            Correction(
                user_id=uid,
                challenge=challenge,
                team=team_of[uid],
                text="A rewrite.",
                rationale="Why.",
                review_count=args.reviews_per_correction,
            )
            for uid in authors
        ),
        batch_size=5000,
    )
    corrections = list(Correction.objects.values_list("pk", "user_id"))
    reviews = []
    for n, (correction_id, author) in enumerate(corrections):
        quality = rng.randint(2, 4)
        for k in range(args.reviews_per_correction):
            reviewer = users[(n * 7 + 1 + k * 13) % len(users)]
            if reviewer == author:
                reviewer = users[(n * 7 + 2 + k * 13) % len(users)]
            scores = [min(5, max(1, quality + rng.choice((-1, 0, 0, 1)))) for _ in range(4)]
            reviews.append(
                Review(
                    correction_id=correction_id,
                    reviewer_id=reviewer,
                    challenge=challenge,
                    team=team_of[reviewer],
                    accuracy=scores[0],
                    tone=scores[1],
                    completeness=scores[2],
                    policy_fit=scores[3],
                    agrees=rng.random() > 0.2,
                )
            )
    Review.objects.bulk_create(reviews, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    print(
        f"{connection.vendor}: seeded {args.employees} employees, {len(corrections)} corrections, "
        f"{len(reviews)} reviews in {seeded:.1f} s"
    )

    viewer = User.objects.get(pk=users[len(users) // 2])
    results = {
        # What a board or a dashboard panel costs when it sums the ledger on every view.
        "ledger aggregation: top 20 summed from the ledger (reference)": lambda: list(
            PointsAward.objects.values("user_id")
            .annotate(total=Sum("amount"))
            .order_by("-total", "user_id")[:20]
        ),
        "analytics, all tables, no filter": lambda: analytics_tables(Filters()),
        "analytics, all tables, one team": lambda: analytics_tables(Filters(team=teams[3])),
        "analytics, review table (Krippendorff's alpha over every review)": lambda: review_load(
            Filters()
        ),
        "employee dashboard context": lambda: dashboard_context(viewer),
    }
    for label, fn in results.items():
        median, p95, queries = timed(fn, args.samples)
        print(f"| {label} | {median:.0f} / {p95:.0f} | {queries} |")


if __name__ == "__main__":
    main()
