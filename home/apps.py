from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from home import signals
        from home.notifications import notification_created

        # E-mail for opted-in notifications, queued after the notification's transaction.
        post_save.connect(
            notification_created,
            sender="leaderboard.Notification",
            dispatch_uid="home.notification_email",
        )
        # xAPI statements and notifications for other apps' learning events.
        for label, handler in signals.HANDLERS:
            post_save.connect(
                handler, sender=label, dispatch_uid=f"home.{handler.__name__}.{label}"
            )
