"""Writes for notifications: the one place that creates or marks ``Notification`` rows.

Other apps (leaderboard badges and kudos, courses reminders, home's learning events) call these
services; the e-mail for an opted-in kind follows from :mod:`notifications.email`. Every write
gives its people a new header version (``accounts.person_cache``), so the unread count each page
shows from the cache is re-read once the write commits.
"""

from django.utils import timezone

from accounts.models import User
from accounts.person_cache import person_changed
from notifications.models import Notification

MESSAGE_MAX = 300
URL_MAX = 300


def notification_send(
    *, user: User, kind: str, message: str, url: str = "", once: bool = False
) -> Notification | None:
    """Give ``user`` an in-app notification (e-mailed too if they opted into ``kind``).

    With ``once=True`` a notification of this kind with this exact ``url`` is sent at most once
    (make the url name the event, e.g. a module's url with ``#due-2026-12-01``); a repeat
    returns None. Called inside a transaction, the row (and its e-mail) shares its fate.
    """
    if once and Notification.objects.filter(user=user, kind=kind, url=url).exists():
        return None
    notification = Notification.objects.create(
        user=user, kind=kind, message=message[:MESSAGE_MAX], url=url[:URL_MAX]
    )
    person_changed([user.pk])
    return notification


def notification_send_bulk(*, user_ids, kind: str, message: str, url: str) -> list[Notification]:
    """The same notification to many people (e.g. a week starting), once per person and url.

    Bulk-inserted, so no per-row signals fire: the caller queues any e-mail itself.
    """
    user_ids = set(user_ids)
    already = set(
        Notification.objects.filter(kind=kind, url=url, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    rows = [
        Notification(user_id=uid, kind=kind, message=message[:MESSAGE_MAX], url=url[:URL_MAX])
        for uid in sorted(user_ids - already)
    ]
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    person_changed(row.user_id for row in rows)
    return created


def notifications_send_many(items) -> list[Notification]:
    """Several notifications at once (``items``: (user, kind, message, url) each), as
    ``notification_send`` would write them one by one: one INSERT, one new header version for
    all their people, and the e-mail queued after commit (one read of the opt-ins, a task only
    for a recipient who opted into the kind; the task checks again when it runs). For a batch of
    badge grants, where sending them one by one cost a statement, two cache writes and an e-mail
    task each, mostly for people who never opted in."""
    from notifications.email import emails_queue

    rows = [
        Notification(user=user, kind=kind, message=message[:MESSAGE_MAX], url=url[:URL_MAX])
        for user, kind, message, url in items
    ]
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    person_changed(row.user_id for row in created)
    emails_queue(created)
    return created


def notifications_mark_read(*, user: User) -> int:
    """Mark all of ``user``'s notifications read; returns how many were unread."""
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        person_changed([user.pk])
    return marked
