"""Concurrent awards on PostgreSQL: no deadlock, nothing lost or doubled, equal to the rebuild.

Awards to different people share rows: the score buckets of a scope (one person moving 10 -> 20
while another moves 20 -> 10) and their team's standing. The load run found PostgreSQL aborting
such pairs as deadlocks (a 500 after nothing was stored); the award now takes those rows in one
global order.
"""

import random
import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from leaderboard.models import PointsAward, Standing
from leaderboard.services import points_award, standings_rebuild
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leaderboard.test_rebuild import _snapshot

WRITERS = 8
AWARDS_EACH = 60


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_with_crossing_scores_never_deadlock(settings):
    settings.LEADERBOARD_DAILY_CAPS = {}  # every award lands, so the count below is exact
    if connection.vendor == "sqlite":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers, so nothing runs concurrently.")
    teams = [TeamFactory(), TeamFactory()]
    users = [UserFactory(team=teams[i % 2]) for i in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    errors = []

    def award(seed):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for n in range(AWARDS_EACH):
                # Small scores moving up and down keep everyone crossing everyone's bucket.
                points_award(
                    user=users[seed],
                    amount=rng.choice([-10, -5, 5, 10, 15]),
                    kind="challenge.flags",
                    source_key=f"race:{seed}:{n}",
                    skill=rng.choice(["data-literacy", "communication"]),
                )
                # A second award to a colleague in the same transaction-free burst.
                points_award(
                    user=users[(seed + 1) % WRITERS],
                    amount=rng.choice([-5, 5, 10]),
                    kind="review.given",
                    source_key=f"race:{seed}:{n}:peer",
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(s,)) for s in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert PointsAward.objects.count() == WRITERS * AWARDS_EACH * 2
    for user in users:
        ledger = PointsAward.objects.filter(user=user).aggregate(total=Sum("amount"))["total"]
        assert Standing.objects.get(scope="all", user=user).points == ledger
    incremental = _snapshot()
    standings_rebuild()
    assert _snapshot() == incremental
