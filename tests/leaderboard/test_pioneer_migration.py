"""Migration 0008 takes back the pioneer badges the old rule gave to people who found nothing."""

import importlib

import pytest
from django.apps import apps

from leaderboard.models import Badge, BadgeAward, PointsAward
from tests.accounts.factories import UserFactory
from tests.leaderboard.factories import BadgeFactory

migration = importlib.import_module("leaderboard.migrations.0008_revoke_wrong_pioneer_badges")


@pytest.mark.django_db
def test_wrong_pioneer_badges_are_revoked_and_everything_else_stays():
    pioneer = BadgeFactory(slug="pioneer-x", criteria=Badge.FIRST_BLIND_SPOT, threshold=1)
    other = BadgeFactory(slug="points-x", criteria=Badge.POINTS_TOTAL, threshold=1)
    finder, tester = UserFactory(), UserFactory()
    PointsAward.objects.create(user=finder, amount=5, kind="testcase.first_finder", source_key="f")
    PointsAward.objects.create(user=tester, amount=5, kind="testcase.written", source_key="t")
    for user in (finder, tester):
        BadgeAward.objects.create(badge=pioneer, user=user)
        BadgeAward.objects.create(badge=other, user=user)
    migration.revoke(apps, None)
    held = set(BadgeAward.objects.values_list("badge__slug", "user_id"))
    assert held == {("pioneer-x", finder.pk), ("points-x", finder.pk), ("points-x", tester.pk)}
