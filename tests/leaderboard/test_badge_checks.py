"""Badges after awards: a check row written with the award, evaluated soon after commit in
batches (inline in tests, by the process's settler thread in production), once per person
however many of their awards queued a check."""

import threading
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leaderboard import badges, broadcast
from leaderboard.aggregates import standings_apply
from leaderboard.models import (
    AggregateDelta,
    Badge,
    BadgeAward,
    BadgeCheck,
    PointsAward,
    ScoreBucket,
)
from leaderboard.services import points_award, settle, standings_rebuild
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
def test_a_burst_of_awards_handed_to_the_background_is_settled_once(monkeypatch, settings):
    """Production's way (``settle``): the awarding call ends at its commit (two statements),
    leaving its deltas and badge check; one settler round folds them all, announces the scopes
    the burst moved together, and evaluates the person once."""
    if connection.vendor != "postgresql":
        pytest.skip("The background follow-up runs on PostgreSQL only.")
    settings.LEADERBOARD_DAILY_CAPS = {}
    settings.LEADERBOARD_AWARD_FOLLOWUP = "background"
    badge = BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=25)
    user = UserFactory(team=TeamFactory())
    handed, evaluated, announced = [], [], []
    monkeypatch.setattr(settle, "_settlers", lambda: [SimpleNamespace(add=handed.append)])
    real = badges.badges_evaluate_many
    monkeypatch.setattr(
        badges, "badges_evaluate_many", lambda ids, **kw: evaluated.append(ids) or real(ids, **kw)
    )
    monkeypatch.setattr(broadcast, "announce", lambda moved, since=None: announced.append(moved))
    for n in range(5):
        with CaptureQueriesContext(connection) as award:
            points_award(user=user, amount=5, kind="x", source_key=f"burst:{n}", skill="sql")
        assert len([q for q in award.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]) == 2
    assert BadgeCheck.objects.filter(user=user).count() == 5
    assert AggregateDelta.objects.exists()
    assert not ScoreBucket.objects.exists() and not BadgeAward.objects.exists()
    assert len(handed) == 5
    assert settle.awards_settle({scope for moved in handed for scope in moved}) is False
    assert evaluated == [[user.pk]]
    assert announced == [sorted(handed[0])]
    assert list(BadgeAward.objects.values_list("user", "badge")) == [(user.pk, badge.pk)]
    assert not BadgeCheck.objects.exists() and not AggregateDelta.objects.exists()
    folded = _snapshot()
    standings_rebuild()
    assert _snapshot() == folded


@pytest.mark.django_db(transaction=True)
def test_the_settler_thread_folds_and_grants_after_the_commit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("The background follow-up runs on PostgreSQL only.")
    settings.LEADERBOARD_AWARD_FOLLOWUP = "background"
    badge = BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=10)
    user = UserFactory(team=TeamFactory())
    points_award(user=user, amount=10, kind="x", source_key="a")
    settle.settle_stop(30)  # its last round done, its connection closed
    assert list(BadgeAward.objects.values_list("user", "badge")) == [(user.pk, badge.pk)]
    assert ScoreBucket.objects.get(scope="all", points=10).count == 1
    assert not BadgeCheck.objects.exists() and not AggregateDelta.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_drainers_at_once_grant_each_badge_once(monkeypatch):
    """Two processes' settlers claim different batches (SKIP LOCKED) that name the same people:
    each badge is granted once, with one notification, and neither waits for the other forever."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: concurrent transactions.")
    monkeypatch.setattr(badges, "CHECK_BATCH", 20)  # a batch: everyone once
    BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=5, slug="five")
    BadgeFactory(criteria=Badge.KIND_COUNT, kind="x", threshold=1, slug="one")
    people = [UserFactory(team=False) for _ in range(20)]
    for person in people:
        points_award(user=person, amount=5, kind="x", source_key="a")
    BadgeAward.objects.all().delete()
    Notification.objects.all().delete()
    for _ in range(2):
        BadgeCheck.objects.bulk_create([BadgeCheck(user=person) for person in people])
    start, errors = threading.Barrier(2), []

    def drain():
        try:
            start.wait(10)
            badges.badges_drain()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert BadgeAward.objects.count() == 40
    assert Notification.objects.filter(kind="badge").count() == 40
    assert not BadgeCheck.objects.exists()
