"""One HTTP POST to an integrator's URL, refusing addresses it must not reach.

The host name is resolved once, every address checked, and the connection made to the
checked address (with the host name kept for the Host header, SNI and certificate checks),
so a DNS answer that changes between the check and the connection cannot slip through.
No redirect is followed, the whole attempt has one deadline, and at most RESPONSE_KEEP_BYTES
of the response are read."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

RESPONSE_KEEP_BYTES = 2048
USER_AGENT = "PulseHR-Webhooks/1.0 (+https://github.com/pulsehr)"


class RefusedAddress(Exception):
    """The URL resolves to an address webhooks may not reach."""


@dataclass(frozen=True)
class SendResult:
    status_code: int | None
    duration_ms: int
    response_body: str = ""
    error: str = ""
    retry_after: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def address_refusal(address: str) -> str | None:
    """Why webhooks may not send to this IP address, or None when it is a public one."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address (cloud metadata lives there)"
    if ip.is_private:
        return f"{ip} is a private address"
    if not ip.is_global or ip.is_multicast:
        return f"{ip} is not a public address"
    return None


def literal_address_refusal(host: str) -> str | None:
    """The same check for a URL whose host is an IP literal or localhost, at validation time."""
    if host.lower() == "localhost" or host.lower().endswith(".localhost"):
        return f"{host} is a loopback address"
    try:
        return address_refusal(host)
    except ValueError:
        return None  # a name: checked when it is resolved at send time


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConnectionError(f"Could not resolve {host}: {exc.strerror}") from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def post(url: str, body: bytes, headers: dict[str, str]) -> SendResult:
    timeout = settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _resolve(host, port)
        if not settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS:
            for address in addresses:
                refusal = address_refusal(address)
                if refusal:
                    raise RefusedAddress(f"Refused to send to {host}: {refusal}.")
    except (RefusedAddress, ConnectionError) as exc:
        return SendResult(status_code=None, duration_ms=elapsed_ms(), error=str(exc))

    address = addresses[0]
    pool_class = urllib3.HTTPSConnectionPool if parts.scheme == "https" else urllib3.HTTPConnectionPool
    extra = {"server_hostname": host, "assert_hostname": host} if parts.scheme == "https" else {}
    pool = pool_class(address, port, timeout=urllib3.Timeout(total=timeout), retries=False, maxsize=1, **extra)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    headers = {**headers, "Host": parts.netloc.rpartition("@")[2], "User-Agent": USER_AGENT}
    if parts.username is not None:  # https://user:pass@host/ → basic auth, as browsers and curl do
        headers.update(urllib3.util.make_headers(basic_auth=f"{parts.username}:{parts.password or ''}"))
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            kept = _read_capped(response, deadline=started + timeout)
        finally:
            response.close()
    except urllib3.exceptions.HTTPError as exc:
        return SendResult(status_code=None, duration_ms=elapsed_ms(), error=_describe(exc, timeout))
    finally:
        pool.close()
    duration = elapsed_ms()
    if duration > timeout * 1000:
        return SendResult(
            status_code=response.status,
            duration_ms=duration,
            response_body=kept,
            error=f"The response took longer than {timeout:g} s.",
        )
    return SendResult(
        status_code=response.status,
        duration_ms=duration,
        response_body=kept,
        retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
    )


def _read_capped(response, *, deadline: float) -> str:
    chunks, size = [], 0
    while size < RESPONSE_KEEP_BYTES and time.monotonic() < deadline:
        chunk = response.read1(RESPONSE_KEEP_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return f"No response within {timeout:g} s."
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "Could not connect: the connection was refused or the host is unreachable."
    if isinstance(exc, urllib3.exceptions.SSLError):
        return f"TLS error: {exc}"[:500]
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return f"The connection broke: {exc}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]
