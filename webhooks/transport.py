"""One HTTP POST to an integrator's URL, refusing addresses it must not reach.

The host name is resolved once, every address checked, and the connection made to the
checked address (with the host name kept for the Host header, SNI and certificate checks),
so a DNS answer that changes between the check and the connection cannot slip through.
No redirect is followed, the whole attempt has one deadline, and at most RESPONSE_KEEP_BYTES
of the response are read.

Connections are kept alive between sends, in one pool per (scheme, checked address, port,
host name): a reused connection goes to an address that passed the check, and to the one
this send's resolution chose."""

import ipaddress
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

RESPONSE_KEEP_BYTES = 2048
# Kept-alive connections: at most this many per pool (the worker's threads beyond it open
# one for the send and close it after), and this many pools, the least recently used closed.
POOL_CONNECTIONS = 8
POOLS_KEPT = 128

_pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()
_pools_lock = threading.Lock()
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
        # A 2xx that came after the deadline is a failure (error says so), as a timeout is.
        return self.status_code is not None and 200 <= self.status_code < 300 and not self.error


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
    except UnicodeError as exc:  # IDNA refuses the name (an empty or over-long label): not a gaierror
        raise ConnectionError(f"Could not resolve {host}: it is not a valid host name.") from exc
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

    pool = _pool(parts.scheme, addresses[0], port, host)
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
            timeout=urllib3.Timeout(total=timeout),
            preload_content=False,
            assert_same_host=False,
        )
        reusable = False
        try:
            kept = _read_capped(response, deadline=started + timeout)
            # Kept alive only when the whole response was read in time (a short "ok" always
            # is); a connection with unread bytes is closed (the pool opens a fresh one).
            reusable = response.length_remaining == 0 and time.monotonic() < started + timeout
        finally:
            if not reusable:
                response.close()
            response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        return SendResult(status_code=None, duration_ms=elapsed_ms(), error=_describe(exc, timeout))
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


def _pool(scheme: str, address: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
    """The pool of kept-alive connections to this checked address for this host name."""
    key = (scheme, address, port, host)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None:
            _pools.move_to_end(key)
            return pool
        pool_class = urllib3.HTTPSConnectionPool if scheme == "https" else urllib3.HTTPConnectionPool
        extra = {"server_hostname": host, "assert_hostname": host} if scheme == "https" else {}
        pool = _pools[key] = pool_class(address, port, retries=False, maxsize=POOL_CONNECTIONS, **extra)
        if len(_pools) > POOLS_KEPT:
            _, oldest = _pools.popitem(last=False)
            oldest.close()
        return pool


def pools_close() -> None:
    """Close every kept-alive connection (tests that change what answers on a port)."""
    with _pools_lock:
        while _pools:
            _pools.popitem()[1].close()


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
    # NewConnectionError subclasses urllib3's TimeoutError (ConnectTimeoutError), so it goes first.
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "Could not connect: the connection was refused or the host is unreachable."
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return f"No response within {timeout:g} s."
    if isinstance(exc, urllib3.exceptions.SSLError):
        return f"TLS error: {exc}"[:500]
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return f"The connection broke: {exc}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]
