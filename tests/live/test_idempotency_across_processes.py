"""An Idempotency-Key holds across server processes: the record lives in the shared database,
so a repeat sent to the other process replays the first response instead of writing twice."""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

pytestmark = pytest.mark.slow

RATE_LIMIT = 1000  # generous: these tests are about idempotency, not the budget


@pytest.fixture(scope="module")
def servers(live_servers):
    return live_servers(RATE_LIMIT)


@pytest.fixture(scope="module")
def secret(live_site):
    return live_site.create_api_key()


@pytest.fixture
def new_employee():
    """A body naming someone no other test creates (and with no email, so a duplicate would not be
    refused as a clash but show up as a second person)."""
    return {"full_name": f"Ada Lovelace {uuid.uuid4().hex}", "start_date": "2024-02-01", "department": "R&D"}


def post(server, secret, body, idempotency_key):
    return requests.post(
        f"{server.url}/v1/employees",
        data=json.dumps(body),
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            "Idempotency-Key": idempotency_key,
        },
        timeout=30,
    )


def people_named(server, secret, body) -> int:
    """How many employees bear this body's (unique) name: total_count of the filtered list."""
    response = requests.get(
        f"{server.url}/v1/employees",
        params={"q": body["full_name"]},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["total_count"]


def test_a_repeat_at_the_other_process_replays_the_first_response_and_creates_nothing(servers, secret, new_employee):
    key = str(uuid.uuid4())
    first = post(servers.a, secret, new_employee, key)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers

    for server in (servers.b, servers.a):
        repeat = post(server, secret, new_employee, key)
        assert repeat.status_code == 201
        assert repeat.headers["Idempotent-Replayed"] == "true"
        assert repeat.content == first.content
        assert repeat.json() == first.json()
        assert repeat.headers["ETag"] == first.headers["ETag"]
        assert repeat.headers["Location"] == first.headers["Location"]
        assert repeat.headers["X-Request-Id"] != first.headers["X-Request-Id"]

    assert people_named(servers.a, secret, new_employee) == people_named(servers.b, secret, new_employee) == 1


def test_the_same_key_with_a_different_body_is_a_409_conflict(servers, secret, new_employee):
    key = str(uuid.uuid4())
    assert post(servers.a, secret, new_employee, key).status_code == 201

    response = post(servers.b, secret, {**new_employee, "department": "Maths"}, key)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["fields"] == ["Idempotency-Key"]
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert "Idempotent-Replayed" not in response.headers
    assert people_named(servers.b, secret, new_employee) == 1


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_identical_requests_at_both_processes_create_exactly_one_employee(
    servers, secret, new_employee, round_
):
    key = str(uuid.uuid4())
    requests_total = 8
    start = threading.Barrier(requests_total)

    def fire(index):
        start.wait(timeout=30)
        return post(servers.servers[index % 2], secret, new_employee, key)

    with ThreadPoolExecutor(max_workers=requests_total) as pool:
        responses = list(pool.map(fire, range(requests_total)))

    created = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
    replayed = [r for r in responses if r.status_code == 201 and r.headers.get("Idempotent-Replayed") == "true"]
    in_flight = [r for r in responses if r.status_code == 409]
    assert len(created) == 1, [(r.status_code, r.text) for r in responses]
    assert len(created) + len(replayed) + len(in_flight) == requests_total, [(r.status_code, r.text) for r in responses]
    assert all(r.content == created[0].content for r in replayed)
    assert all(r.json()["error"]["code"] == "conflict" for r in in_flight)
    assert people_named(servers.a, secret, new_employee) == 1
    # Once the first has finished, every repeat is a replay of it.
    late = post(servers.b, secret, new_employee, key)
    assert late.headers.get("Idempotent-Replayed") == "true"
    assert late.content == created[0].content
