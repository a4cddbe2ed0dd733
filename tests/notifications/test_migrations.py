"""The move of Notification and NotificationPreference into this app keeps every row.

Migrates back to before the move (the models in leaderboard and home), writes rows with those
historical models, migrates forward and reads them with the new ones.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("leaderboard", "0008_revoke_wrong_pioneer_badges"), ("home", "0005_digest_sent")]


def _leaves(executor):
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_the_rows():
    executor = MigrationExecutor(connection)
    after = _leaves(executor)
    executor.migrate([*BEFORE, ("notifications", None)])
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    user = User.objects.create(email="kept@example.com", password="!")
    old.get_model("leaderboard", "Notification").objects.create(
        user_id=user.pk, kind="badge", message="Kept across the move"
    )
    old.get_model("home", "NotificationPreference").objects.create(
        user_id=user.pk, email_kudos=True
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    from notifications.models import Notification, NotificationPreference

    assert list(Notification.objects.values_list("user__email", "message")) == [
        ("kept@example.com", "Kept across the move")
    ]
    assert NotificationPreference.objects.get(user__email="kept@example.com").email_kudos
