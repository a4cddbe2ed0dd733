"""Sign-up, e-mail verification, sign-in and sign-out in a real Chromium."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "plum-orbit-lantern-42"


def fill_signup(page, *, email: str, team: str | None = None):
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill("Ana from Claims")
    if team:
        page.get_by_label("Team").select_option(label=team)
    # Required fields' labels end in an asterisk (hidden from screen readers).
    page.get_by_label(re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()


def test_sign_up_verify_sign_in_and_sign_out(page, live_server, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    TeamFactory(name="Underwriting")
    team = TeamFactory(name="Claims")

    page.goto(f"{live_server.url}/accounts/signup/")
    fill_signup(page, email="ana@example.com", team="Claims")
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    user = User.objects.get(email="ana@example.com")
    assert user.current_team == team

    # The verification e-mail, read from the test outbox.
    [message] = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Ana from Claims")).to_be_visible()

    header.get_by_role("button", name="Sign out").click()
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()

    header.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(header.get_by_role("link", name="Ana from Claims")).to_be_visible()

    header.get_by_role("button", name="Sign out").click()
    expect(header.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/accounts/profile/"))


def test_disallowed_domain_is_refused_with_its_message(page, live_server, settings):
    settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS = ["apprentice.example"]
    TeamFactory(name="Claims")
    page.goto(f"{live_server.url}/accounts/signup/")
    fill_signup(page, email="ana@gmail.com", team="Claims")
    error = page.get_by_role("alert").filter(has_text="Sign-up is limited")
    expect(error).to_have_text(
        "Sign-up is limited to company e-mail addresses (apprentice.example); "
        "“gmail.com” is not one of them."
    )
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    assert not User.objects.exists()
