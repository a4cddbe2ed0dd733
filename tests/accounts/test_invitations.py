"""Invitation-only sign-up: L&D invites from the Wagtail admin, the link signs the invitee up."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.roles import EMPLOYEE, LD_MANAGER
from accounts.services import invitation_create
from tests.accounts.conftest import link_in_last_email
from tests.accounts.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "plum-orbit-lantern-42"


@pytest.fixture
def invite_only(settings, mandatory_verification):
    settings.ACCOUNT_SIGNUP_MODE = "invite"
    return settings


def signup(client, email: str, **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("account_signup"), data)


def test_inviting_e_mails_a_link_after_commit(django_capture_on_commit_callbacks):
    team = TeamFactory(name="Claims")
    manager = UserFactory(display_name="Maria")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(email="new@example.com", team=team, invited_by=manager)
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert "Maria has invited you" in message.body
    assert "“Claims”" in message.body
    assert f"http://testserver/accounts/invitation/{invitation.token}/" in message.body
    assert invitation.expires_at > timezone.now() + timedelta(days=13)


def test_inviting_again_renews_the_open_invitation_with_a_new_link():
    first = invitation_create(email="new@example.com", team=None, invited_by=None)
    team = TeamFactory()
    second = invitation_create(email="NEW@example.com", team=team, invited_by=None)
    assert Invitation.objects.count() == 1
    assert second.pk == first.pk
    assert second.token != first.token
    assert second.team == team


def test_invitation_refuses_existing_accounts_and_disallowed_domains(settings):
    UserFactory(email="ana@example.com")
    with pytest.raises(ValidationError, match="already has an account"):
        invitation_create(email="ANA@example.com", team=None, invited_by=None)
    settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS = ["apprentice.example"]
    with pytest.raises(ValidationError, match="limited to company e-mail addresses"):
        invitation_create(email="x@gmail.com", team=None, invited_by=None)
    assert not Invitation.objects.exists()


def test_invite_only_refuses_uninvited_addresses_and_creates_nothing(client, invite_only):
    TeamFactory()
    response = signup(client, "stranger@example.com")
    assert response.status_code == 200
    assert "Sign-up is by invitation only" in response.content.decode()
    assert not User.objects.exists()


def test_invitation_link_signs_up_verified_into_the_invited_team(
    client, invite_only, django_capture_on_commit_callbacks
):
    TeamFactory(name="Other")
    team = TeamFactory(name="Claims")
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="new@example.com", team=team, invited_by=None)
    path = urlsplit(link_in_last_email("new@example.com")).path
    response = client.get(path)
    assert response.status_code == 302
    form = client.get(response["Location"]).content.decode()
    assert 'value="new@example.com"' in form  # prefilled

    # The invitation's team wins; no team choice is needed.
    response = signup(client, "new@example.com", display_name="Newbie")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.current_team == team
    # Following the link proved the address, so mandatory verification is already done.
    assert EmailAddress.objects.get(user=user).verified
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user and invitation.accepted_at is not None

    # The link is spent.
    client.logout()
    response = client.get(path)
    assert response.status_code == 404
    assert "This invitation link no longer works" in response.content.decode()


def test_expired_invitation_no_longer_lets_anyone_sign_up(client, invite_only):
    invitation = invitation_create(email="late@example.com", team=None, invited_by=None)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert client.get(f"/accounts/invitation/{invitation.token}/").status_code == 404
    response = signup(client, "late@example.com")
    assert "Sign-up is by invitation only" in response.content.decode()
    assert not User.objects.exists()


def test_manager_invites_from_the_wagtail_admin(client, django_capture_on_commit_callbacks):
    team = TeamFactory(name="Claims")
    manager = UserFactory(roles=[LD_MANAGER])
    client.force_login(manager)
    assert client.get(reverse("invitations:index")).status_code == 200
    assert client.get(reverse("invitations:add")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitations:add"), {"email": "new@example.com", "team": team.pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invited_by == manager and invitation.team == team
    assert mail.outbox[-1].to == ["new@example.com"]

    # The service's refusal shows on the form instead of failing.
    UserFactory(email="ana@example.com")
    response = client.post(reverse("invitations:add"), {"email": "ana@example.com"})
    assert response.status_code == 200
    assert "ana@example.com already has an account." in response.content.decode()


def test_manager_manages_teams_in_the_wagtail_admin(client):
    client.force_login(UserFactory(roles=[LD_MANAGER]))
    response = client.post(
        reverse("teams:add"),
        {"name": "Fraud", "slug": "fraud", "department": "Claims", "is_active": "on"},
    )
    assert response.status_code == 302
    team = TeamFactory._meta.model.objects.get(slug="fraud")
    response = client.post(
        reverse("teams:edit", args=[team.pk]),
        {"name": "Fraud & Abuse", "slug": "fraud", "department": "Claims"},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Fraud & Abuse" and not team.is_active


def test_employees_cannot_reach_team_or_invitation_admin(client):
    client.force_login(UserFactory(roles=[EMPLOYEE]))
    for path in (reverse("teams:index"), reverse("invitations:add")):
        assert client.get(path).status_code in (302, 403)
    assert client.post(reverse("invitations:add"), {"email": "x@example.com"}).status_code in (
        302,
        403,
    )
    assert not Invitation.objects.exists()
