"""Where webhooks may be sent: the rules for an endpoint's URL when it is saved, and for the
addresses its host resolves to when it is sent to (transport.py checks each one it connects
to). Loopback, private, link-local (cloud metadata) and other non-public addresses are
refused unless PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS is set; plain http unless
PULSEHR_WEBHOOK_ALLOW_HTTP is."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from .errors import InvalidWebhookUrl, PrivateAddressRefused

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries to (mapped, 6to4, Teredo, NAT64, compatible,
    translated): it must pass the same check, or ::ffff:169.254.169.254 reaches the metadata."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or ip in _IPV4_TRANSLATED or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_refusal(address: str) -> str | None:
    """Why webhooks may not send to this IP address ("is a … address"), or None when it is a
    public one. The address itself is left out of the reason, which integrators see."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64 or ip.is_site_local:
            return "is a private address"
        ip = _embedded_ipv4(ip) or ip
    if ip.is_loopback:
        return "is a loopback address"
    if ip.is_link_local:
        return "is a link-local address (cloud metadata lives there)"
    if ip.is_private:
        return "is a private address"
    if not ip.is_global or ip.is_multicast:
        return "is not a public address"
    return None


def literal_address_refusal(host: str) -> str | None:
    """The same check for a URL whose host is an IP literal or localhost, at validation time."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return "is a loopback address"
    try:
        return address_refusal(host)
    except ValueError:
        return None  # a name: checked when it is resolved at send time


def webhook_url_checked(url: str) -> str:
    """An endpoint's URL, stripped, once it passes the rules; InvalidWebhookUrl or
    PrivateAddressRefused (naming `url`) otherwise."""
    url = url.strip()
    if any(character.isspace() for character in url):
        raise InvalidWebhookUrl("url must not contain spaces; percent-encode them.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidWebhookUrl("url must be an absolute http(s) URL.")
    if parts.username is not None:
        raise InvalidWebhookUrl(
            "url must not carry credentials (user:pass@); put a token in the path or query instead, "
            "and verify the signature."
        )
    if not parts.hostname.isascii():
        raise InvalidWebhookUrl("url's host must be ASCII: use its punycode form (xn--…).")
    if parts.scheme == "http" and not settings.PULSEHR_WEBHOOK_ALLOW_HTTP:
        raise InvalidWebhookUrl("url must use https on this server.")
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError as exc:
        raise InvalidWebhookUrl("url has an invalid port.") from exc
    try:
        parts.hostname.encode("idna")  # what the resolver will be asked: no spaces, empty or over-long labels
    except UnicodeError as exc:
        raise InvalidWebhookUrl(f"url's host {parts.hostname!r} is not a valid host name.") from exc
    if not settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS:
        refusal = literal_address_refusal(parts.hostname)
        if refusal:
            raise PrivateAddressRefused(f"Webhooks cannot be sent to {parts.hostname}: {refusal}.")
    return url
