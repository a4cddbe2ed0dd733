# Presence rows name their worker and carry its heartbeat (issue 10: sockets at scale).

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0004_presence_near"),
    ]

    operations = [
        migrations.AddField(
            model_name="boardpresence",
            name="worker",
            field=models.CharField(db_index=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="boardpresence",
            name="seen_at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
    ]
