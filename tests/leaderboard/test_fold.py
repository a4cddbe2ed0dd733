"""The standings fold: deltas an award appended reach the shared aggregates exactly once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from leaderboard.aggregates import aggregates_fold, standings_apply
from leaderboard.models import AggregateDelta, PointsAward, ScoreBucket, TeamStanding
from leaderboard.services import points_award, standings_rebuild
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leaderboard.test_rebuild import _snapshot


@pytest.mark.django_db
def test_deltas_of_a_process_that_died_before_its_fold_are_folded_by_the_sweep():
    team = TeamFactory()
    alice, bob = UserFactory(team=team), UserFactory(team=team)
    points_award(user=alice, amount=10, kind="x", source_key="a1", skill="data-literacy")
    # Bob's award committed, but its process died before folding: only its deltas exist.
    award = PointsAward.objects.create(
        user=bob, team=team, amount=10, kind="x", source_key="b1", created_at=timezone.now()
    )
    standings_apply(award)
    assert AggregateDelta.objects.exists()
    assert ScoreBucket.objects.get(scope="all", points=10).count == 1
    call_command("presence_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not AggregateDelta.objects.exists()
    assert ScoreBucket.objects.get(scope="all", points=10).count == 2
    assert TeamStanding.objects.get(scope="all", team=team).members == 2
    folded = _snapshot()
    standings_rebuild()
    assert _snapshot() == folded


@pytest.mark.django_db
def test_a_person_moving_down_and_up_leaves_no_empty_or_negative_bucket():
    user = UserFactory(team=False)
    for n, amount in enumerate([10, -10, 10, 5, -15]):
        points_award(user=user, amount=amount, kind="x", source_key=f"m{n}")
    assert aggregates_fold() == 0
    assert list(ScoreBucket.objects.filter(scope="all").values_list("points", "count")) == [(0, 1)]
    folded = _snapshot()
    standings_rebuild()
    assert _snapshot() == folded
