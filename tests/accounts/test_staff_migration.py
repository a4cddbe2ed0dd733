"""Migration 0005 hides staff who never chose, on a database that already has staff."""

import importlib

import pytest
from django.apps import apps

from tests.accounts.factories import UserFactory

migration = importlib.import_module(
    "accounts.migrations.0005_user_leaderboard_choice_invitation_sent"
)


@pytest.mark.django_db
def test_existing_staff_are_hidden_and_employees_and_earlier_choices_kept():
    admin = UserFactory(is_staff=True)
    employee = UserFactory()
    hidden = UserFactory(show_on_leaderboards=False)
    type(admin).objects.filter(pk=admin.pk).update(
        show_on_leaderboards=True, leaderboard_choice_at=None
    )
    migration.staff_hidden_unless_chosen(apps, None)
    for user in (admin, employee, hidden):
        user.refresh_from_db()
    assert admin.show_on_leaderboards is False
    assert employee.show_on_leaderboards is True and employee.leaderboard_choice_at is None
    assert hidden.show_on_leaderboards is False and hidden.leaderboard_choice_at is not None
