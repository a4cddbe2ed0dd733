"""Invitations for people created by bulk onboarding: one e-mail per person saying how to sign in.

Onboarded accounts have no password. Their e-mail carries a set-password link made by allauth's
password-reset token machinery (one use: the token signs the password hash, so it dies once a
password is set; it expires after ``PASSWORD_RESET_TIMEOUT``), or, when single sign-on is
configured, the sign-in page's company-account link. ``onboarding_import`` marks each new person
invited as it creates them, so a re-import never invites anyone again; L&D can resend on purpose
with :func:`onboarding_invitation_resend`. E-mails are queued after commit as background tasks.
"""

import logging

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from config.errors import ApplicationError

logger = logging.getLogger(__name__)

BATCH = 200  # people per queued task
SSO = "sso"
PASSWORD = "password"  # noqa: S105 (a sign-in method, not a secret)


def _absolute(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def sign_in_method() -> str:
    """``"sso"`` when a company identity provider is configured (settings or admin), else
    ``"password"``."""
    try:
        return SSO if get_social_adapter().list_apps(None) else PASSWORD
    except Exception:  # a misconfigured provider must not stop onboarding
        logger.exception("Could not list the single sign-on providers")
        return PASSWORD


def link_days() -> int:
    """How many days a set-password link works."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def sign_in_explained(method: str | None = None) -> str:
    """How invited people sign in, in a sentence for L&D."""
    if (method or sign_in_method()) == SSO:
        return (
            "Their e-mail links to the sign-in page, where they choose “use your company "
            "account” (single sign-on); no password is needed."
        )
    return (
        f"Their e-mail has a link to choose a password (it works once, for {link_days()} days); "
        "then they sign in with their e-mail address and that password. If the link has "
        "expired, resend the invitation below, or they can use “Forgot your password?”."
    )


def set_password_url(user: User) -> str:
    """The one-time link to allauth's set-password page (its password-reset-from-key view)."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return _absolute(path.replace("UID-KEY", key))


def onboarding_invitations_queue(*, user_ids: list[int]) -> None:
    """After commit, queue the invitation e-mails of ``user_ids`` (already marked as invited)."""
    ids = list(user_ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        transaction.on_commit(lambda batch=batch: _enqueue(batch))


def _enqueue(user_ids: list[int]) -> None:
    try:
        onboarding_invitation_task.enqueue(user_ids)
    except Exception:  # the accounts stand; L&D can resend from the onboarding page
        logger.exception("Could not queue onboarding invitations for %s", user_ids)


@transaction.atomic
def onboarding_invitation_resend(*, user: User) -> User:
    """Send ``user`` a fresh invitation, on L&D's explicit request. Refused (ApplicationError)
    for someone who has already signed in or is deactivated."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ApplicationError(f"{user.email} is deactivated; reactivate them first.")
    if user.last_login is not None:
        raise ApplicationError(
            f"{user.email} has already signed in; if they forgot their password they can use "
            "“Forgot your password?” on the sign-in page."
        )
    user.invitation_sent_at = timezone.now()
    user.save(update_fields=["invitation_sent_at"])
    onboarding_invitations_queue(user_ids=[user.pk])
    return user


def onboarding_invited_pending():
    """People invited by onboarding who have not signed in yet, most recently invited first."""
    return User.objects.filter(
        invitation_sent_at__isnull=False, last_login__isnull=True, is_active=True
    ).order_by("-invitation_sent_at", "email")


def onboarding_invitation_send(*, user: User, method: str) -> None:
    """E-mail one person their invitation (the set-password or single sign-on link)."""
    url = _absolute(reverse("account_login")) if method == SSO else set_password_url(user)
    context = {"user": user, "url": url, "sso": method == SSO, "days": link_days()}
    subject = render_to_string("accounts/email/onboarding_subject.txt", context).strip()
    body = render_to_string("accounts/email/onboarding_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])


@task()
def onboarding_invitation_task(user_ids: list[int]) -> int:
    """E-mail the invitations of ``user_ids``; skips anyone who has signed in meanwhile.
    Returns how many were sent."""
    method = sign_in_method()
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True, last_login__isnull=True):
        try:
            onboarding_invitation_send(user=user, method=method)
        except Exception:  # one bad address must not stop the others
            logger.exception("Could not e-mail the onboarding invitation of user %s", user.pk)
            continue
        sent += 1
    return sent
