from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.person_cache import HEADER_KEYS
        from home import page_cache, signals
        from home.context_processors import LINE_MANAGERS_KEY, line_managers_clear

        # The header's "My team" link reads a cached set of line managers (with the viewer's
        # user, in one round trip).
        HEADER_KEYS.append(lambda pk: LINE_MANAGERS_KEY)
        for signal in (post_save, post_delete):
            signal.connect(
                line_managers_clear, sender="accounts.Team", dispatch_uid="home.line_managers"
            )
        # xAPI statements and notifications for other apps' learning events.
        for label, handler in signals.HANDLERS:
            post_save.connect(
                handler, sender=label, dispatch_uid=f"home.{handler.__name__}.{label}"
            )
        # Remembered page routes are forgotten when pages, sites or view restrictions change.
        page_cache.connect()
