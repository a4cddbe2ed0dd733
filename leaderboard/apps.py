from django.apps import AppConfig


class LeaderboardConfig(AppConfig):
    name = "leaderboard"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from leaderboard.signals import close_sockets_on_logout

        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="leaderboard_logout")
