import re

import pytest
from django.core import mail


@pytest.fixture
def mandatory_verification(settings):
    """E-mail verification as in production (dev and test default to optional)."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    return settings


def link_in_last_email(to: str) -> str:
    """The first http(s) link in the newest e-mail sent to ``to``."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)
