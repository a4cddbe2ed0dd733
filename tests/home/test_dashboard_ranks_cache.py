"""The dashboard keeps each person's ranks under the standings' generation
(``home.selectors._ranked``): counted once, served again only while no fold or rebuild changed
the aggregates and the person's own standing is the one they were counted for, never to anyone
else."""

import re
from unittest import mock

import pytest
from django.core.cache import cache

from home import selectors
from leaderboard.services import points_award, standings_rebuild
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def rank(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    return re.search(r'data-testid="dash-rank">\s*([^<]*)<', html).group(1).strip()


def points(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    return re.search(r'data-testid="dash-points">\s*([^<]*)<', html).group(1).strip()


def counted():
    """Patch ``ranks_of`` to count its calls."""
    from leaderboard.selectors import ranks

    return mock.patch.object(ranks, "ranks_of", wraps=ranks.ranks_of)


def test_ranks_are_counted_once_then_kept(client):
    ana = UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    assert rank(client, ana) == "#1"
    with counted() as ranks_of:
        assert rank(client, ana) == "#1"
        assert rank(client, ana) == "#1"
    assert ranks_of.call_count == 0


def test_a_colleague_scoring_counts_them_again(client):
    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    assert rank(client, ana) == "#1"
    points_award(user=ben, amount=50, kind="k", source_key="b:1")  # folds: a new generation
    with counted() as ranks_of:
        assert rank(client, ana) == "#2"
    assert ranks_of.call_count == 1


def test_a_rebuild_counts_them_again(client):
    from leaderboard.models import ScoreBucket, Standing

    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    points_award(user=ben, amount=50, kind="k", source_key="b:1")
    # The aggregates drift behind the ledger's back (Ben's rows lost, no fold), and Ana's rank
    # is counted and kept under them...
    Standing.objects.filter(user=ben).delete()
    ScoreBucket.objects.filter(points=50).delete()
    cache.delete(selectors.ranks_key(ana.pk))
    assert rank(client, ana) == "#1"
    # ...until the rebuild recomputes them from the ledger: its new generation recounts.
    standings_rebuild()
    assert rank(client, ana) == "#2"


def test_their_own_award_shows_before_any_fold(client, django_capture_on_commit_callbacks):
    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=30, kind="k", source_key="a:1")
    points_award(user=ben, amount=50, kind="k", source_key="b:1")
    assert (points(client, ana), rank(client, ana)) == ("30", "#2")
    # Ana's award commits; the fold (and its new generation) has not happened yet.
    with (
        mock.patch("leaderboard.aggregates.standings_moved"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        points_award(user=ana, amount=40, kind="k", source_key="a:2")
    assert points(client, ana) == "70"  # her own rows, read again after her award's commit
    assert rank(client, ana) == "#1"  # counted again: her standing is not the one kept


def test_one_persons_kept_ranks_are_never_anothers(client):
    ana, ben = UserFactory(), UserFactory()
    points_award(user=ana, amount=50, kind="k", source_key="a:1")
    points_award(user=ben, amount=30, kind="k", source_key="b:1")
    assert rank(client, ana) == "#1"
    assert rank(client, ben) == "#2"
    assert cache.get(selectors.ranks_key(ana.pk)) != cache.get(selectors.ranks_key(ben.pk))
    assert rank(client, ana) == "#1"
