"""Helpers shared by the browser tests."""

from django.conf import settings
from django.test import Client


def signed_in_page(new_page, base_url, user):
    """A new, isolated browser page already signed in as ``user`` on the server at ``base_url``
    (a URL string or a live server whose ``str`` is its URL): the session is made in the
    database and handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": str(base_url),
            }
        ]
    )
    return page
