"""Benchmark: a board's top-N and a viewer's own rank at 100k users.

Run:  .venv/bin/python bench/leaderboard_rank.py [--users 100000]
Uses PostgreSQL when DATABASE_URL is set (point it at a scratch database: the benchmark's tables
are created there), else a scratch SQLite file bench-leaderboard.sqlite3 (deleted first).
Prints the median and 95th percentile of each read, for docs/performance.md.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if not os.environ.get("DATABASE_URL"):
        db = ROOT / "bench-leaderboard.sqlite3"
        db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from accounts.models import User
    from leaderboard import selectors
    from leaderboard.models import ScoreBucket, Standing

    call_command("migrate", verbosity=0)
    rng = random.Random(1)
    Standing.objects.filter(scope="bench").delete()
    ScoreBucket.objects.filter(scope="bench").delete()
    User.objects.filter(email__endswith="@bench.example").delete()
    started = time.perf_counter()
    User.objects.bulk_create(
        (
            User(email=f"u{i}@bench.example", password="!", first_name=f"User{i}")  # noqa: S106 - unusable
            for i in range(args.users)
        ),
        batch_size=5000,
    )
    ids = list(User.objects.filter(email__endswith="@bench.example").values_list("pk", flat=True))
    now = timezone.now()
    Standing.objects.bulk_create(
        (
            Standing(
                scope="bench",
                user_id=uid,
                points=int(rng.paretovariate(1.2) * 10),  # long tail, many ties
                reached_at=now - timedelta(seconds=rng.randint(0, 10**7)),
            )
            for uid in ids
        ),
        batch_size=5000,
    )
    # The score histogram, as points_award keeps it (and standings_rebuild recomputes it).
    ScoreBucket.objects.bulk_create(
        ScoreBucket(scope="bench", points=r["points"], count=r["n"])
        for r in Standing.objects.filter(scope="bench")
        .values("points")
        .annotate(n=Count("pk"))
        .order_by()
    )
    buckets = ScoreBucket.objects.filter(scope="bench").count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE leaderboard_standing")
            cursor.execute("VACUUM ANALYZE leaderboard_scorebucket")
    print(
        f"{connection.vendor}: loaded {len(ids)} users ({buckets} distinct scores) "
        f"in {time.perf_counter() - started:.1f} s"
    )

    def timed(fn, samples):
        times = []
        for _ in range(samples):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        return statistics.median(times), times[int(len(times) * 0.95) - 1]

    class Viewer:
        pk = 0

    def own_rank():
        Viewer.pk = rng.choice(ids)
        selectors.standing_rank(scope="bench", user=Viewer.pk)

    watchers = rng.sample(ids, 100)
    results = {
        "top 20": timed(lambda: selectors.board_top(scope="bench", limit=20), args.samples),
        "own rank (random viewer)": timed(own_rank, args.samples),
        "top 20 + own rank": timed(
            lambda: (selectors.board_top(scope="bench", limit=20), own_rank()), args.samples
        ),
        "broadcast payload, 100 watchers": timed(
            lambda: selectors.board_payload(scope="bench", user_ids=watchers, limit=20),
            max(10, args.samples // 10),
        ),
    }
    print(f"| read ({len(ids)} users, {connection.vendor}) | median ms | p95 ms |")
    print("| --- | ---: | ---: |")
    for name, (median, p95) in results.items():
        print(f"| {name} | {median:.2f} | {p95:.2f} |")
    Standing.objects.filter(scope="bench").delete()
    ScoreBucket.objects.filter(scope="bench").delete()
    User.objects.filter(email__endswith="@bench.example").delete()


if __name__ == "__main__":
    main()
