"""allauth adapters: who may sign up, and with which e-mail addresses."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings


def email_domain_allowed(email: str) -> bool:
    allowed = settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS
    if not allowed:
        return True
    domain = email.rpartition("@")[2].lower()
    return domain in allowed


def disallowed_domain_message(email: str) -> str:
    domain = email.rpartition("@")[2].lower()
    allowed = ", ".join(settings.ACCOUNT_ALLOWED_EMAIL_DOMAINS)
    return (
        f"Sign-up is limited to company e-mail addresses ({allowed}); "
        f"“{domain}” is not one of them."
    )


class AccountAdapter(DefaultAccountAdapter):
    """Applies the company's sign-up policy (open, invitation-only or closed; allowed domains)."""

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_SIGNUP_MODE != "closed"

    def clean_email(self, email):
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            raise forms.ValidationError(disallowed_domain_message(email))
        return email


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SSO sign-ups follow the same domain policy as e-mail sign-ups."""

    def is_open_for_signup(self, request, sociallogin):
        email = (sociallogin.user.email or "").strip()
        return settings.ACCOUNT_SIGNUP_MODE != "closed" and (
            not email or email_domain_allowed(email)
        )
