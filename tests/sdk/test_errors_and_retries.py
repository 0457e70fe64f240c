"""Errors raise a PulseError subclass per code; retries wait for Retry-After on 429, back off on
connection errors and 5xx, and never write a POST twice (its automatic Idempotency-Key).

The server is real throughout. Where a failure must come after the server has done its work
(a response lost on the way back), an httpx transport in this process drops or replaces it."""

import datetime as dt
import time
import uuid

import httpx
import pytest
from pulsehr_sdk import (
    APIConnectionError,
    AuthenticationError,
    InternalError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    Pulse,
    PulseError,
    RateLimitedError,
    UnprocessableEntityError,
)

from .conftest import SdkSite, _stop_servers, start_server


def assert_envelope(error: PulseError, status: int, code: str) -> None:
    assert (error.status, error.code) == (status, code)
    assert error.request_id and error.request_id.startswith("req_")
    assert error.message


def test_a_bad_key_is_an_authentication_error(sdk_site):
    with sdk_site.client(api_key="pk_live_not-a-key") as pulse, pytest.raises(AuthenticationError) as error:
        pulse.employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA")
    assert_envelope(error.value, 401, "unauthenticated")


def test_a_key_without_the_scope_is_permission_denied(sdk_site, live_site):
    with sdk_site.client(api_key=live_site.create_api_key(scopes="read:kudos")) as pulse:
        with pytest.raises(PermissionDeniedError) as error:
            pulse.employees.list().total_count  # noqa: B018 - the property fetches the first page
    assert_envelope(error.value, 403, "permission_denied")


def test_unknown_id_is_not_found(pulse):
    with pytest.raises(NotFoundError) as error:
        pulse.employees.retrieve("emp_01HR3AAAAAAAAAAAAAAAAAAAAA")
    assert_envelope(error.value, 404, "not_found")


def test_schema_failure_is_invalid_request_with_fields(pulse):
    with pytest.raises(InvalidRequestError) as error:
        pulse.employees.create(start_date="2024-01-08", role="Engineer")
    assert_envelope(error.value, 400, "invalid_request")
    assert "full_name" in error.value.fields
    assert "full_name" in str(error.value)


def test_semantic_failure_is_unprocessable_entity(pulse):
    employee = pulse.employees.create(full_name="Grace", start_date=dt.date(2024, 1, 8))
    with pytest.raises(UnprocessableEntityError) as error:
        pulse.leave.create(employee_id=employee.id, kind="vacation", start_date="2026-03-05", end_date="2026-03-02")
    assert_envelope(error.value, 422, "unprocessable_entity")


# --- Retries -----------------------------------------------------------------------------------


class LoseFirstPostResponse(httpx.BaseTransport):
    """Forwards every request to the real server; the first POST's response, once the server has
    answered it, is dropped (`drop`: the connection breaks) or replaced by a 503."""

    def __init__(self, how: str):
        self.how = how
        self.inner = httpx.HTTPTransport()
        self.requests: list[httpx.Request] = []
        self.answered: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = self.inner.handle_request(request)
        response.read()
        self.answered.append(response.status_code)
        if request.method == "POST" and len([r for r in self.requests if r.method == "POST"]) == 1:
            if self.how == "drop":
                raise httpx.RemoteProtocolError("connection dropped after the server answered", request=request)
            return httpx.Response(503, json={"error": {"code": "internal_error", "message": "proxy"}}, request=request)
        return response

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize("how", ["drop", "503"])
def test_a_retried_post_is_written_once(sdk_site, how):
    name = f"Idem {uuid.uuid4().hex[:10]}"
    transport = LoseFirstPostResponse(how)
    with sdk_site.client(http_client=httpx.Client(transport=transport)) as pulse:
        employee = pulse.employees.create(full_name=name, start_date="2024-01-08")

    posts = [r for r in transport.requests if r.method == "POST"]
    assert len(posts) == 2
    assert posts[0].headers["Idempotency-Key"] == posts[1].headers["Idempotency-Key"]
    assert transport.answered[:2] == [201, 201]  # the second is the first one's replay
    with sdk_site.client() as pulse:
        assert [e.id for e in pulse.employees.list(q=name)] == [employee.id]


