"""The request core both clients share: configuration, building a request, the retry policy and
turning a response into data or a PulseError. The clients add only the sending and the sleeping,
one with httpx.Client and time.sleep, the other with httpx.AsyncClient and asyncio.sleep."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from .errors import APIConnectionError, PulseError, error_from_response

__version__ = "0.1.0"

DEFAULT_BASE_URL = "https://api.pulsehr.it/v1"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 2
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

T = TypeVar("T")


@dataclass
class Call(Generic[T]):
    """One API operation: what to send, and how to read a successful answer."""

    method: str
    path: str
    parse: Callable[[Any], T]
    params: dict[str, Any] | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Config:
    api_key: str
    base_url: str
    timeout: float
    max_retries: int
    backoff: float
    max_backoff: float
    max_retry_after: float

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        backoff: float,
        max_backoff: float,
        max_retry_after: float,
    ) -> Config:
        key = api_key or os.environ.get("PULSE_API_KEY")
        if not key:
            raise PulseError("No API key: pass api_key=... or set PULSE_API_KEY.", code="configuration")
        url = base_url or os.environ.get("PULSE_API_BASE") or DEFAULT_BASE_URL
        return cls(key, url.rstrip("/"), timeout, max_retries, backoff, max_backoff, max_retry_after)


def default_headers(config: Config) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {config.api_key}",
        "Accept": "application/json",
        "User-Agent": f"pulsehr-python/{__version__}",
    }


def build_request(http: httpx.Client | httpx.AsyncClient, config: Config, call: Call[Any]) -> httpx.Request:
    """The request, built once and re-sent unchanged by every retry. Every POST carries an
    Idempotency-Key (one the caller gave, or a fresh one), so a retried POST never writes twice."""
    headers = {**default_headers(config), **call.headers}
    if call.method == "POST":
        headers.setdefault("Idempotency-Key", f"pulsehr-python-{uuid.uuid4()}")
    params = {k: _param(v) for k, v in (call.params or {}).items() if v is not None}
    return http.build_request(
        call.method,
        config.base_url + call.path,
        params=params or None,
        json=call.json,
        headers=headers,
        timeout=config.timeout,
    )


def retry_delay(config: Config, attempt: int, response: httpx.Response | None) -> float | None:
    """Seconds to wait before retry number `attempt + 1`, or None to stop: a connection error
    (response None) and a 5xx back off exponentially with jitter; a 429 waits for Retry-After
    (unless it asks for longer than `max_retry_after`, which then raises at once)."""
    if attempt >= config.max_retries:
        return None
    if response is not None and response.status_code not in RETRY_STATUSES:
        return None
    if response is not None and response.status_code == 429:
        retry_after = _retry_after(response)
        if retry_after is not None:
            return retry_after if retry_after <= config.max_retry_after else None
    base: float = min(config.max_backoff, config.backoff * 2.0**attempt)
    return base * (0.5 + random.random() / 2)


@dataclass(frozen=True)
class Response:
    """The HTTP answer a result came in: `result.last_response` on every model and page."""

    #: The HTTP status (200, 201, …).
    status: int
    #: The response headers (case-insensitive).
    headers: httpx.Headers
    #: The X-Request-Id (`req_…`): quote it to support.
    request_id: str | None
    #: What is left of the key's per-minute budget (X-RateLimit-Remaining); None when not sent.
    rate_limit_remaining: int | None
    #: The resource's version as an ETag, where the answer has one: pass it as `if_match`.
    etag: str | None

    @classmethod
    def of(cls, response: httpx.Response) -> Response:
        remaining = response.headers.get("X-RateLimit-Remaining")
        return cls(
            status=response.status_code,
            headers=response.headers,
            request_id=response.headers.get("X-Request-Id"),
            rate_limit_remaining=int(remaining) if remaining and remaining.isdigit() else None,
            etag=response.headers.get("ETag"),
        )


def parse_response(response: httpx.Response, call: Call[T]) -> T:
    if not response.is_success:
        raise error_from_response(response)
    data = response.json() if response.content else None
    result = call.parse(data)
    if hasattr(result, "last_response"):  # models and pages; frozen, so set as dataclasses do
        object.__setattr__(result, "last_response", Response.of(response))
    return result


def connection_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    return APIConnectionError(f"{type(exc).__name__} on {request.method} {request.url}: {exc}")


def if_match_header(if_match: int | str | None) -> dict[str, str]:
    """`If-Match` for a version: 3 and "3" become the ETag `"3"`; an ETag passes as it is."""
    if if_match is None:
        return {}
    value = str(if_match)
    return {"If-Match": f'"{value}"' if value.isdigit() else value}


def _param(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def jsonable(value: Any) -> Any:
    """Keyword arguments as JSON: dates and datetimes become ISO 8601 strings."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.isoformat()
    return value
