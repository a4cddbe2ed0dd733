"""A board page reads its navigation and settings (``scope_list.scopes_and_settings``) in the
viewer's one cache round trip, and a renamed week still shows on the next request."""

import pytest
from django.core.cache import caches

from leaderboard.models import ScopeSettings
from leaderboard.scope_list import SCOPES_CACHE_KEY
from leaderboard.services import points_award
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge, make_week

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(settings, monkeypatch):
    """Every read of the default cache (not the gets local memory's get_many makes itself)."""
    settings.SESSION_ENGINE = "accounts.sessions"  # as with Redis: sessions from the cache
    backend, seen, inside = caches["default"], [], []
    get, get_many = backend.get, backend.get_many

    def spy_get(key, *args, **kwargs):
        if not inside:
            seen.append(("get", [key]))
        return get(key, *args, **kwargs)

    def spy_get_many(keys, *args, **kwargs):
        seen.append(("get_many", list(keys)))
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(backend, "get", spy_get)
    monkeypatch.setattr(backend, "get_many", spy_get_many)
    return seen


@pytest.mark.parametrize("teams", [False, True])
def test_a_warm_board_reads_the_cache_once_with_the_viewer(client, reads, teams):
    ana = UserFactory()
    week = make_week(challenges=[make_challenge()], teams=[ana.current_team])
    points_award(user=ana, amount=5, kind="challenge.flags", source_key="r:1", week_id=week.pk)
    url = f"/leaderboard/week-{week.pk}/" + ("teams/" if teams else "")
    client.force_login(ana)
    for _ in range(3):
        assert client.get(url).status_code == 200
    reads.clear()
    assert client.get(url).status_code == 200
    assert len(reads) == 1, reads
    assert reads[0][0] == "get_many"
    assert SCOPES_CACHE_KEY in reads[0][1]
    assert f"person:{ana.pk}:version" in reads[0][1]


def test_a_renamed_week_shows_on_the_next_board_request(client):
    ana = UserFactory()
    week = make_week(challenges=[make_challenge()], teams=[ana.current_team], title="Refunds")
    client.force_login(ana)
    url = f"/leaderboard/week-{week.pk}/"
    for _ in range(2):
        assert "Refunds" in client.get(url).content.decode()
    config = ScopeSettings.objects.get(scope=f"week-{week.pk}")
    config.title = "Returns and refunds"
    config.save()
    assert "Returns and refunds" in client.get(url).content.decode()


def test_the_top_rows_and_the_viewers_rank_in_one_statement_equal_the_two_reads(
    django_assert_num_queries,
):
    from leaderboard.selectors.ranks import (
        board_top_people,
        board_top_people_and_rank,
        standing_rank,
    )

    people = [UserFactory() for _ in range(6)]
    for person, amount in zip(people, (30, 20, 20, 10, 5), strict=False):  # the last: no points
        key = f"t:{person.pk}"
        points_award(user=person, amount=amount, kind="challenge.flags", source_key=key)
    for viewer in people:
        for limit in (2, 3, 10):
            with django_assert_num_queries(1):
                top, standing, rank = board_top_people_and_rank(
                    scope="all", user=viewer, limit=limit
                )
            expected_top = board_top_people(scope="all", limit=limit)
            assert [(u.pk, u.public_name, p) for u, p in top] == [
                (u.pk, u.public_name, p) for u, p in expected_top
            ]
            expected, expected_rank = standing_rank(scope="all", user=viewer)
            assert rank == expected_rank
            if expected is None:
                assert standing is None
            else:
                assert (standing.pk, standing.user_id, standing.points, standing.reached_at) == (
                    expected.pk,
                    expected.user_id,
                    expected.points,
                    expected.reached_at,
                )
