"""GET never writes (issue 10, item 7): week, results, board, profile and notification pages.

An ended week that the ``weeks_close`` job has not finalised yet, badges someone qualifies for
but has not been given, and unread notifications: viewing every page leaves them all as they
were. Marking notifications read is a POST, from a button on the profile and notifications page.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengeWeek
from leaderboard.models import Badge, BadgeAward, PointsAward
from leaderboard.services import points_award
from notifications.models import Notification, NotificationPreference
from notifications.services import notification_send
from tests.accounts.factories import UserFactory
from tests.challenges.factories import make_challenge, make_week
from tests.leaderboard.factories import BadgeFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def state():
    return {
        "badges": BadgeAward.objects.count(),
        "awards": PointsAward.objects.count(),
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
        "finalised": ChallengeWeek.objects.filter(finalised_at__isnull=False).count(),
        "preferences": NotificationPreference.objects.count(),
    }


@pytest.fixture
def world(db):
    BadgeFactory(criteria=Badge.WEEK_PLACEMENT, threshold=3, name="Podium")
    BadgeFactory(criteria=Badge.POINTS_TOTAL, threshold=1, name="First points")
    ana, ben = UserFactory(), UserFactory()
    running = make_week(challenges=[make_challenge(title="Running")], title="Running week")
    ended = make_week(challenges=[make_challenge(title="Ended")], title="Ended week")
    # Ana earns week points (badges are judged after commit, which this test never runs)...
    points_award(user=ana, amount=40, kind="manual", source_key="t:1", week_id=ended.pk)
    # ...then the week ends without anyone running the job.
    ChallengeWeek.objects.filter(pk=ended.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    notification_send(user=ana, kind="kudos", message="Ben thanked you.")
    return {"ana": ana, "ben": ben, "running": running, "ended": ended}


def pages(world):
    ana, ben, running, ended = world["ana"], world["ben"], world["running"], world["ended"]
    return [
        "/",
        "/challenge/weeks/",
        f"/challenge/weeks/{running.pk}/results/",
        f"/challenge/weeks/{ended.pk}/results/",
        "/leaderboard/",
        f"/leaderboard/{ended.scope}/",
        f"/leaderboard/{running.scope}/",
        f"/leaderboard/people/{ana.pk}/",
        f"/leaderboard/people/{ben.pk}/",
        reverse("notifications:index"),
    ]


def test_viewing_every_week_result_profile_and_notification_page_writes_nothing(client, world):
    client.force_login(world["ana"])
    before = state()
    for url in pages(world):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert writes == [], f"GET {url} wrote: {writes}"
    assert state() == before


def test_the_profile_offers_mark_as_read_as_a_post_and_returns_to_the_profile(client, world):
    ana = world["ana"]
    client.force_login(ana)
    profile = f"/leaderboard/people/{ana.pk}/"
    page = client.get(profile).content.decode()
    assert "Mark all as read" in page and 'method="post"' in page
    assert Notification.objects.get(user=ana).read_at is None
    response = client.post(reverse("notifications:index"), {"mark_read": "1", "next": profile})
    assert response.status_code == 302 and response["Location"] == profile
    assert Notification.objects.get(user=ana).read_at is not None
    assert "Mark all as read" not in client.get(profile).content.decode()
    # An off-site "next" is not followed.
    response = client.post(
        reverse("notifications:index"), {"mark_read": "1", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:index")
