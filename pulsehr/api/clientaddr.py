"""The address of the client behind a request, for limits keyed by who is calling.

REMOTE_ADDR is the peer of the socket: the client itself when nothing is in front, the proxy
when one is. Each proxy appends the address it received the request from to X-Forwarded-For,
so with PULSEHR_TRUSTED_PROXIES = n (the proxies in front, compose's Caddy being one), the
client is the address n hops from the right. Entries further left were written by the client
and anyone on the way, and are never trusted. With 0 (the default) the header is ignored:
a client talking to the server directly could otherwise claim any address.

The answer is always an IP address (it is stored, e.g. by django-axes in an inet column): a
value that is not one, or no address at all (a request built in process), gives UNKNOWN."""

import ipaddress

from django.conf import settings

UNKNOWN = "0.0.0.0"


def _ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_address(request) -> str:
    """The calling client's address (`request` is Django's or DRF's)."""
    meta = request.META
    remote = _ip(meta.get("REMOTE_ADDR") or "") or UNKNOWN
    hops = settings.PULSEHR_TRUSTED_PROXIES
    if hops < 1:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        # Fewer entries than proxies: the request did not come through all of them (or the header
        # was stripped); the nearest peer is the best that can be said.
        return (_ip(forwarded[0]) if forwarded else None) or remote
    return _ip(forwarded[-hops]) or remote
