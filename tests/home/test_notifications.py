"""Scheduled reminders (home/reminders.py): due assignments and challenge weeks starting.

The notifications page, services and e-mail are tested in tests/notifications/."""

import pytest
from django.core import mail

from notifications.models import Notification, NotificationPreference
from tests.accounts.factories import UserFactory


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
