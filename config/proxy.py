"""The client's real address behind trusted proxies, for the whole site (REMOTE_ADDR).

Behind a load balancer every request arrives from the balancer's address, so per-IP limits
(sign-in lockouts, rate limits) would lump everyone together. Each proxy appends the address it
received the request from to ``X-Forwarded-For``; a client can put anything in front of that, so
the header is read from the right and only as far as the proxies we trust:

- ``TRUSTED_PROXY_CIDRS`` (networks of our proxies): the header is believed only when the TCP
  peer is inside one of them; the client is the right-most address outside them (or, with
  ``TRUSTED_PROXY_COUNT`` also set, the one that many hops from the right).
- ``TRUSTED_PROXY_COUNT`` alone (number of proxies in front of the site): the client is the
  address that many entries from the right. This trusts every peer, so the workers must be
  reachable only through the proxies (bind them to a private interface).
- neither (the default): the header is ignored and the TCP peer is the client.

``TrustedProxyMiddleware`` runs first and rewrites ``REMOTE_ADDR``, so every later reader —
allauth's sign-in limits (``ALLAUTH_TRUSTED_PROXY_COUNT`` stays 0 so allauth does not parse the
header a second time), ``config.ratelimit``, logs — sees the same address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(value: str) -> Address | None:
    """An IP address from a header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``)."""
    value = value.strip().strip('"')
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        pass
    if value.startswith("[") and "]" in value:
        host = value[1 : value.index("]")]
    elif value.count(":") == 1:
        host = value.split(":", 1)[0]
    else:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def parse_networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    """Networks from settings; a malformed entry raises (a configuration mistake, said loudly)."""
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr)


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(
    peer: str, forwarded_for: str, *, hops: int = 0, networks: tuple[Network, ...] = ()
) -> str:
    """The client's address given the TCP ``peer`` and the ``X-Forwarded-For`` header."""
    if not forwarded_for or (hops <= 0 and not networks):
        return peer
    if networks and not _trusted(parse_address(peer), networks):
        return peer  # not from our proxy: whatever the header says was written by the client
    chain = [parse_address(entry) for entry in forwarded_for.split(",")]
    if hops > 0:
        if len(chain) < hops:
            return peer  # did not come through every proxy (e.g. an internal health check)
        chosen = chain[-hops]
        return str(chosen) if chosen is not None else peer
    for address in reversed(chain):
        if address is None:
            return peer  # garbage where our proxy should have written an address
        if not _trusted(address, networks):
            return str(address)
    return str(chain[0])  # every hop is one of ours: the request started inside


def request_client_address(request) -> str:
    """``client_address`` for a Django request, with the settings' trusted proxies."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        hops=settings.TRUSTED_PROXY_COUNT,
        networks=parse_networks(tuple(settings.TRUSTED_PROXY_CIDRS)),
    )


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the real client address (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = request_client_address(request)
        return self.get_response(request)
