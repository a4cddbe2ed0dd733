"""The profile page (own data only) and Wagtail's user admin with the e-mail user model."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_edits_display_name_and_leaderboard_preference(client):
    team = TeamFactory(name="Claims")
    user = UserFactory(team=team, display_name="Old")
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="Old"' in page and "Claims" in page
    # Help text is tied to its input (Django names the id; the template must match it).
    assert 'aria-describedby="id_display_name_helptext"' in page
    assert 'id="id_display_name_helptext"' in page
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "New <b>name</b>", "first_name": "Ana", "last_name": "Lima"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "New <b>name</b>"
    assert user.show_on_leaderboards is False  # unchecked box
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "New &lt;b&gt;name&lt;/b&gt;" in html
    assert "New <b>name</b>" not in html
    assert "Your profile has been saved." in html


def test_profile_shows_and_changes_only_the_viewers_own_data(client):
    mine = UserFactory(display_name="Mine", team=TeamFactory(name="Alpha"))
    theirs = UserFactory(display_name="Theirs", team=TeamFactory(name="Bravo"))
    client.force_login(mine)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Theirs" not in html and theirs.email not in html and "Bravo" not in html
    # A forged id in the form is ignored: the form is bound to the signed-in user.
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Hacked", "id": theirs.pk, "email": theirs.email},
    )
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.display_name == "Theirs"
    assert mine.display_name == "Hacked" and mine.email != theirs.email


def test_someone_without_a_team_picks_one_on_the_profile_and_then_cannot_switch(client):
    team, other = TeamFactory(name="Claims"), TeamFactory(name="Fraud")
    user = UserFactory(team=False)
    client.force_login(user)
    assert '<select name="team"' in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {"display_name": "Ana", "team": team.pk})
    user = User.objects.get(pk=user.pk)
    assert user.current_team == team
    # Moving is for L&D: the field is gone and a forged value is ignored.
    assert '<select name="team"' not in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {"display_name": "Ana", "team": other.pk})
    assert User.objects.get(pk=user.pk).current_team == team


def test_wagtail_user_admin_creates_and_edits_email_users(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("wagtailusers_users:add")).status_code == 200
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "New.Person@Example.com",
            "first_name": "New",
            "last_name": "Person",
            "display_name": "Newbie",
            "password1": "plum-orbit-lantern-42",
            "password2": "plum-orbit-lantern-42",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email__iexact="new.person@example.com")
    assert user.check_password("plum-orbit-lantern-42")
    assert user.display_name == "Newbie"

    edit_url = reverse("wagtailusers_users:edit", args=[user.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {
            "email": user.email,
            "first_name": "Renamed",
            "last_name": "Person",
            "display_name": "Renamed by admin",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.first_name == "Renamed"
    assert user.display_name == "Renamed by admin"
    assert user.show_on_leaderboards is False
