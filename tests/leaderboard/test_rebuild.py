"""standings_rebuild while awards arrive: the locks make it end equal to the incremental rows."""

import random
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from leaderboard.models import ScoreBucket, Standing, TeamStanding
from leaderboard.services import points_award, standings_rebuild
from tests.accounts.factories import TeamFactory, UserFactory


def _snapshot():
    return (
        sorted(Standing.objects.values_list("scope", "user_id", "points", "reached_at")),
        sorted(
            TeamStanding.objects.values_list("scope", "team_id", "points", "members", "reached_at")
        ),
        sorted(ScoreBucket.objects.values_list("scope", "points", "count")),
    )


@pytest.mark.django_db(transaction=True)
def test_rebuild_running_while_awards_arrive_ends_equal_to_the_incremental_rows():
    if connection.vendor == "sqlite":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers, so nothing runs concurrently.")
    teams = [TeamFactory() for _ in range(3)]
    users = [UserFactory(team=teams[i % 3]) for i in range(12)]
    base = timezone.now() - timedelta(days=40)
    for i, user in enumerate(users):  # every user already has rows for the rebuild to replace
        points_award(user=user, amount=5, kind="x", source_key=f"seed:{i}", skill="data-literacy")
    writers = 4
    barrier = threading.Barrier(writers + 1)
    done = threading.Event()
    errors = []

    def award(seed):
        rng = random.Random(seed)
        try:
            barrier.wait()
            for n in range(40):
                points_award(
                    user=rng.choice(users),
                    amount=rng.randint(-3, 20),
                    kind=rng.choice(["challenge.flags", "review.given"]),
                    source_key=f"w{seed}:{n}",
                    skill=rng.choice(["", "data-literacy", "communication"]),
                    week_id=rng.choice([None, 1]),
                    created_at=base + timedelta(days=rng.randint(0, 40)),
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def rebuild():
        try:
            barrier.wait()
            while not done.is_set():
                standings_rebuild()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(s,)) for s in range(writers)]
    rebuilder = threading.Thread(target=rebuild)
    rebuilder.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    rebuilder.join()
    assert errors == []
    incremental = _snapshot()
    assert len(incremental[0]) > 30
    standings_rebuild()
    assert _snapshot() == incremental
