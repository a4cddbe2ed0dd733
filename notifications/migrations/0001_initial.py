"""Notification and NotificationPreference move here from leaderboard and home: state only.

The tables stay where they are (``leaderboard_notification``, ``home_notificationpreference``,
named by ``db_table``); on a fresh database the old apps' migrations create them, on an existing
one they already hold the rows. The old apps' next migrations drop the models from their state.
Existing content types (and so permissions) are relabelled to this app rather than left stale.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = [("leaderboard", "notification"), ("home", "notificationpreference")]


def relabel_content_types(apps, schema_editor, to_new=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_label, model in MOVED:
        source, target = (old_label, "notifications") if to_new else ("notifications", old_label)
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def relabel_back(apps, schema_editor):
    relabel_content_types(apps, schema_editor, to_new=False)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables are created by these (and must exist before this state claims them).
        ("leaderboard", "0002_standings_recognition"),
        ("home", "0004_notification_preferences"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("kind", models.CharField(max_length=40)),
                        ("message", models.CharField(max_length=300)),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "leaderboard_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["user", "read_at"], name="leaderboard_user_id_ef3029_idx"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "email_badge",
                            models.BooleanField(default=False, verbose_name="A badge I earn"),
                        ),
                        (
                            "email_kudos",
                            models.BooleanField(default=False, verbose_name="Kudos I receive"),
                        ),
                        (
                            "email_review",
                            models.BooleanField(
                                default=False, verbose_name="My correction is reviewed"
                            ),
                        ),
                        (
                            "email_assignment",
                            models.BooleanField(
                                default=False, verbose_name="A module assigned to me is due soon"
                            ),
                        ),
                        (
                            "email_week",
                            models.BooleanField(
                                default=False, verbose_name="A challenge week starts"
                            ),
                        ),
                        (
                            "email_digest",
                            models.BooleanField(
                                default=False, verbose_name="The weekly insights digest"
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "home_notificationpreference"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_back),
    ]
