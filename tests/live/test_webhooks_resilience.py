"""What goes wrong in production, played out with real processes: a worker that must not reach
private addresses, a worker killed in the middle of a send, Redis down when the write
happens, and two workers racing over the same deliveries."""

import json
import shutil
import time
from pathlib import Path

import pytest
from celery import Celery

from .webhook_stack import Answer, Api, RedisServer, delivery_of, settled, stop, verify_both

pytestmark = pytest.mark.slow


def test_a_worker_that_refuses_private_addresses_sends_nothing_to_loopback(hooks, webhook_stack):
    """The check happens when the worker sends, on the resolved address: the web process
    here allows private URLs (so the endpoints can be created), the worker does not."""
    webhook_stack.stop_worker()
    # Unset: the default, which refuses them.
    strict = webhook_stack.start_worker(name="strict-worker", PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS=None)
    try:
        by_address, address_path = hooks.endpoint(events=["employee.created"])
        by_name, name_path = hooks.endpoint(events=["employee.created"], host="localhost")
        employee = hooks.employee()
        event = hooks.event_of(employee["id"], "employee.created")

        for endpoint, host in ((by_address, "127.0.0.1"), (by_name, "localhost")):
            event = hooks.wait_event(
                event["id"],
                lambda e, endpoint_id=endpoint["id"]: delivery_of(e, endpoint_id)["attempts"],
                what="a first attempt",
            )
            delivery = delivery_of(event, endpoint["id"])
            assert delivery["status"] == "pending", delivery  # to be retried, and refused again
            for attempt in delivery["attempts"]:
                assert attempt["status_code"] is None and attempt["succeeded"] is False
                assert attempt["error"].startswith(f"Refused to send to {host}: "), attempt
                assert "is a loopback address" in attempt["error"], attempt
        # The attempts were made and nothing was sent (hooks deletes the endpoints before the
        # next test's permissive worker could retry them).
        assert hooks.receiver.requests_to(address_path) == []
        assert hooks.receiver.requests_to(name_path) == []
    finally:
        stop([strict])


def test_a_delivery_whose_worker_is_killed_mid_send_is_sent_again_by_a_fresh_worker(hooks, webhook_stack):
    endpoint, path = hooks.endpoint(Answer(hold=True), 200, events=["employee.created"])
    try:
        hooks.employee()
        [held] = hooks.wait_for(path, 1)
        # Within the 2 s timeout, while the send is still waiting for an answer: the whole
        # process group at once (the worker and its embedded beat), as the OOM killer would.
        worker = webhook_stack.worker
        worker.kill_group()
        assert time.time() - held.at < 2, "killed too late: the send had timed out already"
        assert worker.process.returncode == -9

        webhook_stack.ensure_default_worker()
        _, again = hooks.wait_for(path, 2, timeout=45)
    finally:
        hooks.receiver.release(path)
    assert again.headers["X-Pulse-Delivery"] == held.headers["X-Pulse-Delivery"]
    assert again.body == held.body
    verify_both(again, endpoint["secret"])
    # Not before the dead worker's lease (timeout 2 s + margin 3 s) ran out.
    assert again.at - held.at >= 4, again.at - held.at

    event = hooks.wait_event(json.loads(held.body)["id"], settled(endpoint["id"]), what="a success")
    delivery = delivery_of(event, endpoint["id"])
    assert delivery["id"] == held.headers["X-Pulse-Delivery"]
    assert delivery["attempt_count"] == 2
    abandoned, succeeded = delivery["attempts"]
    assert abandoned["number"] == 1 and abandoned["succeeded"] is False and abandoned["status_code"] is None
    assert "the worker holding this delivery stopped" in abandoned["error"]
    assert succeeded["number"] == 2 and succeeded["succeeded"] is True and succeeded["status_code"] == 200
    assert len(hooks.receiver.requests_to(path)) == 2


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on PATH")
def test_an_event_written_while_redis_is_down_is_delivered_once_redis_is_back(hooks, webhook_stack):
    """A web process and a worker on a private Redis (the session's database): Redis dies, a
    write still answers 201 at once (rate limits fail open, the publish fails softly), and the
    event reaches the receiver after Redis comes back, swept from the outbox."""
    redis = RedisServer(webhook_stack.log_dir)
    redis.start()
    # The session's own worker would sweep the delivery through its own broker: not this time.
    webhook_stack.stop_worker()
    web, worker = None, None
    try:
        # Rate limits on, counted in this Redis: with it gone they must fail open.
        web = webhook_stack.start_web("redis-web", rate_limit=1000, REDIS_URL=redis.url)
        worker = webhook_stack.start_worker(name="redis-worker", REDIS_URL=redis.url)
        api = Api(web.url, webhook_stack.api.key)
        endpoint, path = hooks.endpoint(events=["employee.created"], api=api)
        hooks.employee(api=api)
        hooks.wait_for(path, 1)  # with Redis up, the stack delivers

        redis.kill()
        started = time.monotonic()
        employee = hooks.employee(api=api, timeout=15)
        assert time.monotonic() - started < 5, "a write waited on the dead broker"
        event = hooks.event_of(employee["id"], "employee.created")
        delivery = delivery_of(api.get(f"/v1/events/{event['id']}"), endpoint["id"])
        assert delivery["status"] == "pending" and delivery["attempts"] == []
        assert len(hooks.receiver.requests_to(path)) == 1

        redis.start()  # on the same port
        # Well before REQUEUE_AFTER_SECONDS (60 s): the failed publish marked it unqueued.
        _, received = hooks.wait_for(path, 2, timeout=30)
        assert json.loads(received.body)["id"] == event["id"]
        assert received.headers["X-Pulse-Delivery"] == delivery["id"]
        verify_both(received, endpoint["secret"])
        hooks.wait_event(event["id"], settled(endpoint["id"]), what="a success")
    finally:
        stop([p for p in (worker,) if p is not None])
        if web is not None:
            stop([web])
        redis.kill()


