"""Sign-in lockouts per account and per real client IP, behind trusted proxies (issue 10, item 6).

Driven through the sign-in page over HTTP; the client's address is the test client's
REMOTE_ADDR (the TCP peer) and the X-Forwarded-For header a load balancer would add.
"""

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory
from django.urls import reverse

from config.proxy import client_address, parse_networks
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed login attempts. Try again later."
OFFICE = "198.51.100.20"  # one public address a whole office shares
BALANCER = "10.0.0.5"  # our load balancer, the TCP peer of every proxied request


def sign_in(client, email, password, *, peer=OFFICE, forwarded_for=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    client.cookies.clear()
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}, **extra
    )
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return response, signed_in


def test_one_accounts_wrong_passwords_do_not_lock_out_colleagues_on_the_same_ip(client):
    ana, ben = UserFactory(email="ana@example.com"), UserFactory(email="ben@example.com")
    for _ in range(12):
        sign_in(client, ana.email, "wrong-password")
    response, signed_in = sign_in(client, ana.email, PASSWORD)
    assert not signed_in and LOCKED in response.content.decode()  # ana's account is locked
    response, signed_in = sign_in(client, ben.email, PASSWORD)
    assert signed_in, response.content.decode()[:2000]  # ben, same IP, is not


def test_guessing_across_accounts_locks_that_ip_only(client):
    """One address trying many accounts is stopped; another address is not."""
    users = [UserFactory(email=f"user{i}@example.com") for i in range(6)]
    for user in users[:5]:
        for _ in range(5):
            sign_in(client, user.email, "wrong-password")
    _, signed_in = sign_in(client, users[5].email, PASSWORD)
    assert not signed_in  # this IP used up its allowance of failures
    _, signed_in = sign_in(client, users[5].email, PASSWORD, peer="198.51.100.99")
    assert signed_in


@pytest.fixture
def behind_balancer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXY_CIDRS = ["10.0.0.0/8"]


def test_clients_behind_the_load_balancer_are_throttled_separately(client, behind_balancer):
    users = [UserFactory(email=f"user{i}@example.com") for i in range(6)]
    guesser, colleague = "203.0.113.7", "203.0.113.8"
    for user in users[:5]:
        for _ in range(5):
            sign_in(client, user.email, "wrong", peer=BALANCER, forwarded_for=guesser)
    _, signed_in = sign_in(client, users[5].email, PASSWORD, peer=BALANCER, forwarded_for=guesser)
    assert not signed_in  # the guessing client is stopped...
    _, signed_in = sign_in(client, users[5].email, PASSWORD, peer=BALANCER, forwarded_for=colleague)
    assert signed_in  # ...its colleague behind the same balancer is not


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(client, behind_balancer):
    users = [UserFactory(email=f"user{i}@example.com") for i in range(6)]
    attacker = "198.51.100.66"  # not our balancer: connects to the site directly
    n = 0
    for user in users[:5]:
        for _ in range(5):
            n += 1  # a fresh invented address on every attempt
            sign_in(client, user.email, "wrong", peer=attacker, forwarded_for=f"192.0.2.{n}")
    _, signed_in = sign_in(
        client, users[5].email, PASSWORD, peer=attacker, forwarded_for="192.0.2.200"
    )
    assert not signed_in  # counted against the attacker's own address all along


def test_a_client_cannot_prepend_an_address_through_the_balancer(client, behind_balancer):
    users = [UserFactory(email=f"user{i}@example.com") for i in range(6)]
    guesser = "203.0.113.7"
    n = 0
    for user in users[:5]:
        for _ in range(5):
            n += 1  # the balancer appends the real address after whatever the client sent
            sign_in(client, user.email, "x", peer=BALANCER, forwarded_for=f"192.0.2.{n}, {guesser}")
    _, signed_in = sign_in(
        client, users[5].email, PASSWORD, peer=BALANCER, forwarded_for=f"192.0.2.99, {guesser}"
    )
    assert not signed_in


def test_allauth_and_the_site_see_the_same_client_address(behind_balancer):
    request = RequestFactory().post(
        "/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7"
    )
    from config.proxy import TrustedProxyMiddleware

    TrustedProxyMiddleware(lambda r: None)(request)
    assert request.META["REMOTE_ADDR"] == "203.0.113.7"
    assert get_adapter().get_client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("peer", "header", "hops", "cidrs", "expected"),
    [
        ("198.51.100.1", "203.0.113.7", 0, [], "198.51.100.1"),  # nothing trusted
        ("10.0.0.5", "192.0.2.1, 203.0.113.7", 1, [], "203.0.113.7"),  # one hop
        ("10.0.0.5", "203.0.113.7, 10.1.1.1", 2, [], "203.0.113.7"),  # two hops
        ("10.0.0.5", "203.0.113.7", 2, [], "10.0.0.5"),  # fewer entries than hops
        ("10.0.0.5", "192.0.2.1, 203.0.113.7, 10.1.1.1", 0, ["10.0.0.0/8"], "203.0.113.7"),
        ("198.51.100.1", "203.0.113.7", 0, ["10.0.0.0/8"], "198.51.100.1"),  # untrusted peer
        ("10.0.0.5", "garbage, 203.0.113.7:4711", 1, [], "203.0.113.7"),  # with a port
        ("10.0.0.5", "203.0.113.7, garbage", 1, [], "10.0.0.5"),  # garbage where we look
        ("10.0.0.5", "2001:db8::1", 0, ["10.0.0.0/8"], "2001:db8::1"),
    ],
)
def test_client_address_reads_the_header_only_as_far_as_trusted(
    peer, header, hops, cidrs, expected
):
    assert (
        client_address(peer, header, hops=hops, networks=parse_networks(tuple(cidrs))) == expected
    )
