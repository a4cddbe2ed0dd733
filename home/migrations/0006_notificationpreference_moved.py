"""NotificationPreference now belongs to the notifications app: drop it from this app's state only.

The table ``home_notificationpreference`` and its rows stay
(notifications/migrations/0001_initial.py).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_digest_sent"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NotificationPreference")],
            database_operations=[],
        )
    ]
