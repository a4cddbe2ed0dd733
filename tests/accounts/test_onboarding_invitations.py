"""Bulk onboarding invites each new person once, by e-mail, with a link that lets them choose a
password and sign in (issue 13); L&D sees who was invited and can resend on purpose."""

from datetime import datetime, timedelta

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import roles
from accounts.models import User
from tests.accounts.conftest import link_in_last_email
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/programme/onboarding/"
PASSWORD = "plum-orbit-lantern-42"
CSV = (
    "email,first_name,last_name,team\n"
    "nia@example.com,Nia,Okoro,Claims\n"
    "raj@example.com,Raj,Patel,Claims\n"
)


@pytest.fixture
def manager_client(client):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


def import_file(client, text, capture):
    preview = client.post(URL, {"file": SimpleUploadedFile("people.csv", text.encode())})
    assert preview.context["preview"].is_clean
    with capture(execute=True):
        response = client.post(
            URL, {"confirm": "1", "content": preview.context["content"]}, follow=True
        )
    assert response.status_code == 200
    return response.content.decode()


def choose_password(client, link: str):
    """Follow an invitation link as the invitee would and choose a password."""
    landing = client.get(link)
    assert landing.status_code == 302  # allauth moves the key out of the address bar
    form_page = client.get(landing["Location"])
    assert "Choose your password" in form_page.content.decode()
    return client.post(landing["Location"], {"password1": PASSWORD, "password2": PASSWORD})


def test_import_invites_each_new_person_once_and_the_link_signs_them_in(
    manager_client, django_capture_on_commit_callbacks
):
    page = import_file(manager_client, CSV, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["nia@example.com", "raj@example.com"]
    assert "Invitation e-mails are on their way to 2 new people" in page
    assert "nia@example.com" in page and "raj@example.com" in page
    assert "a link to choose a password" in page  # how they sign in
    assert "Invited, not signed in yet (2)" in page
    message = next(m for m in mail.outbox if m.to == ["nia@example.com"])
    assert "Choose your password here" in message.body and "Claims" in message.body

    # A second import of the same people sends nothing.
    sent = len(mail.outbox)
    page = import_file(manager_client, CSV, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent
    assert "Nobody new, so no invitation was sent." in page

    # Nia follows her link, chooses a password, then signs in with it.
    nia = Client()
    link = link_in_last_email("nia@example.com")
    done = choose_password(nia, link)
    assert done.status_code == 302
    assert User.objects.get(email="nia@example.com").has_usable_password()
    signed_in = nia.post(
        reverse("account_login"), {"login": "nia@example.com", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert nia.get(reverse("accounts:profile")).status_code == 200
    assert str(User.objects.get(email="nia@example.com").pk) == nia.session["_auth_user_id"]

    # The link was used: following it again says so clearly, and lets nobody change anything.
    again = Client().get(link, follow=True)
    body = again.content.decode()
    assert "This link no longer works" in body
    assert "has expired or has already been used" in body
    assert 'name="password1"' not in body

    # L&D's list now names only Raj as waiting.
    page = manager_client.get(URL).content.decode()
    assert "Invited, not signed in yet (1)" in page and "raj@example.com" in page


def test_an_expired_link_says_so_and_l_and_d_can_resend(
    manager_client, django_capture_on_commit_callbacks, monkeypatch
):
    import_file(manager_client, CSV, django_capture_on_commit_callbacks)
    link = link_in_last_email("raj@example.com")
    later = datetime.now() + timedelta(days=4)  # past PASSWORD_RESET_TIMEOUT (3 days)
    with monkeypatch.context() as patch:
        patch.setattr(EmailAwarePasswordResetTokenGenerator, "_now", lambda self: later)
        page = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in page and "ask L&amp;D to send your invitation" in page
    assert not User.objects.get(email="raj@example.com").has_usable_password()

    raj = User.objects.get(email="raj@example.com")
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("home_admin:onboarding_resend", args=[raj.pk]), follow=True
        )
    assert "Invitation sent again to raj@example.com." in response.content.decode()
    assert len(mail.outbox) == sent + 1
    fresh = link_in_last_email("raj@example.com")
    assert choose_password(Client(), fresh).status_code == 302


def test_resend_is_refused_for_someone_who_signed_in_and_for_employees(
    manager_client, django_capture_on_commit_callbacks
):
    client = Client()
    import_file(manager_client, CSV, django_capture_on_commit_callbacks)
    nia = User.objects.get(email="nia@example.com")
    nia.set_password(PASSWORD)
    nia.save()
    assert client.login(email="nia@example.com", password=PASSWORD)  # sets last_login
    sent = len(mail.outbox)
    response = manager_client.post(
        reverse("home_admin:onboarding_resend", args=[nia.pk]), follow=True
    )
    assert "has already signed in" in response.content.decode()
    assert len(mail.outbox) == sent

    raj = User.objects.get(email="raj@example.com")
    client.force_login(UserFactory(roles=[roles.EMPLOYEE]))
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("home_admin:onboarding_resend", args=[raj.pk]))
    assert refused.status_code in (302, 403)
    assert len(mail.outbox) == sent
    assert (
        manager_client.get(reverse("home_admin:onboarding_resend", args=[raj.pk])).status_code
        == 405
    )
