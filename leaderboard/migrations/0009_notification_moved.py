"""Notification now belongs to the notifications app: drop it from this app's state only.

The table ``leaderboard_notification`` and its rows stay (notifications/migrations/0001_initial.py).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0008_revoke_wrong_pioneer_badges"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        )
    ]
