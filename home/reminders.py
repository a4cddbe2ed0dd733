"""Reminders sent on a schedule: who is told what, and when (the cron commands only call these).

Both are idempotent: a notification's url names its event (the week, the due date), and a
person gets one notification per url, so running a command twice sends nothing new.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, User
from challenges.models import ChallengeWeek
from courses.models import Assignment, ModuleCompletion
from notifications.email import notification_email_task
from notifications.models import NotificationPreference
from notifications.services import notification_send, notification_send_bulk


def weeks_starting_notify(*, hours: int = 24) -> int:
    """Tell the participants of every challenge week starting within ``hours`` (or running)
    that it starts, once per person and week; e-mail those who opted in. Returns how many.

    Participants are the current members of the week's teams, or everyone active when the
    week is open to all teams.
    """
    now = timezone.now()
    weeks = ChallengeWeek.objects.filter(
        starts_at__lte=now + timedelta(hours=hours), ends_at__gt=now
    ).prefetch_related("teams")
    total = 0
    for week in weeks:
        teams = list(week.teams.all())
        if teams:
            ids = Membership.objects.filter(
                team__in=teams, ended_at__isnull=True, user__is_active=True
            ).values_list("user_id", flat=True)
        else:
            ids = User.objects.filter(is_active=True).values_list("pk", flat=True)
        starts = timezone.localtime(week.starts_at)
        verb = "has started" if week.starts_at <= now else f"starts {starts:%a %d %b, %H:%M}"
        created = notification_send_bulk(
            user_ids=ids,
            kind="week.starting",
            message=f"The challenge week “{week.title}” {verb}.",
            url=f"{reverse('challenges:weeks')}#week-{week.pk}",
        )
        total += len(created)
        # Bulk-created rows fire no signal: queue the e-mails here, only for the opted in.
        opted = set(
            NotificationPreference.objects.filter(
                email_week=True, user_id__in=[n.user_id for n in created]
            ).values_list("user_id", flat=True)
        )
        for notification in created:
            if notification.user_id in opted:
                notification_email_task.enqueue(notification.pk)
    return total


def assignments_due_notify(*, days: int = 3) -> int:
    """Tell everyone with an assigned module due within ``days`` (or overdue) that they have
    not completed, once per person and due date. Returns how many were notified."""
    today = timezone.localdate()
    assignments = Assignment.objects.filter(
        due_date__lte=today + timedelta(days=days), module__live=True
    ).select_related("module", "team", "user")
    sent = 0
    for assignment in assignments.iterator():
        done = ModuleCompletion.objects.filter(module=assignment.module_id).values("user_id")
        module = assignment.module
        due = assignment.due_date
        when = "was due" if due < today else "is due"
        if assignment.user_id:
            people = User.objects.filter(pk=assignment.user_id, is_active=True)
        else:
            members = Membership.objects.filter(team=assignment.team_id, ended_at__isnull=True)
            people = User.objects.filter(pk__in=members.values("user_id"), is_active=True)
        for person in people.exclude(pk__in=done):
            if notification_send(
                user=person,
                kind="assignment.due",
                message=f"“{module.title}” {when} on {assignment.due_date:%d %b %Y}.",
                url=f"{module.url or reverse('courses:my_learning')}#due-{due.isoformat()}",
                once=True,
            ):
                sent += 1
    return sent
