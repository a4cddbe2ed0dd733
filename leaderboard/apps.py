from django.apps import AppConfig


class LeaderboardConfig(AppConfig):
    name = "leaderboard"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_delete, post_save

        from accounts.signals import public_identity_changed
        from leaderboard.models import ScopeSettings
        from leaderboard.scope_list import forget_scopes
        from leaderboard.signals import announce_public_identity, close_sockets_on_logout
        from leaderboard.spotlight import forget_spotlight

        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="leaderboard_logout")
        public_identity_changed.connect(
            announce_public_identity, dispatch_uid="leaderboard_public_identity"
        )
        public_identity_changed.connect(forget_spotlight, dispatch_uid="leaderboard_spotlight")
        for signal in (post_save, post_delete):
            signal.connect(forget_scopes, sender=ScopeSettings, dispatch_uid="leaderboard_scopes")
