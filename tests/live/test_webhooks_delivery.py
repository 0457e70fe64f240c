"""Webhooks end to end across real processes: a write through gunicorn records the event, a
Celery worker (threads pool, embedded beat) sends it, and an HTTP server in this process
receives it. Signatures are checked with independent libraries: Stripe's own verifier and
the Standard Webhooks reference implementation."""

import json
import time

import pytest
import stripe
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from .webhook_stack import delivery_of, settled, standard_headers, verify_both

pytestmark = pytest.mark.slow

OTHER_SECRET = "whsec_" + "A" * 43 + "="


def test_a_delivery_is_signed_so_that_stripe_and_standard_webhooks_verify_it(hooks):
    endpoint, path = hooks.endpoint(events=["employee.created"])
    secret = endpoint["secret"]
    employee = hooks.employee()

    [request] = hooks.wait_for(path, 1)
    payload = verify_both(request, secret)

    assert payload == json.loads(request.body)
    assert set(payload) == {"id", "type", "created_at", "data"}
    assert payload["id"].startswith("evt_")
    assert payload["type"] == "employee.created"
    assert payload["data"] == hooks.api.get(f"/v1/employees/{employee['id']}")  # the resource as GET shows it
    headers = request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Pulse-Event"] == "employee.created"
    assert headers["X-Pulse-Delivery"].startswith("del_")
    assert headers["webhook-id"] == headers["X-Pulse-Delivery"]
    assert "PulseHR" in headers["User-Agent"]
    timestamp = int(headers["webhook-timestamp"])
    assert abs(timestamp - time.time()) < 60
    assert headers["X-Pulse-Signature"].startswith(f"t={timestamp},v1=")
    assert headers["X-Pulse-Signature"].count("v1=") == 1 and headers["webhook-signature"].count("v1,") == 1

    # The verifiers are not rubber stamps: another secret, or one changed byte, fails both.
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            request.body.decode(), headers["X-Pulse-Signature"], OTHER_SECRET, tolerance=300
        )
    with pytest.raises(WebhookVerificationError):
        Webhook(OTHER_SECRET).verify(request.body, standard_headers(request))
    tampered = request.body.replace(b"employee.created", b"employee.createD")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(tampered.decode(), headers["X-Pulse-Signature"], secret, tolerance=300)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(tampered, standard_headers(request))

    # The delivery log agrees with what arrived.
    event = hooks.wait_event(payload["id"], settled(endpoint["id"]), what="a successful delivery")
    delivery = delivery_of(event, endpoint["id"])
    assert delivery["id"] == headers["X-Pulse-Delivery"]
    assert delivery["attempt_count"] == 1
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 200 and attempt["succeeded"] is True and attempt["response_body"] == "ok"


def test_an_endpoint_gets_only_the_event_types_it_subscribes_to(hooks):
    created_only, created_path = hooks.endpoint(events=["employee.created"])
    everything, all_path = hooks.endpoint(events=["*"])

    employee = hooks.employee()
    hooks.api.request("PATCH", f"/v1/employees/{employee['id']}", expect=200, json={"department": "Finance"})

    received = hooks.wait_for(all_path, 2)
    assert sorted(r.headers["X-Pulse-Event"] for r in received) == ["employee.created", "employee.updated"]
    assert {json.loads(r.body)["data"]["id"] for r in received} == {employee["id"]}

    created = hooks.event_of(employee["id"], "employee.created")
    updated = hooks.event_of(employee["id"], "employee.updated")
    # Deliveries are made with the event, in its transaction: none for the unsubscribed endpoint
    # means nothing can ever be sent to it.
    updated = hooks.api.get(f"/v1/events/{updated['id']}")
    assert [d["endpoint_id"] for d in updated["deliveries"]] == [everything["id"]]
    created = hooks.wait_event(created["id"], settled(created_only["id"]), what="its delivery to created_only")
    assert {d["endpoint_id"] for d in created["deliveries"]} == {created_only["id"], everything["id"]}
    assert [r.headers["X-Pulse-Event"] for r in hooks.receiver.requests_to(created_path)] == ["employee.created"]


def test_a_replay_sends_the_same_event_under_a_new_delivery_id(hooks):
    endpoint, path = hooks.endpoint(events=["employee.created"])
    hooks.employee()
    [first] = hooks.wait_for(path, 1)
    event_id = json.loads(first.body)["id"]
    hooks.wait_event(event_id, settled(endpoint["id"]), what="its first delivery")

    # No endpoint_id: to every enabled endpoint subscribing to the type now (this test's one).
    replayed = hooks.api.post(f"/v1/events/{event_id}/replay", {}).json()["data"]
    assert [d["endpoint_id"] for d in replayed] == [endpoint["id"]]
    new_delivery_id = replayed[0]["id"]
    assert new_delivery_id.startswith("del_") and new_delivery_id != first.headers["X-Pulse-Delivery"]

    _, second = hooks.wait_for(path, 2)
    assert json.loads(second.body) == json.loads(first.body)  # the same event: id, type, created_at, data
    assert second.headers["X-Pulse-Delivery"] == second.headers["webhook-id"] == new_delivery_id
    verify_both(second, endpoint["secret"])

    event = hooks.wait_event(
        event_id, lambda e: [d["status"] for d in e["deliveries"]] == ["succeeded", "succeeded"], what="two deliveries"
    )
    assert {d["id"] for d in event["deliveries"]} == {first.headers["X-Pulse-Delivery"], new_delivery_id}


def test_after_a_rotation_a_delivery_verifies_with_the_old_and_the_new_secret(hooks):
    endpoint, path = hooks.endpoint(events=["employee.created"])
    old_secret = endpoint["secret"]
    hooks.employee()
    [before] = hooks.wait_for(path, 1)
    verify_both(before, old_secret)
    assert before.headers["X-Pulse-Signature"].count("v1=") == 1

    rotated = hooks.api.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", expect=200).json()
    new_secret = rotated["secret"]
    assert new_secret.startswith("whsec_") and new_secret != old_secret

    hooks.employee()
    _, after = hooks.wait_for(path, 2)
    for secret in (old_secret, new_secret):
        stripe.WebhookSignature.verify_header(
            after.body.decode(), after.headers["X-Pulse-Signature"], secret, tolerance=300
        )
        Webhook(secret).verify(after.body, standard_headers(after))
    assert after.headers["X-Pulse-Signature"].count("v1=") == 2
    assert len(after.headers["webhook-signature"].split(" ")) == 2
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            after.body.decode(), after.headers["X-Pulse-Signature"], OTHER_SECRET, tolerance=300
        )
    with pytest.raises(WebhookVerificationError):
        Webhook(OTHER_SECRET).verify(after.body, standard_headers(after))
