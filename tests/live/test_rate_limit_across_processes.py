"""The per-key limit is one budget shared by every server process: two gunicorn processes count
into one store (the SQLite file under PULSEHR_DATA_DIR, or Redis with REDIS_URL)."""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import requests

pytestmark = pytest.mark.slow

LIMIT = 6
ISO_UTC_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


@pytest.fixture(scope="module")
def servers(live_servers):
    return live_servers(LIMIT)


@pytest.fixture
def new_key(live_site):
    """Every test spends a budget of its own, so no test sees another's counts."""
    return live_site.create_api_key


def get(server, secret):
    return requests.get(f"{server.url}/v1/employees?limit=1", headers={"Authorization": f"Bearer {secret}"}, timeout=30)


def spend_alternating(servers, secret, count):
    """`count` requests, alternating A, B, A, …"""
    return [get(servers.servers[i % 2], secret) for i in range(count)]


def reset_epoch(response) -> int:
    raw = response.headers["X-RateLimit-Reset"]
    assert ISO_UTC_SECOND.match(raw), raw
    return int(datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())


def test_the_first_n_requests_succeed_with_remaining_counting_down_across_both_processes(
    servers, new_key, fresh_window
):
    secret = new_key()
    fresh_window()
    responses = spend_alternating(servers, secret, LIMIT)
    assert [r.status_code for r in responses] == [200] * LIMIT, responses[-1].text
    assert [r.headers["X-RateLimit-Limit"] for r in responses] == [str(LIMIT)] * LIMIT
    assert [int(r.headers["X-RateLimit-Remaining"]) for r in responses] == list(range(LIMIT - 1, -1, -1))
    # One clock-aligned window for both processes: the same reset instant, on a minute boundary, ahead of now.
    resets = {reset_epoch(r) for r in responses}
    assert len(resets) == 1
    (reset,) = resets
    assert reset % 60 == 0
    assert time.time() < reset <= time.time() + 60


def test_429_once_the_limit_is_spent_across_both_processes(servers, new_key, fresh_window):
    secret = new_key()
    fresh_window()
    spent = spend_alternating(servers, secret, LIMIT)
    assert [r.status_code for r in spent] == [200] * LIMIT

    for server in (servers.a, servers.b):
        before = time.time()
        response = get(server, secret)
        after = time.time()
        assert response.status_code == 429, response.text
        error = response.json()["error"]
        assert error["code"] == "rate_limited"
        assert str(LIMIT) in error["message"]
        assert error["request_id"] == response.headers["X-Request-Id"]
        assert response.headers["X-RateLimit-Limit"] == str(LIMIT)
        assert response.headers["X-RateLimit-Remaining"] == "0"

        retry_after = response.headers["Retry-After"]
        assert retry_after.isdigit(), retry_after
        retry_after = int(retry_after)
        assert 1 <= retry_after <= 60
        reset = reset_epoch(response)
        assert reset == reset_epoch(spent[0])
        assert reset > after
        # The server computed Retry-After as reset − now, at some instant between before and after.
        assert reset - after <= retry_after <= reset - before + 1


def test_a_different_key_is_unaffected(servers, new_key, fresh_window):
    spent_key, other_key = new_key(), new_key()
    fresh_window()
    assert [r.status_code for r in spend_alternating(servers, spent_key, LIMIT + 1)] == [200] * LIMIT + [429]

    first, second = get(servers.a, other_key), get(servers.b, other_key)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["X-RateLimit-Remaining"] == str(LIMIT - 1)
    assert second.headers["X-RateLimit-Remaining"] == str(LIMIT - 2)
    assert get(servers.b, spent_key).status_code == 429


def test_concurrent_bursts_at_both_processes_never_let_more_than_n_through(servers, new_key, fresh_window):
    secret = new_key()
    requests_total = 4 * LIMIT
    start = threading.Barrier(requests_total)

    def fire(index):
        start.wait(timeout=30)
        return get(servers.servers[index % 2], secret)

    fresh_window()
    with ThreadPoolExecutor(max_workers=requests_total) as pool:
        responses = list(pool.map(fire, range(requests_total)))

    assert Counter(r.status_code for r in responses) == {200: LIMIT, 429: requests_total - LIMIT}
    # Each success took a distinct slot of the budget.
    remaining = sorted(int(r.headers["X-RateLimit-Remaining"]) for r in responses if r.status_code == 200)
    assert remaining == list(range(LIMIT))
    assert all(r.json()["error"]["code"] == "rate_limited" for r in responses if r.status_code == 429)
    assert (get(servers.a, secret).status_code, get(servers.b, secret).status_code) == (429, 429)