def test_every_post_gets_its_own_idempotency_key(sdk_site):
    seen: list[httpx.Request] = []
    with sdk_site.client(http_client=httpx.Client(event_hooks={"request": [seen.append]})) as pulse:
        for _ in range(2):
            pulse.employees.create(full_name="Twin", start_date="2024-01-08")
        pulse.employees.create(full_name="Chosen", start_date="2024-01-08", idempotency_key="mine-" + uuid.uuid4().hex)
    keys = [r.headers.get("Idempotency-Key") for r in seen]
    assert all(keys) and len(set(keys)) == 3
    assert keys[2].startswith("mine-")


def test_5xx_is_retried_then_raised(sdk_site):
    calls: list[httpx.Request] = []

    def always_500(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(500, json={"error": {"code": "internal_error", "message": "boom", "request_id": "req_x"}})

    with sdk_site.client(http_client=httpx.Client(transport=httpx.MockTransport(always_500)), max_retries=2) as pulse:
        with pytest.raises(InternalError) as error:
            pulse.employees.list().total_count  # noqa: B018
    assert len(calls) == 3
    assert_envelope(error.value, 500, "internal_error")


def test_connection_errors_are_retried_then_raised():
    port = _closed_port()
    started = time.monotonic()
    with Pulse(api_key="pk_live_x", base_url=f"http://127.0.0.1:{port}/v1", max_retries=2, backoff=0.05) as pulse:
        with pytest.raises(APIConnectionError) as error:
            pulse.employees.retrieve("emp_1")
    assert time.monotonic() - started < 5
    assert error.value.status is None and error.value.code == "connection_error"


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- 429 -------------------------------------------------------------------------------------

LIMIT = 3


@pytest.fixture(scope="module")
def limited_site(live_site):
    server = start_server(live_site, LIMIT, "sdk-limited")
    try:
        yield SdkSite(server=server, key="")
    finally:
        _stop_servers([server])


def _spend_budget(site: SdkSite, key: str) -> float:
    """Spend a fresh key's whole budget within one window; the 429's Retry-After."""
    if 60 - time.time() % 60 < 3:
        time.sleep(60 - time.time() % 60 + 0.2)
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(LIMIT):
        assert httpx.get(f"{site.base_url}/employees?limit=1", headers=headers).status_code == 200
    response = httpx.get(f"{site.base_url}/employees?limit=1", headers=headers)
    assert response.status_code == 429
    return float(response.headers["Retry-After"])


def test_429_longer_than_max_retry_after_raises_at_once(limited_site, live_site):
    """The server's Retry-After is the rest of its one-minute window (1 to 60 s, depending on the
    clock): a client allowed to wait less than that raises at once, with the server's figure.
    Waiting out a Retry-After is tested below with a 429 of one second."""
    key = live_site.create_api_key()
    retry_after = _spend_budget(limited_site, key)
    started = time.monotonic()
    with limited_site.client(api_key=key, max_retries=1, max_retry_after=0) as pulse:
        with pytest.raises(RateLimitedError) as error:
            pulse.employees.list(limit=1).total_count  # noqa: B018
    assert time.monotonic() - started < 2
    assert_envelope(error.value, 429, "rate_limited")
    assert 0 < error.value.retry_after <= 60
    assert abs(error.value.retry_after - retry_after) <= 2


def _total_count(site: SdkSite) -> int:
    """The employees the site's key sees, asked without the SDK."""
    response = httpx.get(f"{site.base_url}/employees?limit=1", headers={"Authorization": f"Bearer {site.key}"})
    assert response.status_code == 200
    return response.json()["total_count"]


def test_429_retry_after_is_honoured_before_retrying(sdk_site):
    """The first answer is a 429 asking for one second (made here: the server's own windows are a
    minute long); the retry then goes to the live server."""
    inner = httpx.HTTPTransport()
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        if len(sent) == 1:
            body = {"error": {"code": "rate_limited", "message": "slow down", "request_id": "req_1"}}
            return httpx.Response(429, headers={"Retry-After": "1"}, json=body)
        response = inner.handle_request(request)
        response.read()
        return response

    with sdk_site.client(http_client=httpx.Client(transport=httpx.MockTransport(handler))) as pulse:
        assert pulse.employees.list(limit=1).total_count == _total_count(sdk_site)
    assert len(sent) == 2
    assert sent[1] - sent[0] >= 1.0
