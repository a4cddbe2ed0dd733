"""Levels, badges from the ledger, notifications, Open Badges 2.0 endpoints, the spotlight."""

import hashlib
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from leaderboard.badges import badges_evaluate
from leaderboard.models import Badge, BadgeAward
from leaderboard.selectors import level_progress
from leaderboard.services import points_award, points_revoke, week_configure
from notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.leaderboard.factories import BadgeFactory, LevelFactory

pytestmark = pytest.mark.django_db


def test_level_progress_to_the_next_threshold():
    LevelFactory(name="Newcomer", xp_threshold=0)
    LevelFactory(name="Practitioner", xp_threshold=100)
    LevelFactory(name="Mentor", xp_threshold=300)
    progress = level_progress(160)
    assert progress["level"].name == "Practitioner"
    assert progress["next"].name == "Mentor"
    assert (progress["percent"], progress["to_go"]) == (30, 140)
    assert level_progress(999)["next"] is None


def test_points_badge_is_awarded_once_after_commit_with_a_notification(
    django_capture_on_commit_callbacks,
):
    BadgeFactory(name="Century", criteria=Badge.POINTS_TOTAL, threshold=100)
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        points_award(user=user, amount=60, kind="x", source_key="a")
    assert not BadgeAward.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        points_award(user=user, amount=60, kind="x", source_key="b")
    with django_capture_on_commit_callbacks(execute=True):
        points_award(user=user, amount=60, kind="x", source_key="c")
    assert BadgeAward.objects.filter(user=user).count() == 1
    assert Notification.objects.get(user=user, kind="badge").message == (
        "You earned the “Century” badge."
    )


def test_kind_count_badge_counts_revocations_against_it():
    BadgeFactory(criteria=Badge.KIND_COUNT, kind="review.given", threshold=2)
    user = UserFactory()
    first = points_award(user=user, amount=5, kind="review.given", source_key="r1")
    points_revoke(award=first, reason="Spam review")
    points_award(user=user, amount=5, kind="review.given", source_key="r2")
    assert badges_evaluate(user=user) == []
    points_award(user=user, amount=5, kind="review.given", source_key="r3")
    assert len(badges_evaluate(user=user)) == 1


def test_skill_and_streak_badges():
    skill = BadgeFactory(criteria=Badge.SKILL_POINTS, skill="data-literacy", threshold=20)
    streak = BadgeFactory(criteria=Badge.STREAK, threshold=3)
    user = UserFactory()
    now = timezone.now()
    for days_ago in (5, 2, 1, 0):
        points_award(
            user=user,
            amount=5,
            kind="x",
            source_key=f"d{days_ago}",
            skill="data-literacy",
            created_at=now - timedelta(days=days_ago),
        )
    earned = {a.badge for a in badges_evaluate(user=user)}
    assert earned == {skill, streak}


def test_week_placement_badges_are_given_when_the_week_is_final(
    django_capture_on_commit_callbacks,
):
    podium = BadgeFactory(criteria=Badge.WEEK_PLACEMENT, threshold=2)
    users = [UserFactory() for _ in range(3)]
    for i, user in enumerate(users):
        points_award(user=user, amount=10 * (i + 1), kind="x", source_key="k", week_id=5)
    with django_capture_on_commit_callbacks(execute=True):
        week_configure(week_id=5, frozen_at=timezone.now())
    assert not BadgeAward.objects.filter(badge=podium).exists()  # a freeze is not the end
    with django_capture_on_commit_callbacks(execute=True):
        week_configure(week_id=5, final=True)
    assert set(BadgeAward.objects.filter(badge=podium).values_list("user", flat=True)) == {
        users[2].pk,
        users[1].pk,
    }


def test_open_badges_issuer_badgeclass_and_hashed_assertion(client):
    badge = BadgeFactory(slug="first-steps", name="First steps")
    user = UserFactory(email="Ana@Example.com")
    award = BadgeAward.objects.create(badge=badge, user=user)
    issuer = client.get("/leaderboard/openbadges/issuer.json")
    assert issuer["Content-Type"] == "application/ld+json"
    assert issuer.json()["type"] == "Issuer"
    badge_class = client.get("/leaderboard/openbadges/badges/first-steps.json").json()
    assert badge_class["type"] == "BadgeClass"
    assert badge_class["issuer"] == "http://testserver/leaderboard/openbadges/issuer.json"
    assertion = client.get(f"/leaderboard/openbadges/assertions/{award.uid}.json").json()
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["badge"] == badge_class["id"]
    assert assertion["verification"] == {"type": "hosted"}
    recipient = assertion["recipient"]
    expected = hashlib.sha256((user.email.lower() + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": award.salt,
        "identity": f"sha256${expected}",
    }
    assert user.email not in str(assertion)
    missing = client.get(
        "/leaderboard/openbadges/assertions/00000000-0000-0000-0000-000000000000.json"
    )
    assert missing.status_code == 404


def test_profile_shows_level_badges_and_notifications_without_marking_them_read(client):
    LevelFactory(name="Newcomer", xp_threshold=0)
    LevelFactory(name="Practitioner", xp_threshold=50)
    user = UserFactory()
    points_award(user=user, amount=20, kind="x", source_key="a")
    BadgeAward.objects.create(badge=BadgeFactory(name="Early bird"), user=user)
    Notification.objects.create(user=user, kind="badge", message="You earned it.")
    client.force_login(user)
    body = client.get(f"/leaderboard/people/{user.pk}/").content.decode()
    assert "Newcomer" in body and "30 points to Practitioner" in body and "Early bird" in body
    assert 'aria-valuenow="40"' in body
    # Viewing is not reading (GET never writes): the page offers a POST button for that.
    assert "You earned it." in body and "Mark all as read" in body
    assert Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_top_mentors_spotlight_lists_this_months_public_top():
    shy = UserFactory(first_name="Shy", last_name="Person", show_on_leaderboards=False)
    star = UserFactory(first_name="Star", last_name="Mentor")
    old = UserFactory(first_name="Old", last_name="Timer")
    points_award(user=shy, amount=500, kind="x", source_key="a")
    points_award(user=star, amount=40, kind="x", source_key="a")
    points_award(
        user=old,
        amount=900,
        kind="x",
        source_key="a",
        # The last day of the month before: on that month's board, not this one's.
        created_at=timezone.localtime().replace(day=1) - timedelta(days=1),
    )
    html = Template("{% load leaderboard_tags %}{% top_mentors %}").render(Context({}))
    assert "Star Mentor" in html
    assert "Shy Person" not in html and "Old Timer" not in html


@pytest.mark.django_db
def test_badge_admin_list_says_each_rule_in_words(admin_client):
    BadgeFactory(name="On a roll", criteria=Badge.STREAK, threshold=3)
    BadgeFactory(name="Peer reviewer", criteria=Badge.KIND_COUNT, kind="review.given", threshold=5)
    BadgeFactory(name="Retired", is_active=False)
    body = admin_client.get("/admin/snippets/leaderboard/badge/").content.decode()
    assert "Active 3 days in a row" in body
    assert "Peer reviewer" in body and ": 5 times" in body and "review.given" not in body
    assert "&lt;threshold&gt;" not in body and "<td>True</td>" not in body
