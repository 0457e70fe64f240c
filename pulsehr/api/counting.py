"""total_count without a full COUNT(*) on every page.

An exact COUNT over a million rows costs more than serving the page itself, so:
- a result of up to PULSEHR_EXACT_COUNT_LIMIT rows is counted exactly on every request
  (one bounded query: COUNT over a LIMITed subquery);
- a larger result is counted in full once, and that figure is reused from the shared cache
  for PULSEHR_COUNT_CACHE_SECONDS. Its staleness is bounded by that TTL, and only results
  larger than the exact limit are ever stale.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet


def _cache_key(queryset: QuerySet) -> str:
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
    return f"count:{digest}"


def count_rows(queryset: QuerySet) -> int:
    queryset = queryset.order_by()
    key = _cache_key(queryset)
    cached = cache.get(key)
    if cached is not None:
        return cached
    limit = settings.PULSEHR_EXACT_COUNT_LIMIT
    bounded = queryset[: limit + 1].count()
    if bounded <= limit:
        return bounded
    total = queryset.count()
    cache.set(key, total, settings.PULSEHR_COUNT_CACHE_SECONDS)
    return total
