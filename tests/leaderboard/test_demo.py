"""The leaderboard's demo data: real history on every board, idempotent."""

import io

import pytest

from accounts import demo as accounts_demo
from leaderboard import demo
from leaderboard.models import BadgeAward, Kudos, PointsAward, Standing, TeamStanding

pytestmark = pytest.mark.django_db


def test_demo_seed_fills_boards_levels_and_badges_and_is_idempotent(
    django_capture_on_commit_callbacks,
):
    accounts_demo.seed(stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=io.StringIO())
    counts = (PointsAward.objects.count(), BadgeAward.objects.count(), Kudos.objects.count())
    assert counts[0] > 100 and counts[1] > 5 and counts[2] == len(demo.KUDOS)
    scopes = set(Standing.objects.values_list("scope", flat=True))
    assert "all" in scopes and any(s.startswith("month-") for s in scopes)
    assert {f"skill-{slug}" for slug in demo.SKILLS} <= scopes
    assert TeamStanding.objects.filter(scope="all").count() == 4
    demo.seed(stdout=io.StringIO())
    assert (
        PointsAward.objects.count(),
        BadgeAward.objects.count(),
        Kudos.objects.count(),
    ) == counts
