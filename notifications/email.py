"""E-mail for the notification kinds a person opted into, sent in the background.

When a ``Notification`` is created, :func:`notification_created` (connected in apps.py) queues
:func:`notification_email_task` after commit; the task sends the e-mail only if the person opted
into that kind. Bulk-created notifications fire no signal: their sender queues the task itself
(``notifications_send_many`` through :func:`emails_queue`, which queues only for the recipients
who opted in).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django_tasks import task

from notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

# Notification kind -> the preference field that opts into its e-mail.
EMAIL_PREFERENCE = {
    "badge": "email_badge",
    "kudos": "email_kudos",
    "correction.reviewed": "email_review",
    "assignment.due": "email_assignment",
    "week.starting": "email_week",
}


def notification_created(sender, instance, created, **kwargs) -> None:
    """post_save handler: after commit, queue the e-mail (the task checks the opt-in)."""
    if created and instance.kind in EMAIL_PREFERENCE:
        notification_id = instance.pk
        transaction.on_commit(lambda: _enqueue(notification_id))


def emails_queue(notifications) -> None:
    """After commit, queue the e-mail of those of ``notifications`` (created in bulk) whose
    recipient opted into their kind: one read of the opt-ins, a task only where one may send
    (it checks the opt-in again when it runs)."""
    wanted = [n for n in notifications if n.kind in EMAIL_PREFERENCE and n.pk is not None]
    if wanted:
        transaction.on_commit(lambda: _enqueue_opted_in(wanted))


def _enqueue_opted_in(notifications) -> None:
    try:
        opted = {
            (user_id, field)
            for field in {EMAIL_PREFERENCE[n.kind] for n in notifications}
            for user_id in NotificationPreference.objects.filter(
                user_id__in={n.user_id for n in notifications}, **{field: True}
            ).values_list("user_id", flat=True)
        }
    except Exception:  # the in-app notifications stand even if e-mail cannot be queued
        logger.exception("Could not read e-mail choices for %s notifications", len(notifications))
        return
    for notification in notifications:
        if (notification.user_id, EMAIL_PREFERENCE[notification.kind]) in opted:
            _enqueue(notification.pk)


def _enqueue(notification_id: int) -> None:
    try:
        notification_email_task.enqueue(notification_id)
    except Exception:  # the in-app notification stands even if e-mail cannot be queued
        logger.exception("Could not queue the e-mail for notification %s", notification_id)


@task()
def notification_email_task(notification_id: int) -> bool:
    """E-mail one notification if its recipient opted into its kind. Returns whether sent."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.is_active:
        return False
    field = EMAIL_PREFERENCE.get(notification.kind)
    preference = NotificationPreference.objects.filter(user=notification.user).first()
    if field is None or preference is None or not getattr(preference, field):
        return False
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    send_mail(
        subject=f"[Apprentice] {notification.message[:80]}",
        message=(
            f"Hello {notification.user.public_name},\n\n{notification.message}\n\n"
            f"{base}{notification.url or '/'}\n\n"
            "You receive this because you asked for it. Change your e-mail choices at "
            f"{base}{reverse('notifications:index')}"
        ),
        from_email=None,
        recipient_list=[notification.user.email],
    )
    return True
