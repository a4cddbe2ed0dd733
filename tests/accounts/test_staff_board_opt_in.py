"""Admins and L&D staff are hidden from public leaderboards until they opt in (issue 13), by the
same rule as hiding yourself: shown as "Anonymous mentor", still counted in the ranks."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.visibility import STAFF_HIDDEN_HELP
from leaderboard.services import points_award
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def board(client) -> str:
    return client.get("/leaderboard/").content.decode()


def test_a_manager_is_not_on_the_public_board_until_they_opt_in(client):
    team = TeamFactory()
    manager = UserFactory(first_name="Mara", last_name="Manager", team=team)
    manager.groups.add(Group.objects.get(name=roles.LD_MANAGER))  # promoted after joining
    employee = UserFactory(first_name="Eli", last_name="Employee", team=team)
    points_award(user=manager, amount=50, kind="x", source_key="m")
    points_award(user=employee, amount=10, kind="x", source_key="e")
    manager.refresh_from_db()
    assert manager.show_on_leaderboards is False

    client.force_login(employee)
    body = board(client)
    assert "Mara Manager" not in body and "Anonymous mentor" in body
    assert "You are <strong>#2</strong> with <strong>10</strong> points." in body  # still counted
    api = client.get("/api/v1/leaderboard/all/").json()
    assert [row["name"] for row in api["top"]][:2] == ["Anonymous mentor", "Eli Employee"]
    assert client.get(reverse("leaderboard:person", args=[manager.pk])).status_code == 404

    # The manager's profile says why, and lets them opt in.
    client.force_login(manager)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "unless you tick this" in profile and STAFF_HIDDEN_HELP.endswith("unless you tick this.")
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "",
            "first_name": "Mara",
            "last_name": "Manager",
            "show_on_leaderboards": "on",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.show_on_leaderboards and manager.leaderboard_choice_at is not None
    assert "unless you tick this" not in client.get(reverse("accounts:profile")).content.decode()

    client.force_login(employee)
    body = board(client)
    assert "Mara Manager" in body and "Anonymous mentor" not in body
    assert "You are <strong>#2</strong>" in body


def test_staff_default_follows_roles_until_the_person_chooses():
    admin = User.objects.create_superuser(email="root@example.com", password="x-y-z-123456")
    assert admin.show_on_leaderboards is False
    assert User.objects.get(pk=admin.pk).show_on_leaderboards is False

    author = UserFactory()
    assert author.show_on_leaderboards
    author.groups.add(Group.objects.get(name=roles.LD_AUTHOR))
    author.refresh_from_db()
    assert not author.show_on_leaderboards
    author.groups.remove(Group.objects.get(name=roles.LD_AUTHOR))
    author.refresh_from_db()
    assert author.show_on_leaderboards  # back to an employee's default

    # Group-side changes (as Wagtail's group editor makes them) count the same.
    Group.objects.get(name=roles.LD_MANAGER).user_set.add(author)
    author.refresh_from_db()
    assert not author.show_on_leaderboards

    # Someone who chose (here: to stay shown) keeps their choice whatever their roles.
    chooser = UserFactory(roles=[roles.REVIEWER])
    User.objects.filter(pk=chooser.pk).update(leaderboard_choice_at="2026-01-01T00:00Z")
    chooser.groups.add(Group.objects.get(name=roles.LD_MANAGER))
    chooser.refresh_from_db()
    assert chooser.show_on_leaderboards
