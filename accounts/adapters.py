"""allauth adapters: who may sign up, with which e-mail addresses, and into which team."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.shortcuts import render

from accounts.models import User
from accounts.policy import (
    NOT_INVITED_MESSAGE,
    SIGNUP_CLOSED,
    SIGNUP_INVITE,
    disallowed_domain_message,
    email_domain_allowed,
    signup_mode,
)
from accounts.selectors import invitation_pending_for_email
from accounts.services import invitation_accept

# Re-exported for callers that imported them from here.
__all__ = [
    "AccountAdapter",
    "SocialAccountAdapter",
    "disallowed_domain_message",
    "email_domain_allowed",
]


class AccountAdapter(DefaultAccountAdapter):
    """Applies the company's sign-up policy (open, invitation-only or closed; allowed domains).

    The invitation check itself is in ``SignupExtraForm.clean`` because ``clean_email`` here also
    runs when a signed-in user adds a second address, which needs no invitation.
    """

    def is_open_for_signup(self, request):
        return signup_mode() != SIGNUP_CLOSED

    def clean_email(self, email):
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            raise forms.ValidationError(disallowed_domain_message(email))
        return email


def _asserted_email(request, sociallogin) -> str:
    """The address the identity provider vouches for.

    allauth drops an address that our ``clean_email`` refuses before asking whether sign-up is
    open, so read it again from the provider's data to be able to say why it was refused.
    """
    email = (sociallogin.user.email or "").strip()
    if email:
        return email
    provider = sociallogin.account.get_provider(request)
    fields = provider.extract_common_fields(sociallogin.account.extra_data)
    return (fields.get("email") or "").strip()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SSO sign-ups follow the same domain and invitation policy as e-mail sign-ups."""

    def is_open_for_signup(self, request, sociallogin):
        email = _asserted_email(request, sociallogin)
        mode = signup_mode()
        if mode == SIGNUP_CLOSED:
            return False
        reason = None
        if email and not email_domain_allowed(email):
            reason = disallowed_domain_message(email)
        elif mode == SIGNUP_INVITE and (
            not email or invitation_pending_for_email(email=email) is None
        ):
            reason = NOT_INVITED_MESSAGE
        if reason is None:
            return True
        if request is None:
            return False
        # allauth's generic "sign-up is closed" page would not say why; this one does.
        raise ImmediateHttpResponse(
            render(request, "accounts/sso_signup_refused.html", {"reason": reason}, status=403)
        )

    def pre_social_login(self, request, sociallogin):
        """Someone L&D onboarded (an account without a company-account link, invited by e-mail
        to sign in with single sign-on) signs in with the company account for the first time:
        connect it to the account L&D made for that address instead of refusing a second one."""
        if sociallogin.is_existing:
            return
        email = _asserted_email(request, sociallogin)
        if not email:
            return
        onboarded = User.objects.filter(
            email__iexact=email, invitation_sent_at__isnull=False, is_active=True
        ).first()
        if onboarded is not None:
            sociallogin.connect(request, onboarded)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        # An invited SSO user lands in the team L&D chose, like an e-mail sign-up.
        invitation = invitation_pending_for_email(email=user.email)
        if invitation is not None:
            invitation_accept(invitation=invitation, user=user)
        return user
