"""Enterprise SSO: configured providers appear, unknown ones are explained, and an OpenID
Connect sign-in runs end to end against a real provider on loopback."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from tests.accounts.factories import TeamFactory
from tests.accounts.oidc_provider import OpenIDProvider

pytestmark = pytest.mark.django_db

CLIENT_ID = "apprentice-test"
SECRET = "loopback-secret"
PERSON = {
    "sub": "idp-4711",
    "email": "kim.lee@corp.example",
    "name": "Kim Lee",
    "given_name": "Kim",
    "family_name": "Lee",
}


@pytest.fixture
def idp(settings):
    with OpenIDProvider(client_id=CLIENT_ID, secret=SECRET, person=PERSON) as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            **settings.SOCIALACCOUNT_PROVIDERS,
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "corp",
                        "name": "Corp <Okta>",
                        "client_id": CLIENT_ID,
                        "secret": SECRET,
                        "settings": {"server_url": provider.url},
                    }
                ],
            },
        }
        yield provider


def start_login(client) -> str:
    """POST the "Sign in with" button; returns the provider's authorization URL."""
    response = client.post("/accounts/oidc/corp/login/")
    assert response.status_code == 302, response.content
    return response["Location"]


def finish_login(client, authorize_url: str):
    """Play the browser: visit the provider (real HTTP), then come back with its code."""
    at_provider = httpx.get(authorize_url, follow_redirects=False)
    assert at_provider.status_code == 302
    callback = urlsplit(at_provider.headers["location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_login_page_offers_each_configured_provider_escaped(client, idp):
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Corp &lt;Okta&gt;" in html
    assert 'action="/accounts/oidc/corp/login/?process=login"' in html
    assert "Corp <Okta>" not in html


def test_login_page_has_no_sso_section_without_providers(client):
    assert (
        "Or use your company account" not in client.get(reverse("account_login")).content.decode()
    )


def test_login_redirects_to_the_providers_authorize_url_with_pkce(client, idp):
    url = urlsplit(start_login(client))
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{idp.url}/authorize"
    assert params["client_id"] == CLIENT_ID
    assert params["response_type"] == "code"
    assert params["redirect_uri"] == "http://testserver/accounts/oidc/corp/login/callback/"
    assert set(params["scope"].split()) >= {"openid", "email", "profile"}
    assert params["code_challenge_method"] == "S256"
    assert params["state"]


def test_openid_connect_sign_in_creates_and_signs_in_the_user(client, idp):
    response = finish_login(client, start_login(client))
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="kim.lee@corp.example")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert SocialAccount.objects.get(user=user).uid == "idp-4711"
    assert user.first_name == "Kim"
    # The provider really was asked: discovery, token (with PKCE) and userinfo.
    assert ("POST", "/token") in idp.requests
    assert ("GET", "/userinfo") in idp.requests

    # A second sign-in finds the same account.
    client.logout()
    finish_login(client, start_login(client))
    assert User.objects.count() == 1
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sso_sign_up_from_a_disallowed_domain_is_refused_with_the_reason(client, idp, settings):
    settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS = ["apprentice.example"]
    response = finish_login(client, start_login(client))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Sign-up is limited to company e-mail addresses (apprentice.example)" in html
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_invite_only_sso_needs_an_invitation_and_the_invitation_sets_the_team(
    client, idp, settings
):
    settings.ACCOUNT_SIGNUP_MODE = "invite"
    response = finish_login(client, start_login(client))
    assert response.status_code == 403
    assert "Sign-up is by invitation only" in response.content.decode()
    assert not User.objects.exists()

    team = TeamFactory(name="Claims")
    invitation = Invitation.objects.create(
        email="Kim.Lee@corp.example", team=team, expires_at=timezone.now() + timedelta(days=1)
    )
    response = finish_login(client, start_login(client))
    assert response.status_code == 302
    user = User.objects.get(email="kim.lee@corp.example")
    assert user.current_team == team
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


@pytest.mark.parametrize("path", ["/accounts/oidc/nobody/login/", "/accounts/saml/nobody/login/"])
def test_unknown_sso_provider_gets_a_clear_not_found_page(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Unknown sign-in provider" in html
    assert "There is no company sign-in called “nobody”" in html


def test_unknown_provider_name_is_escaped(client):
    response = client.get("/accounts/oidc/%3Cscript%3E/login/")
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_saml_provider_from_settings_appears_and_its_metadata_is_served(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "saml": {
            "APPS": [
                {
                    "name": "Corp SAML",
                    "provider_id": "corp-saml",
                    "client_id": "corp",
                    "settings": {
                        "idp": {
                            "entity_id": "https://idp.corp.example/saml",
                            "sso_url": "https://idp.corp.example/saml/sso",
                            "x509cert": "MIIBfake",
                        },
                        "attribute_mapping": {"uid": "uid", "email": "email"},
                    },
                }
            ]
        },
    }
    html = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Corp SAML" in html
    assert 'action="/accounts/saml/corp/login/' in html
    # python3-saml wants a real-looking host name in the service provider's URLs.
    metadata = client.get("/accounts/saml/corp/metadata/", HTTP_HOST="apprentice.example.com")
    assert metadata.status_code == 200
    assert b"http://apprentice.example.com/accounts/saml/corp/acs/" in metadata.content
    login = client.post("/accounts/saml/corp/login/", HTTP_HOST="apprentice.example.com")
    assert login.status_code == 302
    assert login["Location"].startswith("https://idp.corp.example/saml/sso?SAMLRequest=")
