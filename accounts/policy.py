"""The company's sign-up policy: which e-mail domains, and whether only invited addresses."""

from django.conf import settings

SIGNUP_OPEN = "open"
SIGNUP_INVITE = "invite"
SIGNUP_CLOSED = "closed"


def signup_mode() -> str:
    return settings.ACCOUNT_SIGNUP_MODE


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


NOT_INVITED_MESSAGE = (
    "Sign-up is by invitation only, and this address has no open invitation. "
    "Ask your L&D team to invite you, then follow the link in the e-mail."
)
