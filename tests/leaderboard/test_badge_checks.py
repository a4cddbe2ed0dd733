"""Badges after awards: a check row written with the award, evaluated after commit in batches by
whoever folds the standings, once per person however many of their awards queued a check."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leaderboard import badges
from leaderboard.aggregates import FOLD_LOCK, aggregates_fold, standings_apply
from leaderboard.models import Badge, BadgeAward, BadgeCheck, PointsAward
from leaderboard.services import points_award, standings_rebuild
from notifications.models import Notification
from tests.accounts.factories import TeamFactory, UserFactory
from tests.leaderboard.factories import BadgeFactory
from tests.leaderboard.test_rebuild import _snapshot


@pytest.mark.django_db
def test_a_badge_is_granted_when_the_award_commits_not_inside_its_transaction(
    django_capture_on_commit_callbacks,
):
    badge = BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=10)
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        points_award(user=user, amount=10, kind="x", source_key="a")
        assert not BadgeAward.objects.exists()
    for callback in callbacks:
        callback()
    assert list(BadgeAward.objects.values_list("user", "badge")) == [(user.pk, badge.pk)]
    assert Notification.objects.filter(user=user, kind="badge").count() == 1
    assert not BadgeCheck.objects.exists()


@pytest.mark.django_db
def test_badge_checks_of_a_process_that_died_after_commit_are_evaluated_by_the_sweep():
    badge = BadgeFactory(criteria=Badge.KIND_COUNT, kind="x", threshold=2)
    team = TeamFactory()
    user, other = UserFactory(team=team), UserFactory(team=team)
    for n in range(2):
        # Committed awards whose process died before their after-commit work: the ledger row,
        # the standings and deltas, and the badge check row written with them.
        award = PointsAward.objects.create(
            user=user, team=team, amount=5, kind="x", source_key=f"d{n}", created_at=timezone.now()
        )
        standings_apply(award)
        BadgeCheck.objects.create(user=user)
    BadgeCheck.objects.create(user=other)  # checked, but nothing earned
    call_command("presence_sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(BadgeAward.objects.values_list("user", "badge")) == [(user.pk, badge.pk)]
    assert not BadgeCheck.objects.exists()
    folded = _snapshot()
    standings_rebuild()
    assert _snapshot() == folded


@pytest.mark.django_db
def test_thirty_people_checked_at_once_cost_the_same_reads_as_one():
    BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=1000, slug="far")
    BadgeFactory(criteria=Badge.KIND_COUNT, kind="x", threshold=3, slug="three")
    BadgeFactory(criteria=Badge.SKILL_POINTS, skill="data-literacy", threshold=900, slug="deep")
    people = [UserFactory(team=False) for _ in range(30)]
    for n, person in enumerate(people, start=1):
        points_award(user=person, amount=n, kind="x", source_key="a", skill="data-literacy")
    with CaptureQueriesContext(connection) as one:
        assert badges.badges_evaluate_many([people[0].pk]) == []
    with CaptureQueriesContext(connection) as thirty:
        assert badges.badges_evaluate_many([p.pk for p in people]) == []
    assert len(thirty) == len(one) == 4  # badges, held, points, counts per kind
    ten = BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=10, slug="ten")
    skill = BadgeFactory(criteria=Badge.SKILL_POINTS, skill="data-literacy", threshold=25)
    granted = badges.badges_evaluate_many([p.pk for p in people])
    assert sorted((a.user_id, a.badge_id) for a in granted) == sorted(
        [(p.pk, ten.pk) for p in people[9:]] + [(p.pk, skill.pk) for p in people[24:]]
    )
    assert badges.badges_evaluate_many([p.pk for p in people]) == []  # held now: once each


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_awards_while_another_process_folds_is_evaluated_once(monkeypatch, settings):
    """Awards whose fold found the lock taken leave their deltas and badge checks; the holder's
    next round takes them all and evaluates the person once."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: the fold lock is an advisory lock there.")
    settings.LEADERBOARD_DAILY_CAPS = {}
    badge = BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=25)
    user = UserFactory(team=TeamFactory())
    evaluated = []
    real = badges.badges_evaluate_many
    monkeypatch.setattr(
        badges, "badges_evaluate_many", lambda ids, **kw: evaluated.append(ids) or real(ids, **kw)
    )
    holding, release = threading.Event(), threading.Event()

    def other_folder():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [FOLD_LOCK])
            holding.set()
            release.wait(30)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [FOLD_LOCK])
        connections.close_all()

    folder = threading.Thread(target=other_folder)
    folder.start()
    assert holding.wait(30)
    try:
        for n in range(5):
            points_award(user=user, amount=5, kind="x", source_key=f"burst:{n}")
        assert BadgeCheck.objects.filter(user=user).count() == 5
        assert not BadgeAward.objects.exists()
    finally:
        release.set()
        folder.join()
    assert aggregates_fold() > 0
    assert evaluated == [[user.pk]]
    assert list(BadgeAward.objects.values_list("user", "badge")) == [(user.pk, badge.pk)]
    assert not BadgeCheck.objects.exists()
    folded = _snapshot()
    standings_rebuild()
    assert _snapshot() == folded
