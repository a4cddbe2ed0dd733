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


@pytest.mark.django_db
def test_a_read_is_made_only_for_what_someone_still_wants():
    """A person holding every points badge costs no standings read; one wanting only a streak
    costs the streak read alone, and the kinds read counts only the kinds badges name."""
    user = UserFactory(team=False)
    points_award(user=user, amount=20, kind="x", source_key="a", skill="data-literacy")
    points = BadgeFactory(slug="points", criteria=Badge.POINTS_TOTAL, threshold=1)
    BadgeAward.objects.create(badge=points, user=user)
    BadgeFactory(slug="roll", criteria=Badge.STREAK, threshold=3)
    with CaptureQueriesContext(connection) as streak_only:
        assert badges_evaluate(user=user) == []
    tables = [q["sql"].split(" FROM ", 1)[-1].split()[0] for q in streak_only.captured_queries]
    assert '"leaderboard_standing"' not in tables
    assert tables.count('"leaderboard_pointsaward"') == 1  # the streak's days

    kind = BadgeFactory(slug="kind", criteria=Badge.KIND_COUNT, kind="x", threshold=1)
    with CaptureQueriesContext(connection) as with_kind:
        assert [award.badge for award in badges_evaluate(user=user)] == [kind]
    [kinds_sql] = [q["sql"] for q in with_kind.captured_queries if "GROUP BY" in q["sql"]]
    assert "kind" in kinds_sql and "IN ('x')" in kinds_sql.replace('"', "'").replace(
        "IN ( 'x' )", "IN ('x')"
    )


@pytest.mark.django_db
def test_a_batch_of_grants_notifies_each_person_once_and_emails_only_who_opted_in(
    django_capture_on_commit_callbacks, mailoutbox
):
    from leaderboard.badges import badges_evaluate_many
    from notifications.models import Notification, NotificationPreference

    people = [UserFactory(team=False) for _ in range(3)]
    for n, person in enumerate(people):
        points_award(user=person, amount=5, kind="x", source_key=f"p{n}")
    NotificationPreference.objects.create(user=people[1], email_badge=True)
    first = BadgeFactory(slug="first", name="First", criteria=Badge.POINTS_TOTAL, threshold=1)
    five = BadgeFactory(slug="five", name="Five", criteria=Badge.POINTS_TOTAL, threshold=5)
    with django_capture_on_commit_callbacks(execute=True):
        granted = badges_evaluate_many([p.pk for p in people])
    assert sorted((a.user_id, a.badge_id) for a in granted) == sorted(
        (p.pk, b.pk) for p in people for b in (first, five)
    )
    for person in people:
        assert sorted(
            Notification.objects.filter(user=person, kind="badge").values_list("message", flat=True)
        ) == ["You earned the “First” badge.", "You earned the “Five” badge."]
    assert sorted(m.subject for m in mailoutbox) == [
        "[Apprentice] You earned the “First” badge.",
        "[Apprentice] You earned the “Five” badge.",
    ]
    assert {tuple(m.to) for m in mailoutbox} == {(people[1].email,)}
