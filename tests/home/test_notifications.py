"""In-app notifications with an unread count, and e-mail only for the kinds opted into."""

import pytest
from django.core import mail

from home.models import NotificationPreference
from leaderboard.models import Notification
from leaderboard.services import kudos_give
from tests.accounts.factories import UserFactory


def header_count(client) -> str:
    body = client.get("/accounts/profile/").content.decode()
    marker = 'class="count-badge"'
    if marker not in body:
        return "0"
    return body.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]


@pytest.mark.django_db(transaction=True)
def test_kudos_notifies_in_app_and_by_email_only_when_opted_in(client):
    giver, recipient = UserFactory(), UserFactory()
    kudos_give(giver=giver, recipient=recipient, message="Great catch on the refund policy")
    assert Notification.objects.filter(user=recipient, kind="kudos").count() == 1
    assert mail.outbox == []  # not opted in

    NotificationPreference.objects.create(user=recipient, email_kudos=True)
    kudos_give(giver=UserFactory(), recipient=recipient, message="Thanks for the review")
    [message] = mail.outbox
    assert message.to == [recipient.email]
    assert "Thanks for the review" in message.body

    client.force_login(recipient)
    assert header_count(client) == "2"
    response = client.post("/me/notifications/", {"mark_read": "1"}, follow=True)
    assert "Marked 2 notifications as read." in response.content.decode()
    assert header_count(client) == "0"


@pytest.mark.django_db
def test_notifications_page_lists_only_the_viewers_own(client):
    me, other = UserFactory(), UserFactory()
    Notification.objects.create(user=me, kind="badge", message="You earned the Scout badge.")
    Notification.objects.create(user=other, kind="badge", message="Someone else's badge.")
    client.force_login(me)
    body = client.get("/me/notifications/").content.decode()
    assert "You earned the Scout badge." in body
    assert "Someone else&#x27;s badge." not in body and "Someone else's badge." not in body


@pytest.mark.django_db
def test_email_choices_are_saved(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(
        "/me/notifications/", {"email_badge": "on", "email_digest": "on"}, follow=True
    )
    assert "Your e-mail choices have been saved." in response.content.decode()
    preference = NotificationPreference.objects.get(user=me)
    assert preference.email_badge and preference.email_digest
    assert not preference.email_kudos


def test_notifications_need_sign_in(client):
    response = client.get("/me/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_due_assignments_notify_each_member_once_and_not_those_who_finished():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from courses.models import ModuleCompletion
    from courses.services import assignment_create
    from tests.accounts.factories import TeamFactory
    from tests.courses.factories import lesson_page, module_page

    team = TeamFactory()
    ana, ben, done = (UserFactory(team=team) for _ in range(3))
    module = module_page(title="Spotting bias")
    lesson_page(module)
    manager = UserFactory()
    assignment_create(
        module=module,
        due_date=timezone.localdate() + timedelta(days=2),
        assigned_by=manager,
        team=team,
    )
    ModuleCompletion.objects.create(user=done, module=module)
    call_command("notify_due_assignments")
    call_command("notify_due_assignments")
    notified = Notification.objects.filter(kind="assignment.due")
    assert sorted(n.user_id for n in notified) == sorted([ana.pk, ben.pk])
    assert "“Spotting bias” is due on" in notified.first().message


@pytest.mark.django_db
def test_week_starting_notifies_participating_teams_once_and_emails_the_opted_in():
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from challenges.models import ChallengeWeek
    from tests.accounts.factories import TeamFactory

    team, other = TeamFactory(), TeamFactory()
    ana, ben = UserFactory(team=team), UserFactory(team=team)
    outsider = UserFactory(team=other)
    NotificationPreference.objects.create(user=ana, email_week=True)
    week = ChallengeWeek.objects.create(
        title="Refund week",
        starts_at=timezone.now() + timedelta(hours=3),
        ends_at=timezone.now() + timedelta(days=7),
    )
    week.teams.add(team)
    call_command("notify_weeks_starting")
    call_command("notify_weeks_starting")
    notified = Notification.objects.filter(kind="week.starting")
    assert sorted(n.user_id for n in notified) == sorted([ana.pk, ben.pk])
    assert outsider.pk not in {n.user_id for n in notified}
    assert "“Refund week” starts" in notified.first().message
    assert [m.to for m in mail.outbox] == [[ana.email]]
