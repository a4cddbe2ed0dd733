"""E-mail sign-up, verification, sign-in, password reset and their bad inputs (over HTTP)."""

from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import link_in_last_email
from tests.accounts.factories import PASSWORD, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orbit-lantern-42"


def signup(client, email: str, team=None, display_name: str = "Ana"):
    data = {
        "email": email,
        "display_name": display_name,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    if team is not None:
        data["team"] = team.pk
    return client.post(reverse("account_signup"), data)


def test_sign_in_and_sign_up_pages_use_the_site_layout_and_labelled_fields(client):
    TeamFactory(name="Claims")
    pages = {"account_login": "login", "account_signup": "email", "account_reset_password": "email"}
    for name, field in pages.items():
        response = client.get(reverse(name))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="skip-link"' in html  # the site's base.html
        assert 'class="form card"' in html
        assert f'<label for="id_{field}">' in html
    signup_html = client.get(reverse("account_signup")).content.decode()
    assert '<select name="team"' in signup_html and "Claims" in signup_html
    assert 'aria-describedby="id_display_name_helptext"' in signup_html
    assert 'id="id_display_name_helptext"' in signup_html


def test_sign_up_with_a_team_creates_the_user_in_that_team(client):
    team = TeamFactory()
    response = signup(client, "ana@example.com", team=team)
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.com")
    assert user.display_name == "Ana"
    assert user.current_team == team
    # Optional verification (dev/test default): signed in straight away, e-mail still sent.
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert any("ana@example.com" in m.to for m in mail.outbox)


def test_team_is_required_once_teams_exist(client):
    TeamFactory()
    response = signup(client, "ana@example.com")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_mandatory_verification_blocks_sign_in_until_the_link_is_opened(
    client, mandatory_verification
):
    team = TeamFactory()
    response = signup(client, "ana@example.com", team=team)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "Verify" in client.get(response["Location"]).content.decode()

    # Signing in before verifying: told to verify, not signed in.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "ana@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = link_in_last_email("ana@example.com")
    confirm_path = urlsplit(link).path
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ana@example.com").verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "ANA@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == User.objects.get().pk


def test_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="ana@example.com")
    response = client.post(
        reverse("account_login"), {"login": "ana@example.com", "password": "not-it"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "The email address and/or password you specified are not correct." in html
    assert "_auth_user_id" not in client.session


def test_disallowed_domain_is_refused_and_nothing_is_created(client, settings):
    settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS = ["apprentice.example"]
    team = TeamFactory()
    response = signup(client, "ana@gmail.com", team=team)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sign-up is limited to company e-mail addresses (apprentice.example)" in html
    assert "“gmail.com” is not one of them." in html
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()

    assert signup(client, "ana@Apprentice.Example", team=team).status_code == 302
    assert User.objects.filter(email="ana@apprentice.example").exists()


def test_same_email_in_another_case_is_refused_with_a_message(client):
    existing = UserFactory(email="ana@example.com")
    response = signup(client, "ANA@Example.COM", team=TeamFactory())
    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert list(User.objects.all()) == [existing]


def test_same_email_in_another_case_with_mandatory_verification_tells_only_the_owner(
    client, mandatory_verification
):
    # With verification mandatory allauth prevents enumeration: the page reads like any
    # sign-up, and the message goes to the mailbox's owner instead.
    existing = UserFactory(email="ana@example.com")
    mail.outbox.clear()
    response = signup(client, "ANA@Example.COM", team=TeamFactory())
    assert response.status_code == 302
    assert list(User.objects.all()) == [existing]
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["ana@example.com"]
    assert "already" in message.body.lower()


def test_closed_sign_up_says_so_and_creates_nothing(client, settings):
    settings.ACCOUNT_SIGNUP_MODE = "closed"
    response = signup(client, "ana@example.com")
    assert "Sign-up is closed" in response.content.decode()
    assert not User.objects.exists()


def test_password_reset_by_e_mailed_link(client):
    UserFactory(email="ana@example.com")
    response = client.post(reverse("account_reset_password"), {"email": "Ana@example.com"})
    assert response.status_code == 302
    link = link_in_last_email("ana@example.com")
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # allauth moves the key out of the URL
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get().check_password(NEW_PASSWORD)
    assert client.login(username="ana@example.com", password=NEW_PASSWORD)
    assert not client.login(username="ana@example.com", password=PASSWORD)


def test_sign_out_needs_a_post_with_csrf(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert "_auth_user_id" in client.session
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_rate_limited(client):
    UserFactory(email="ana@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ana@example.com", "password": "wrong"})
    # Even the right password is refused while the limit holds (5 failures per 5 minutes).
    response = client.post(
        reverse("account_login"), {"login": "ana@example.com", "password": PASSWORD}
    )
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_failure_while_saving_sign_up_leaves_nothing_behind(client, monkeypatch):
    team = TeamFactory()

    def broken_membership_set(**kwargs):
        raise RuntimeError("the database went away")

    # Fail the last write of a sign-up (the team), after the user row was inserted.
    monkeypatch.setattr("accounts.forms.membership_set", broken_membership_set)
    client.raise_request_exception = False
    response = signup(client, "ana@example.com", team=team)
    assert response.status_code == 500
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "mfa_index",
        "socialaccount_connections",
        "account_logout",
    ],
)
def test_account_management_pages_render_in_the_site_layout(client, name):
    user = UserFactory()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse(name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in html
    assert user.email in html or name != "account_email"
