from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from notifications.email import notification_created
        from notifications.models import Notification

        # E-mail for opted-in notifications, queued after the notification's transaction.
        post_save.connect(
            notification_created, sender=Notification, dispatch_uid="notifications.email"
        )
