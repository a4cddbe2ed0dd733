"""Notifications are written only by notifications.services: badges and kudos go through it."""

import re
from pathlib import Path
from unittest import mock

import pytest

from leaderboard import badges as leaderboard_badges
from leaderboard.badges import badge_grant
from leaderboard.services import kudos as kudos_services
from leaderboard.services import kudos_give
from notifications import services
from notifications.models import Notification
from notifications.services import (
    notification_send,
    notification_send_bulk,
    notifications_mark_read,
)
from tests.accounts.factories import UserFactory
from tests.leaderboard.factories import BadgeFactory

ROOT = Path(__file__).resolve().parents[2]
DIRECT_WRITE = re.compile(
    r"\bNotification\.objects\.(create|bulk_create|update|get_or_create)\b|\bNotification\("
)


def test_no_module_outside_notifications_writes_notification_rows():
    apps = [p for p in ROOT.iterdir() if (p / "__init__.py").exists() or (p / "apps.py").exists()]
    offenders = [
        str(path.relative_to(ROOT))
        for app in apps
        if app.name not in {"tests", "notifications"}
        for path in app.rglob("*.py")
        if "migrations" not in path.parts and DIRECT_WRITE.search(path.read_text(encoding="utf-8"))
    ]
    assert len(apps) > 5 and offenders == []


@pytest.mark.django_db
def test_a_badge_notifies_through_the_service():
    user = UserFactory()
    badge = BadgeFactory(name="Scout")
    with mock.patch.object(
        leaderboard_badges, "notification_send", wraps=services.notification_send
    ) as send:
        award = badge_grant(badge=badge, user=user)
    assert award is not None
    send.assert_called_once()
    [notification] = Notification.objects.filter(user=user)
    assert (notification.kind, notification.message) == ("badge", "You earned the “Scout” badge.")
    # A badge is granted once, and so is its notification.
    assert badge_grant(badge=badge, user=user) is None
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_kudos_notify_through_the_service():
    giver, recipient = UserFactory(), UserFactory()
    with mock.patch.object(
        kudos_services, "notification_send", wraps=services.notification_send
    ) as send:
        kudos_give(giver=giver, recipient=recipient, message="Sharp eye on the refund rule")
    send.assert_called_once()
    [notification] = Notification.objects.filter(user=recipient)
    assert notification.kind == "kudos"
    assert notification.message.endswith("gave you kudos: Sharp eye on the refund rule")
    assert not Notification.objects.filter(user=giver).exists()


@pytest.mark.django_db
def test_send_once_per_url_and_long_text_is_cut():
    user = UserFactory()
    first = notification_send(
        user=user, kind="week.starting", message="x" * 400, url="/w/#1", once=True
    )
    assert first is not None and len(first.message) == 300
    assert (
        notification_send(user=user, kind="week.starting", message="again", url="/w/#1", once=True)
        is None
    )
    assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_bulk_send_skips_people_already_told_and_mark_read_is_per_person():
    ana, ben = UserFactory(), UserFactory()
    notification_send(user=ana, kind="week.starting", message="Week 1", url="/w/#1")
    rows = notification_send_bulk(
        user_ids=[ana.pk, ben.pk, ben.pk], kind="week.starting", message="Week 1", url="/w/#1"
    )
    assert [row.user_id for row in rows] == [ben.pk]
    assert notifications_mark_read(user=ana) == 1
    assert notifications_mark_read(user=ana) == 0
    assert Notification.objects.get(user=ben).read_at is None
