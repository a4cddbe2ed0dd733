from django.apps import AppConfig


class LeaderboardConfig(AppConfig):
    name = "leaderboard"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from accounts.signals import public_identity_changed
        from leaderboard.signals import announce_public_identity, close_sockets_on_logout

        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="leaderboard_logout")
        public_identity_changed.connect(
            announce_public_identity, dispatch_uid="leaderboard_public_identity"
        )