def _publisher(env: dict[str, str]) -> Celery:
    """A Celery client on the stack's broker, configured as pulsehr/settings.py configures it."""
    app = Celery("live-test-publisher", set_as_current=False)
    if env.get("REDIS_URL"):
        app.conf.broker_url = env["REDIS_URL"]
    else:
        broker = Path(env["PULSEHR_DATA_DIR"]) / "broker"
        app.conf.broker_url = "filesystem://"
        app.conf.broker_transport = "pulsehr.broker:Transport"
        app.conf.broker_transport_options = {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        }
    return app


def test_two_workers_racing_over_duplicate_messages_send_each_delivery_once(hooks, webhook_stack):
    """A backlog built while no worker runs, each delivery's message sent three more times (as
    a broker redelivery, or a sweep after a half-failed publish, would), then two workers of
    four threads each start on it: every delivery arrives exactly once."""
    webhook_stack.stop_worker()
    endpoint, path = hooks.endpoint(events=["employee.created"])
    employees = [hooks.employee() for _ in range(12)]
    delivery_ids = []
    for employee in employees:
        event = hooks.api.get(f"/v1/events/{hooks.event_of(employee['id'], 'employee.created')['id']}")
        delivery_ids.append(delivery_of(event, endpoint["id"])["id"])
    publisher = _publisher(webhook_stack.env)
    try:
        with publisher.connection_for_write() as connection:
            for _ in range(3):
                for delivery_id in delivery_ids:
                    publisher.send_task("webhooks.tasks.deliver", args=[delivery_id], connection=connection)
    finally:
        publisher.close()

    workers = [
        webhook_stack.start_worker(name="racer-a", wait=False),
        webhook_stack.start_worker(name="racer-b", beat=False, wait=False),
    ]
    try:
        received = hooks.wait_for(path, len(delivery_ids), timeout=60)
        last = employees[-1]["id"]
        hooks.wait_event(
            hooks.event_of(last, "employee.created")["id"], settled(endpoint["id"]), what="the last delivery"
        )
        for delivery_id in delivery_ids:
            event_id = None
            for request in received:
                if request.headers["X-Pulse-Delivery"] == delivery_id:
                    event_id = json.loads(request.body)["id"]
            assert event_id is not None, delivery_id
            delivery = delivery_of(
                hooks.wait_event(event_id, settled(endpoint["id"]), what="a success"), endpoint["id"]
            )
            assert delivery["attempt_count"] == 1 and len(delivery["attempts"]) == 1, delivery
        # Everything settled: no late duplicate can still be on its way.
        sent = [r.headers["X-Pulse-Delivery"] for r in hooks.receiver.requests_to(path)]
        assert sorted(sent) == sorted(delivery_ids)
    finally:
        stop(workers)
