"""With single sign-on configured, onboarding invites people to sign in with the company account,
and their first SSO sign-in lands in the account L&D created (against a real loopback IdP)."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts import roles
from accounts.models import User
from tests.accounts.factories import UserFactory
from tests.accounts.test_sso import PERSON, finish_login, idp, start_login  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/admin/programme/onboarding/"


@pytest.mark.usefixtures("idp")
def test_sso_invitation_links_the_sign_in_page_and_connects_the_imported_account(
    client,
    django_capture_on_commit_callbacks,
):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    csv = f"email,first_name,last_name,team\n{PERSON['email']},Kim,Lee,Claims\n"
    preview = client.post(URL, {"file": SimpleUploadedFile("people.csv", csv.encode())})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            URL, {"confirm": "1", "content": preview.context["content"]}, follow=True
        ).content.decode()
    assert "use your company account" in page and "single sign-on" in page
    [message] = [m for m in mail.outbox if m.to == [PERSON["email"]]]
    assert "company account (single sign-on)" in message.body
    assert "/accounts/login/" in message.body
    assert "Choose your password" not in message.body and "/password/reset/" not in message.body
    imported = User.objects.get(email=PERSON["email"])

    kim = Client()
    response = finish_login(kim, start_login(kim))
    assert response.status_code == 302
    assert int(kim.session["_auth_user_id"]) == imported.pk
    assert User.objects.filter(email__iexact=PERSON["email"]).count() == 1
    assert SocialAccount.objects.get(user=imported).uid == PERSON["sub"]
