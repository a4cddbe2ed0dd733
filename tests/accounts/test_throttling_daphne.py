"""Sign-in throttling through a real daphne run as in production, with ``--proxy-headers``.

Daphne's ``--proxy-headers`` takes the *left-most* X-Forwarded-For entry as the client, which a
client writes itself when the load balancer appends to the header. The site re-reads the header
from the right (``TRUSTED_PROXY_COUNT=1``), so a guessing client that invents a new address on
every request is still counted as itself, and its colleagues behind the balancer are not.
"""

import re

import httpx
import pytest

from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def asgi_server_options(settings):
    # Set before the server process forks, so it runs with them.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "5/5m/key,3/m/ip",
    }
    # What `daphne --proxy-headers` sets (daphne.cli).
    return {
        "proxy_forwarded_address_header": "X-Forwarded-For",
        "proxy_forwarded_port_header": "X-Forwarded-Port",
        "proxy_forwarded_proto_header": "X-Forwarded-Proto",
    }


def sign_in(server, email, password, *, forwarded_for) -> bool:
    """One browser session signing in through the balancer; True when it is signed in."""
    headers = {"X-Forwarded-For": forwarded_for}
    with httpx.Client(base_url=server.url, headers=headers, follow_redirects=False) as browser:
        page = browser.get("/accounts/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        response = browser.post(
            "/accounts/login/",
            data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        )
    return response.status_code == 302  # to the home page; a refusal re-renders the form


def test_a_guesser_behind_the_balancer_is_counted_as_itself_not_as_its_neighbours(
    asgi_live_server,
):
    users = [UserFactory(email=f"user{i}@example.com") for i in range(4)]
    guesser, colleague = "203.0.113.7", "203.0.113.8"
    for n, user in enumerate(users[:3]):
        # The guesser invents the left-most address each time; the balancer appends the real one.
        forwarded = f"192.0.2.{n}, {guesser}"
        assert not sign_in(asgi_live_server, user.email, "wrong", forwarded_for=forwarded)
    assert not sign_in(
        asgi_live_server, users[3].email, PASSWORD, forwarded_for=f"192.0.2.99, {guesser}"
    )  # the guesser's address has used up its failures
    assert sign_in(asgi_live_server, users[3].email, PASSWORD, forwarded_for=colleague)
