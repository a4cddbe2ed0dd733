"""Every URL a notification, its e-mail or an xAPI statement carries leads to a page of the site.

Each kind is made by the real service (or signal) that sends it, then its path is opened as the
person it was sent to. ``resolve()`` alone would prove nothing: Wagtail's catch-all page route
matches any path, so a link to a page that does not exist still "resolves".
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from challenges.models import ChallengeWeek
from challenges.services import review_submit
from courses.models import Assignment
from courses.services import assignment_create, assignment_remind_overdue
from home.models import XapiStatement
from home.reminders import assignments_due_notify, weeks_starting_notify
from leaderboard.badges import badge_grant
from leaderboard.services import kudos_give
from notifications.email import notification_email_task
from notifications.models import Notification, NotificationPreference
from tests.accounts.factories import TeamFactory, UserFactory
from tests.challenges.factories import CorrectionFactory, make_challenge
from tests.courses.factories import lesson_page, module_page
from tests.leaderboard.factories import BadgeFactory


def opens(client, url: str) -> bool:
    """Whether ``url`` (its path) shows a page to the signed-in person, after any redirect."""
    path = urlsplit(url).path or "/"
    return client.get(path, follow=True).status_code == 200


@pytest.fixture
def kinds(db, settings):
    """One notification of each kind, made the way the site makes it."""
    settings.XAPI_ENDPOINT = settings.XAPI_ENDPOINT or "http://127.0.0.1:9/xapi/"
    team = TeamFactory()
    ana, ben = UserFactory(team=team), UserFactory(team=team)
    NotificationPreference.objects.create(
        user=ana,
        email_badge=True,
        email_kudos=True,
        email_review=True,
        email_assignment=True,
        email_week=True,
    )
    kudos_give(giver=ben, recipient=ana, message="Thanks for the careful review.")
    badge_grant(badge=BadgeFactory(), user=ana)
    challenge = make_challenge()
    correction = CorrectionFactory(user=ana, challenge=challenge)
    review_submit(
        reviewer=ben,
        correction=correction,
        scores={"accuracy": 4, "tone": 4, "completeness": 4, "policy_fit": 4},
    )
    module = module_page(title="Spotting bias")
    lesson_page(module)
    assignment_create(module=module, due_date=timezone.localdate(), assigned_by=ben, team=team)
    assignments_due_notify(days=3)
    Assignment.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    assignment_remind_overdue(assignment=Assignment.objects.get(), by=ben)
    week = ChallengeWeek.objects.create(
        title="Refund week",
        starts_at=timezone.now() + timedelta(hours=2),
        ends_at=timezone.now() + timedelta(days=7),
    )
    week.challenges.add(challenge)
    weeks_starting_notify(hours=24)
    return ana


def test_every_notification_kind_links_to_a_page(client, kinds):
    client.force_login(kinds)
    notifications = list(Notification.objects.filter(user=kinds))
    made = {n.kind for n in notifications}
    assert {"kudos", "badge", "correction.reviewed", "assignment.due", "week.starting"} <= made
    broken = [(n.kind, n.url) for n in notifications if not opens(client, n.url)]
    assert broken == []


def test_every_notification_e_mail_links_to_pages(client, kinds):
    client.force_login(kinds)
    for notification in Notification.objects.filter(user=kinds):
        notification_email_task.call(notification.pk)
    assert mail.outbox
    links = [
        line.strip()
        for message in mail.outbox
        for line in message.body.splitlines()
        if line.strip().startswith("http")
    ]
    links += [
        word.rstrip(".")
        for message in mail.outbox
        for word in message.body.split()
        if word.startswith("http")
    ]
    assert links
    assert [link for link in links if not opens(client, link)] == []


def test_every_xapi_activity_of_a_badge_or_step_is_a_page(client, kinds):
    client.force_login(kinds)
    activities = [statement.payload["object"]["id"] for statement in XapiStatement.objects.all()]
    assert activities
    assert [a for a in activities if not opens(client, a)] == []
