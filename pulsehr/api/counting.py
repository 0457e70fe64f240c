"""total_count without a full COUNT(*) on every page.

An exact COUNT over a million rows costs more than serving the page itself, so:
- a result of up to PULSEHR_EXACT_COUNT_LIMIT rows is counted exactly on every request
  (one bounded query: COUNT over a LIMITed subquery);
- a larger result is counted in full once, and that figure is reused from the shared cache
  for PULSEHR_COUNT_CACHE_SECONDS. Its staleness is bounded by that TTL, and only results
  larger than the exact limit are ever stale;
- in the last third of that time one request (in any process: a lock in the shared cache)
  counts again while every other keeps answering with the cached figure, so no request waits
  on a full COUNT when it expires. Under load the bench saw every thread of every web process
  miss at once at expiry and run the same COUNT(*) side by side.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

# Counts read from the shared cache, kept in this process until the shared entry expires, so a
# cached count costs no round trip and is never older than PULSEHR_COUNT_CACHE_SECONDS:
# key -> (total, expires_at, whether this process has left the refresh to another request).
_local: dict[str, tuple[int, float, bool]] = {}


def _cache_key(scope: str) -> str:
    return "count:" + hashlib.sha256(scope.encode()).hexdigest()


def forget_local_counts() -> None:
    _local.clear()


def count_rows(queryset: QuerySet, scope: str) -> int:
    """`scope` names the result set (path, tenant and filters): cheaper than compiling the SQL
    to name it, which costs about as much as the page query itself."""
    queryset = queryset.order_by()
    key = _cache_key(scope)
    now = time.time()
    refresh_window = settings.PULSEHR_COUNT_CACHE_SECONDS / 3
    local = _local.get(key)
    if local is not None:
        total, expires_at, refresh_left = local
        if now < expires_at and (refresh_left or now < expires_at - refresh_window):
            return total
    shared = cache.get(key)
    if shared is not None:
        total, expires_at = shared
        if now < expires_at - refresh_window:
            _remember(key, total, expires_at, refresh_left=False)
            return total
        if now < expires_at and not cache.add(f"{key}:refresh", 1, math.ceil(refresh_window)):
            _remember(key, total, expires_at, refresh_left=True)  # another request is counting
            return total
    limit = settings.PULSEHR_EXACT_COUNT_LIMIT
    bounded = queryset[: limit + 1].count()
    if bounded <= limit:
        return bounded
    total = queryset.count()
    expires_at = time.time() + settings.PULSEHR_COUNT_CACHE_SECONDS
    cache.set(key, (total, expires_at), settings.PULSEHR_COUNT_CACHE_SECONDS)
    _remember(key, total, expires_at, refresh_left=False)
    return total


def _remember(key: str, total: int, expires_at: float, *, refresh_left: bool) -> None:
    if len(_local) >= 10_000:
        _local.clear()
    _local[key] = (total, expires_at, refresh_left)
