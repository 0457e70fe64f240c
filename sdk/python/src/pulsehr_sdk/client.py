"""`Pulse` and `AsyncPulse`: the same request core (`_core`), sent with httpx."""

from __future__ import annotations

import asyncio
import time
from typing import TypeVar

import httpx

from ._core import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    Call,
    Config,
    build_request,
    connection_error,
    parse_response,
    retry_delay,
)
from .resources import (
    AsyncComments,
    AsyncEmployees,
    AsyncEvents,
    AsyncKudos,
    AsyncLeave,
    AsyncReactions,
    AsyncRooms,
    AsyncScores,
    AsyncStatusLog,
    AsyncThreads,
    AsyncUsers,
    AsyncWebhookEndpoints,
    AsyncWorkloadCheckins,
    Comments,
    Employees,
    Events,
    KudosResource,
    LeaveResource,
    Reactions,
    Rooms,
    Scores,
    StatusLog,
    Threads,
    Users,
    WebhookEndpoints,
    WorkloadCheckins,
)

T = TypeVar("T")


class _Options:
    """The constructor both clients share."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = 60.0,
    ) -> None:
        """`api_key` defaults to $PULSE_API_KEY; `base_url` (ending in /v1) to $PULSE_API_BASE, then to
        https://api.pulsehr.it/v1. Failed requests are retried up to `max_retries` times: connection
        errors and 5xx after `backoff` seconds doubling each time (capped at `max_backoff`, with jitter),
        429 after its Retry-After when that is at most `max_retry_after` seconds."""
        self._config = Config.resolve(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            backoff=backoff,
            max_backoff=max_backoff,
            max_retry_after=max_retry_after,
        )

    @property
    def base_url(self) -> str:
        """The API root requests go to, ending in /v1."""
        return self._config.base_url


class Pulse(_Options):
    """The synchronous client. Use it as a context manager, or call `close()`."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = 60.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(api_key, base_url, timeout=timeout, max_retries=max_retries, backoff=backoff,
                         max_backoff=max_backoff, max_retry_after=max_retry_after)  # fmt: skip
        self._http = http_client or httpx.Client()
        self.employees = Employees(self)
        self.status_log = StatusLog(self)
        self.kudos = KudosResource(self)
        self.workload_checkins = WorkloadCheckins(self)
        self.leave = LeaveResource(self)
        self.webhook_endpoints = WebhookEndpoints(self)
        self.events = Events(self)
        self.scores = Scores(self)
        self.rooms = Rooms(self)
        self.threads = Threads(self)
        self.comments = Comments(self)
        self.reactions = Reactions(self)
        self.users = Users(self)

    def _execute(self, call: Call[T]) -> T:
        request = build_request(self._http, self._config, call)
        attempt = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                delay = retry_delay(self._config, attempt, None)
                if delay is None:
                    raise connection_error(exc, request) from exc
            else:
                delay = retry_delay(self._config, attempt, response)
                if delay is None:
                    response.read()
                    return parse_response(response, call)
                response.close()
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the connections (the client's own httpx.Client, or the one you gave)."""
        self._http.close()

    def __enter__(self) -> Pulse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncPulse(_Options):
    """The asyncio client: the same resources with `await`, and `async for` over lists."""

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        max_retry_after: float = 60.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(api_key, base_url, timeout=timeout, max_retries=max_retries, backoff=backoff,
                         max_backoff=max_backoff, max_retry_after=max_retry_after)  # fmt: skip
        self._http = http_client or httpx.AsyncClient()
        self.employees = AsyncEmployees(self)
        self.status_log = AsyncStatusLog(self)
        self.kudos = AsyncKudos(self)
        self.workload_checkins = AsyncWorkloadCheckins(self)
        self.leave = AsyncLeave(self)
        self.webhook_endpoints = AsyncWebhookEndpoints(self)
        self.events = AsyncEvents(self)
        self.scores = AsyncScores(self)
        self.rooms = AsyncRooms(self)
        self.threads = AsyncThreads(self)
        self.comments = AsyncComments(self)
        self.reactions = AsyncReactions(self)
        self.users = AsyncUsers(self)

    async def _execute(self, call: Call[T]) -> T:
        request = build_request(self._http, self._config, call)
        attempt = 0
        while True:
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                delay = retry_delay(self._config, attempt, None)
                if delay is None:
                    raise connection_error(exc, request) from exc
            else:
                delay = retry_delay(self._config, attempt, response)
                if delay is None:
                    await response.aread()
                    return parse_response(response, call)
                await response.aclose()
            await asyncio.sleep(delay)
            attempt += 1

    async def close(self) -> None:
        """Close the connections (the client's own httpx.AsyncClient, or the one you gave)."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncPulse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
