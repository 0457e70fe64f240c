"""Per-key (and, for unauthenticated answers, per-address) per-minute request counters shared
by every server process.

Fixed one-minute windows aligned to the clock, so X-RateLimit-Reset is the same instant
for every process. With REDIS_URL the counters are Redis keys (INCR is atomic across
hosts); without it they live in a small SQLite file next to the data, which every process
on the host shares, kept apart from the main database so counting never waits on it."""

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from pulsehr.stores import ProcessStore

WINDOW_SECONDS = 60
logger = logging.getLogger("pulsehr.api")


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_epoch: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    @property
    def retry_after(self) -> int:
        return max(1, self.reset_epoch - int(time.time()))

    def headers(self) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.reset_epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.remaining)),
            "X-RateLimit-Reset": reset,
        }


# INCR, and on a window's first hit its expiry, in one command and one reply: a pipeline of
# INCR + EXPIRE costs twice the packing and parsing on every API request (the profile showed
# redis-py's own work there), and MULTI/EXEC around it twice that again.
_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisCounter:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self.script = self.client.register_script(_INCREMENT)  # EVALSHA, loading it once if missing
        self.errors = (redis.ConnectionError, redis.TimeoutError)

    def increment(self, bucket: str) -> int | None:
        """None when Redis cannot be reached: requests are then not limited rather than
        refused, so an outage of the counter store does not take the API down with it."""
        try:
            return int(self.script(keys=[bucket], args=[WINDOW_SECONDS * 2]))
        except self.errors:
            logger.warning("Rate-limit store unreachable; this request is not counted.")
            return None


class SQLiteCounter:
    """One connection per process (and per thread); reopened after a fork."""

    def __init__(self, path):
        self.path = str(path)
        self.local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None or getattr(self.local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE IF NOT EXISTS hits (bucket TEXT PRIMARY KEY, window INTEGER, count INTEGER)")
            self.local.conn, self.local.pid = conn, os.getpid()
        return conn

    def increment(self, bucket: str) -> int:
        conn = self._connection()
        window = int(bucket.rsplit(":", 1)[1])
        (count,) = conn.execute(
            "INSERT INTO hits (bucket, window, count) VALUES (?, ?, 1) "
            "ON CONFLICT(bucket) DO UPDATE SET count = count + 1 RETURNING count",
            (bucket, window),
        ).fetchone()
        if count == 1:  # the first hit of a window clears windows that can no longer matter
            conn.execute("DELETE FROM hits WHERE window < ?", (window - WINDOW_SECONDS,))
        return count


_counter = ProcessStore(
    lambda: RedisCounter(settings.REDIS_URL) if settings.REDIS_URL else SQLiteCounter(settings.PULSEHR_RATE_LIMIT_FILE)
)
_get_counter = _counter.get
reset_counter = _counter.reset


def _hit(name: str, limit: int) -> RateLimitState | None:
    if limit <= 0:
        return None
    window = int(time.time()) // WINDOW_SECONDS * WINDOW_SECONDS
    count = _get_counter().increment(f"ratelimit:{name}:{window}")
    if count is None:
        return None
    return RateLimitState(limit=limit, remaining=limit - count, reset_epoch=window + WINDOW_SECONDS)


def hit(key_id: str) -> RateLimitState | None:
    """Count one request for this key. None when rate limiting is off, or its store is down."""
    return _hit(key_id, settings.PULSEHR_RATE_LIMIT)


def hit_unauthenticated(address: str) -> RateLimitState | None:
    """Count one unauthenticated answer (a 401, the catch-all 404) for this client address, under
    PULSEHR_UNAUTHENTICATED_RATE_LIMIT. None when that limit is off, or the store is down."""
    return _hit(f"address:{address}", settings.PULSEHR_UNAUTHENTICATED_RATE_LIMIT)
