"""In-app notifications and each person's e-mail choices.

Both tables predate this app (they were ``leaderboard.Notification`` and
``home.NotificationPreference``); ``db_table`` keeps their names so moving the models lost no
rows (see migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """A short message for one user (a badge earned, kudos received, a due date)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "leaderboard_notification"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="leaderboard_user_id_ef3029_idx")]

    def __str__(self) -> str:
        return self.message


class NotificationPreference(models.Model):
    """Which notifications a person also wants by e-mail (all off until they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_badge = models.BooleanField("A badge I earn", default=False)
    email_kudos = models.BooleanField("Kudos I receive", default=False)
    email_review = models.BooleanField("My correction is reviewed", default=False)
    email_assignment = models.BooleanField("A module assigned to me is due soon", default=False)
    email_week = models.BooleanField("A challenge week starts", default=False)
    email_digest = models.BooleanField("The weekly insights digest", default=False)

    class Meta:
        db_table = "home_notificationpreference"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"
