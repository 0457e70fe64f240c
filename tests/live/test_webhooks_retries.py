"""Failed sends are retried by the live worker on the schedule (shortened to 1 s, 1 s, 1 s:
four attempts), always as the same delivery, and given up on when the schedule runs out."""

import json

import pytest

from .webhook_stack import Answer, delivery_of, settled, verify_both

pytestmark = pytest.mark.slow

ATTEMPTS = 4  # the first, then one per step of PULSEHR_WEBHOOK_RETRY_SCHEDULE=1,1,1
MIN_GAP = 0.85  # a 1 s wait less its 10% jitter, less a little for clocks


def assert_one_delivery(received, secret):
    """Every request is the same delivery of the same event, each freshly signed."""
    assert len({r.headers["X-Pulse-Delivery"] for r in received}) == 1
    assert all(r.headers["webhook-id"] == r.headers["X-Pulse-Delivery"] for r in received)
    assert len({r.body for r in received}) == 1
    for request in received:
        verify_both(request, secret)
    for earlier, later in zip(received, received[1:], strict=False):
        assert later.at - earlier.at >= MIN_GAP, [r.at for r in received]


def test_500s_are_retried_as_the_same_delivery_until_one_succeeds(hooks):
    endpoint, path = hooks.endpoint(500, 503, 200, events=["employee.created"])
    hooks.employee()

    received = hooks.wait_for(path, 3)
    assert_one_delivery(received, endpoint["secret"])
    event_id = json.loads(received[0].body)["id"]
    event = hooks.wait_event(event_id, settled(endpoint["id"]), what="a successful delivery")
    delivery = delivery_of(event, endpoint["id"])
    assert delivery["id"] == received[0].headers["X-Pulse-Delivery"]
    assert delivery["attempt_count"] == 3 and delivery["last_status_code"] == 200
    assert [(a["number"], a["status_code"], a["succeeded"]) for a in delivery["attempts"]] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert len(hooks.receiver.requests_to(path)) == 3  # nothing after the success


def test_timeouts_are_retried_as_the_same_delivery_until_one_succeeds(hooks):
    # PULSEHR_WEBHOOK_TIMEOUT_SECONDS=2: the first two answers come too late.
    endpoint, path = hooks.endpoint(Answer(delay=3.5), Answer(delay=3.5), 200, events=["employee.created"])
    hooks.employee()

    received = hooks.wait_for(path, 3, timeout=45)
    assert_one_delivery(received, endpoint["secret"])
    event = hooks.wait_event(json.loads(received[0].body)["id"], settled(endpoint["id"]), what="a success")
    delivery = delivery_of(event, endpoint["id"])
    attempts = delivery["attempts"]
    assert [(a["status_code"], a["succeeded"]) for a in attempts] == [(None, False), (None, False), (200, True)], (
        attempts
    )
    for timed_out in attempts[:2]:
        assert timed_out["error"] == "No response within 2 s.", attempts
        assert timed_out["duration_ms"] >= 1900, attempts  # it waited the timeout out
    assert len(hooks.receiver.requests_to(path)) == 3


def test_a_2xx_that_arrives_after_the_deadline_is_a_failed_attempt(hooks):
    # No read waits more than 1.2 s (under the 2 s timeout), but the response takes 2.4 s in all.
    endpoint, path = hooks.endpoint(Answer(drip=1.2), 200, events=["employee.created"])
    hooks.employee()

    received = hooks.wait_for(path, 2, timeout=30)
    assert_one_delivery(received, endpoint["secret"])
    event = hooks.wait_event(json.loads(received[0].body)["id"], settled(endpoint["id"]), what="a success")
    late, on_time = delivery_of(event, endpoint["id"])["attempts"]
    assert late["succeeded"] is False and late["status_code"] == 200
    assert late["error"] == "The response took longer than 2 s."
    assert on_time["succeeded"] is True


def test_a_delivery_that_keeps_failing_is_given_up_at_the_end_of_the_schedule(hooks):
    endpoint, path = hooks.endpoint(500, events=["employee.created"])
    employee = hooks.employee()
    event = hooks.event_of(employee["id"], "employee.created")

    event = hooks.wait_event(event["id"], settled(endpoint["id"], "failed"), what="a failed delivery")
    delivery = delivery_of(event, endpoint["id"])
    assert delivery["attempt_count"] == ATTEMPTS
    assert [(a["number"], a["status_code"], a["succeeded"]) for a in delivery["attempts"]] == [
        (n, 500, False) for n in range(1, ATTEMPTS + 1)
    ]
    assert delivery["failure_reason"] == f"Gave up after {ATTEMPTS} attempts."
    assert delivery["next_attempt_at"] is None and delivery["completed_at"] is not None
    # Failed is final: the receiver got exactly the attempts the log shows, no more.
    received = hooks.receiver.requests_to(path)
    assert len(received) == ATTEMPTS
    assert_one_delivery(received, endpoint["secret"])
    assert received[0].headers["X-Pulse-Delivery"] == delivery["id"]
