"""Badges are evaluated after every award: a few queries, however many badges exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leaderboard.badges import badges_evaluate
from leaderboard.models import Badge, BadgeAward
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.leaderboard.factories import BadgeFactory


def _badges(n: int, start: int) -> None:
    for i in range(start, start + n):
        BadgeFactory(slug=f"kind-{i}", criteria=Badge.KIND_COUNT, kind="x", threshold=100 + i)
        BadgeFactory(slug=f"points-{i}", criteria=Badge.POINTS_TOTAL, threshold=1000 + i)
        BadgeFactory(
            slug=f"skill-{i}",
            criteria=Badge.SKILL_POINTS,
            skill="data-literacy",
            threshold=1000 + i,
        )


@pytest.mark.django_db
def test_evaluating_3_or_30_badges_costs_the_same_queries_and_grants_what_is_met():
    user = UserFactory(team=False)
    points_award(user=user, amount=20, kind="x", source_key="a", skill="data-literacy")
    _badges(1, 0)
    with CaptureQueriesContext(connection) as few:
        assert badges_evaluate(user=user) == []
    _badges(9, 1)
    earned = BadgeFactory(
        slug="earned", criteria=Badge.SKILL_POINTS, skill="data-literacy", threshold=20
    )
    with CaptureQueriesContext(connection) as many:
        granted = badges_evaluate(user=user)
    assert [award.badge for award in granted] == [earned]
    # The grant itself writes (badge row, notification); the evaluation reads stay the same.
    assert len(many) - len(few) <= 4
    assert BadgeAward.objects.filter(user=user).count() == 1
