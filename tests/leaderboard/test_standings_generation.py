"""The standings' generation (``leaderboard.selectors.ranks.standings_generation``): replaced by
every fold that folded something and by every rebuild, at once and again at commit, so a rank
kept under it is never served after the aggregates it was counted from changed."""

import pytest

from leaderboard.aggregates import aggregates_fold, standings_apply
from leaderboard.models import PointsAward
from leaderboard.selectors.ranks import standings_generation
from leaderboard.services import points_award, standings_rebuild
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_award_folded_gives_a_new_generation():
    ana = UserFactory()
    before = standings_generation()
    assert standings_generation() == before  # stable while nothing changes
    points_award(user=ana, amount=10, kind="x", source_key="a:1")
    assert standings_generation() != before


def test_a_fold_of_deltas_left_by_another_process_gives_a_new_generation():
    from django.utils import timezone

    ana = UserFactory(team=False)
    award = PointsAward.objects.create(
        user=ana, amount=7, kind="x", source_key="b:1", created_at=timezone.now()
    )
    standings_apply(award)  # committed, its process died before folding
    before = standings_generation()
    assert aggregates_fold(badges=False) > 0
    after = standings_generation()
    assert after != before
    assert aggregates_fold(badges=False) == 0  # nothing to fold: the generation stays
    assert standings_generation() == after


def test_a_rebuild_gives_a_new_generation():
    points_award(user=UserFactory(), amount=10, kind="x", source_key="a:1")
    before = standings_generation()
    standings_rebuild()
    assert standings_generation() != before


def test_the_generation_is_replaced_again_when_the_fold_commits(
    django_capture_on_commit_callbacks,
):
    ana = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        points_award(user=ana, amount=10, kind="x", source_key="a:1")
    at_fold = standings_generation()
    for callback in callbacks:
        callback()
    assert standings_generation() != at_fold
