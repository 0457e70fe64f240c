"""One HTTP POST to an integrator's URL, refusing addresses it must not reach (addresses.py).

The host name is resolved once, every address checked, and the connection made to the
checked address (with the host name kept for the Host header, SNI and certificate checks),
so a DNS answer that changes between the check and the connection cannot slip through.
No redirect is followed, at most RESPONSE_KEEP_BYTES of the response are read, and the whole
attempt has one wall-clock deadline: the name is resolved with a time limit, and a watchdog
shuts the socket down when the deadline passes, whatever the send is waiting for (a server
that drips its answer a byte at a time cannot hold a worker, nor outlast the delivery's
lease and so be sent the same attempt twice).

Connections are kept alive between sends, in one pool per (scheme, checked address, port,
host name): a reused connection goes to an address that passed the check, and to the one
this send's resolution chose."""

import ipaddress
import logging
import socket
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

from .addresses import address_refusal

RESPONSE_KEEP_BYTES = 2048
# Kept-alive connections: at most this many per pool (the worker's threads beyond it open
# one for the send and close it after), and this many pools, the least recently used closed.
POOL_CONNECTIONS = 8
POOLS_KEPT = 128

_pools: OrderedDict[tuple, urllib3.HTTPConnectionPool] = OrderedDict()
_pools_lock = threading.Lock()
# getaddrinfo has no timeout of its own; a lookup that outlives its deadline is abandoned here.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="webhook-dns")
_attempt = threading.local()
USER_AGENT = "PulseHR-Webhooks/1.0 (+https://github.com/pulsehr)"


def loggable_url(url: str) -> str:
    """The URL as logs may show it: scheme, host, port and path. Integrators put tokens in the
    query (and, before that was refused, in user:pass@), and logs travel further than the
    database, so those parts and the fragment are dropped."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    if not parts.scheme or not host:
        return url.split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc = f"{netloc}:{port}"
    return f"{parts.scheme}://{netloc}{parts.path}"


class _LoggableUrls(logging.Filter):
    """urllib3 logs each request's target, query included, at DEBUG ("POST /hook?token=… HTTP/1.1"):
    a worker run at LOG_LEVEL=DEBUG would write integrators' tokens to its logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                loggable_url(arg) if isinstance(arg, str) and (arg.startswith("/") or "://" in arg) else arg
                for arg in record.args
            )
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_LoggableUrls())


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


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]  # a literal needs no lookup
    except ValueError:
        pass
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=max(timeout, 0.001))
    except TimeoutError as exc:
        raise ConnectionError(f"Could not resolve {host} within {timeout:g} s.") from exc
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


class _Watchdog:
    """Shuts down the socket of the attempt running on this thread once its deadline passes."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self._lock = threading.Lock()
        self._socket = None
        self._done = False
        self.fired = False

    def __enter__(self):
        _attempt.watchdog = self
        _reaper.add(self)
        return self

    def __exit__(self, *exc_info):
        # Under the lock: once this returns, the reaper cannot touch the socket, which may go
        # back to the pool and serve another send.
        with self._lock:
            self._done = True
        _reaper.discard(self)
        _attempt.watchdog = None

    def watch(self, sock) -> None:
        with self._lock:
            self._socket = sock

    def fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            if self._socket is not None:
                try:
                    self._socket.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Reaper:
    """One thread a process fires the watchdogs whose deadline has passed (a timer thread a
    send would cost more than the send)."""

    TICK_SECONDS = 0.05

    def __init__(self):
        self._lock = threading.Lock()
        self._watchdogs: set[_Watchdog] = set()
        self._thread: threading.Thread | None = None

    def add(self, watchdog: _Watchdog) -> None:
        with self._lock:
            self._watchdogs.add(watchdog)
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="webhook-deadlines", daemon=True)
                self._thread.start()

    def discard(self, watchdog: _Watchdog) -> None:
        with self._lock:
            self._watchdogs.discard(watchdog)

    def _run(self) -> None:
        while True:
            time.sleep(self.TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                due = [watchdog for watchdog in self._watchdogs if watchdog.deadline <= now]
            for watchdog in due:
                watchdog.fire()


_reaper = _Reaper()


class _WatchedConnectionMixin:
    """Hands each socket an attempt uses to that attempt's watchdog: a new one as soon as it
    is connected (before a TLS handshake), a kept-alive one when a request goes out on it."""

    def _new_conn(self):
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def request(self, *args, **kwargs):
        if self.sock is not None:
            _watch(self.sock)
        return super().request(*args, **kwargs)


def _watch(sock) -> None:
    watchdog = getattr(_attempt, "watchdog", None)
    if watchdog is not None:
        watchdog.watch(sock)


class _HTTPConnection(_WatchedConnectionMixin, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnectionMixin, urllib3.connection.HTTPSConnection):
    pass


def post(url: str, body: bytes, headers: dict[str, str]) -> SendResult:
    timeout = settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    deadline = started + timeout

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    def failed(error: str) -> SendResult:
        return SendResult(status_code=None, duration_ms=elapsed_ms(), error=error)

    parts = urlsplit(url)
    if parts.scheme == "http" and not settings.PULSEHR_WEBHOOK_ALLOW_HTTP:
        # The URL was accepted while http was allowed; it no longer is.
        return failed("Refused to send over plain http: this server accepts https endpoints only.")
    host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = _resolve(host, port, timeout)
        if not settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS:
            for address in addresses:
                refusal = address_refusal(address)
                if refusal:
                    raise RefusedAddress(f"Refused to send to {host}: it {refusal}.")
    except (RefusedAddress, ConnectionError) as exc:
        return failed(str(exc))

    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    headers = {**headers, "Host": parts.netloc, "User-Agent": USER_AGENT}
    with _Watchdog(deadline) as watchdog:
        try:
            response = _open(parts.scheme, addresses, port, host, path, body, headers, deadline)
            reusable = False
            try:
                kept = _read_capped(response, deadline=deadline)
                # Kept alive only when the whole response was read in time (a short "ok" always
                # is); a connection with unread bytes is closed (the pool opens a fresh one).
                reusable = response.length_remaining == 0 and time.monotonic() < deadline and not watchdog.fired
            finally:
                if not reusable:
                    response.close()
                response.release_conn()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            return failed(f"No response within {timeout:g} s." if watchdog.fired else _describe(exc, timeout))
    duration = elapsed_ms()
    if duration > timeout * 1000 or watchdog.fired:
        return SendResult(
            status_code=response.status,
            duration_ms=duration,
            response_body=kept,
            error=f"The response took longer than {timeout:g} s.",
        )
    retry_after = response.headers.get("Retry-After") if response.status in (429, 503) else None
    return SendResult(
        status_code=response.status,
        duration_ms=duration,
        response_body=kept,
        retry_after=_retry_after_seconds(retry_after),
    )


def _open(scheme, addresses, port, host, path, body, headers, deadline):
    """POST to the first of the checked addresses that accepts a connection (a name may
    resolve to an IPv6 address this machine cannot reach before an IPv4 one it can)."""
    for index, address in enumerate(addresses):
        try:
            return _pool(scheme, address, port, host).urlopen(
                "POST",
                path,
                body=body,
                headers=headers,
                redirect=False,
                retries=False,
                timeout=urllib3.Timeout(total=max(deadline - time.monotonic(), 0.001)),
                preload_content=False,
                assert_same_host=False,
            )
        except urllib3.exceptions.NewConnectionError:
            if index == len(addresses) - 1 or time.monotonic() >= deadline:
                raise


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
        pool.ConnectionCls = _HTTPSConnection if scheme == "https" else _HTTPConnection
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
