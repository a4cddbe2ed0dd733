"""Two-factor authentication: TOTP (code computed here with allauth's own HOTP functions) and
recovery codes."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def password_login(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.fixture
def totp_user(client, settings):
    """A user who turned on TOTP through the pages; returns (user, secret)."""
    # One step of tolerance so a code computed just before a 30 s boundary still counts.
    settings.MFA_TOTP_TOLERANCE = 1
    user = UserFactory(email="ana@example.com")
    assert password_login(client, user.email).status_code == 302
    # Turning on 2FA asks for the password again, as a sensitive change should.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == 200
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="form card"' in html and 'id="authenticator_secret"' in html
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert 'role="alert"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))
    return user, secret


def test_mfa_pages_render_in_the_site_layout(client):
    user = UserFactory()
    password_login(client, user.email)
    html = client.get(reverse("mfa_index")).content.decode()
    assert 'class="skip-link"' in html
    assert "Authenticator App" in html


def test_sign_in_with_totp_needs_the_current_code(totp_user):
    user, secret = totp_user
    client = Client()
    response = password_login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_recovery_codes_sign_in_once_each(totp_user):
    user, _ = totp_user
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(authenticator).get_unused_codes()[0]

    client = Client()
    password_login(client, user.email)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code in (200, 302)  # may ask to re-authenticate first

    again = Client()
    password_login(again, user.email)
    response = again.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in again.session
