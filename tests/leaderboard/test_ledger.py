"""The ledger rules: idempotent awards, caps, self-action, revocations, concurrency."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from leaderboard.models import PointsAward, Standing, TeamStanding
from leaderboard.services import LeaderboardError, manual_award, points_award, points_revoke
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_duplicate_award_is_ignored_and_returns_the_first_row():
    user = UserFactory()
    first = points_award(user=user, amount=10, kind="challenge.flags", source_key="challenge:1:u")
    again = points_award(user=user, amount=99, kind="challenge.flags", source_key="challenge:1:u")
    assert again.pk == first.pk
    assert PointsAward.objects.filter(user=user).count() == 1
    assert Standing.objects.get(scope="all", user=user).points == 10


def test_award_records_the_users_team_at_that_time():
    team = TeamFactory()
    user = UserFactory(team=team)
    award = points_award(user=user, amount=5, kind="lesson.completed", source_key="lesson:1")
    assert award.team == team
    assert TeamStanding.objects.get(scope="all", team=team).points == 5


def test_no_points_for_acting_on_your_own_content():
    user = UserFactory()
    result = points_award(
        user=user, amount=5, kind="review.given", source_key="review:1", content_owner=user
    )
    assert result is None
    assert not PointsAward.objects.exists()
    other = UserFactory()
    assert points_award(
        user=user, amount=5, kind="review.given", source_key="review:2", content_owner=other
    )


def test_daily_cap_cuts_the_award_then_refuses(settings):
    settings.LEADERBOARD_DAILY_CAPS = {"kudos.received": 12}
    user = UserFactory()
    for i in range(2):
        points_award(user=user, amount=5, kind="kudos.received", source_key=f"kudos:{i}")
    cut = points_award(user=user, amount=5, kind="kudos.received", source_key="kudos:2")
    assert cut.amount == 2
    assert "daily cap" in cut.reason
    assert points_award(user=user, amount=5, kind="kudos.received", source_key="kudos:3") is None
    assert Standing.objects.get(scope="all", user=user).points == 12
    # Other kinds and other days are not capped by it.
    assert points_award(user=user, amount=5, kind="review.given", source_key="r:1")
    tomorrow = timezone.now() + timedelta(days=1)
    later = points_award(
        user=user, amount=5, kind="kudos.received", source_key="kudos:4", created_at=tomorrow
    )
    assert later.amount == 5


def test_revocation_is_a_new_negative_row_once():
    user = UserFactory()
    award = points_award(user=user, amount=30, kind="challenge.flags", source_key="c:1")
    with pytest.raises(LeaderboardError, match="Say why"):
        points_revoke(award=award, reason=" ")
    revoked = points_revoke(award=award, reason="Answer key was wrong")
    again = points_revoke(award=award, reason="Twice")
    assert revoked.amount == -30 and again.pk == revoked.pk
    assert PointsAward.objects.filter(user=user).count() == 2
    assert Standing.objects.get(scope="all", user=user).points == 0


def test_award_counts_in_all_month_week_and_skill_scopes():
    user = UserFactory()
    at = timezone.now()
    points_award(
        user=user,
        amount=7,
        kind="x",
        source_key="k",
        skill="data-literacy",
        week_id=3,
        created_at=at,
    )
    month = f"month-{timezone.localtime(at):%Y-%m}"
    scopes = set(Standing.objects.filter(user=user).values_list("scope", flat=True))
    assert scopes == {"all", month, "week-3", "skill-data-literacy"}


def test_manual_award_needs_a_manager_and_a_reason():
    from accounts import roles

    manager = UserFactory(roles=[roles.LD_MANAGER])
    employee = UserFactory()
    with pytest.raises(LeaderboardError, match="Only L&D managers"):
        manual_award(user=employee, amount=5, reason="x", awarded_by=employee, key="a")
    with pytest.raises(LeaderboardError, match="reason"):
        manual_award(user=employee, amount=5, reason="", awarded_by=manager, key="b")
    award = manual_award(user=employee, amount=-5, reason="Duplicate", awarded_by=manager, key="c")
    again = manual_award(user=employee, amount=-5, reason="Duplicate", awarded_by=manager, key="c")
    assert award.pk == again.pk and award.awarded_by == manager and award.kind == "manual"


def test_empty_source_key_is_refused():
    with pytest.raises(ValueError, match="source_key"):
        points_award(user=UserFactory(), amount=1, kind="x", source_key="")


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_awards_on_postgresql_leave_exactly_one_row():
    if connection.vendor == "sqlite":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers and has no row locks.")
    user = UserFactory()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def award():
        try:
            barrier.wait()
            results.append(
                points_award(user=user, amount=10, kind="challenge.flags", source_key="same")
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.pk for r in results}) == 1
    assert PointsAward.objects.filter(user=user).count() == 1
    assert Standing.objects.get(scope="all", user=user).points == 10


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_for_one_team_on_postgresql_lose_no_increment():
    if connection.vendor == "sqlite":
        pytest.skip("Needs PostgreSQL: SQLite serialises writers and has no row locks.")
    team = TeamFactory()
    users = [UserFactory(team=team) for _ in range(6)]
    barrier = threading.Barrier(len(users))
    errors = []

    def award(user):
        try:
            barrier.wait()
            for i in range(5):
                points_award(user=user, amount=3, kind="x", source_key=f"k{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=award, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    standing = TeamStanding.objects.get(scope="all", team=team)
    assert standing.points == 6 * 5 * 3
    assert standing.members == 6


@pytest.mark.django_db
def test_the_ledger_has_no_update_or_delete_path():
    from leaderboard.models.ledger import LedgerAppendOnlyError

    award = points_award(user=UserFactory(), amount=5, kind="manual", source_key="append:1")
    award.amount = 500
    with pytest.raises(LedgerAppendOnlyError):
        award.save()
    with pytest.raises(LedgerAppendOnlyError):
        award.delete()
    with pytest.raises(LedgerAppendOnlyError):
        PointsAward.objects.filter(pk=award.pk).update(amount=500)
    with pytest.raises(LedgerAppendOnlyError):
        PointsAward.objects.all().delete()
    assert PointsAward.objects.get(pk=award.pk).amount == 5
