"""pulsehr_sdk.webhooks.verify against signatures made by the server's own signing code, and
against real deliveries sent by a Celery worker."""

import json
import time
import uuid

import pytest
from pulsehr_sdk import Pulse, WebhookVerificationError, webhooks
from pulsehr_sdk.models import EmployeeCreatedEvent, Event, Kudos, KudosAwardedEvent

from webhooks.signing import new_secret, pulse_signature

BODY = json.dumps(
    {"id": "evt_01HR3", "type": "kudos.awarded", "created_at": "2026-04-20T10:12:03Z", "data": {"id": "kud_1"}}
).encode()


def signed(body: bytes = BODY, secrets: list[str] | None = None, at: int | None = None) -> tuple[str, list[str]]:
    secrets = secrets or [new_secret()]
    return pulse_signature(body=body, timestamp=int(time.time()) if at is None else at, secrets=secrets), secrets


def test_a_valid_signature_returns_the_event_typed_by_its_type():
    header, (secret,) = signed()
    event = webhooks.verify(BODY, header, secret)
    assert isinstance(event, KudosAwardedEvent) and isinstance(event, Event)
    assert (event.id, event.type) == ("evt_01HR3", "kudos.awarded")
    assert isinstance(event.data, Kudos) and event.data.id == "kud_1"
    assert webhooks.verify(BODY.decode(), header, secret) == event  # str payloads too
    # The request's headers, in any case, are taken as well as the header's value alone.
    assert webhooks.verify(BODY, {"x-pulse-signature": header, "Content-Type": "application/json"}, secret) == event
    assert webhooks.construct_event(BODY, {"X-Pulse-Signature": header}, secret) == event


def test_an_event_type_the_sdk_does_not_know_is_a_plain_event():
    body = json.dumps({"id": "evt_2", "type": "payroll.closed", "created_at": "2026-04-20T10:12:03Z", "data": {"a": 1}})
    header, (secret,) = signed(body.encode())
    event = webhooks.verify(body, header, secret)
    assert type(event) is Event and event.data == {"a": 1}


def test_either_of_two_v1_values_verifies_after_a_rotation():
    header, (old, new) = signed(secrets=[new_secret(), new_secret()])
    assert header.count("v1=") == 2
    assert webhooks.verify(BODY, header, old).id == webhooks.verify(BODY, header, new).id == "evt_01HR3"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("tampered body", "No v1 signature matches"),
        ("wrong secret", "No v1 signature matches"),
        ("old timestamp", "more than 300 s from now"),
        ("future timestamp", "more than 300 s from now"),
        ("no v1", "no v1 signature"),
        ("no timestamp", "no valid timestamp"),
        ("no header", "No X-Pulse-Signature header"),
    ],
)
def test_an_invalid_delivery_raises_a_clear_error(change, message):
    now = int(time.time())
    header, (secret,) = signed(at={"old timestamp": now - 301, "future timestamp": now + 301}.get(change, now))
    body = BODY
    if change == "tampered body":
        body = BODY.replace(b"kud_1", b"kud_2")
    elif change == "wrong secret":
        secret = new_secret()
    elif change == "no v1":
        header = header.split(",")[0]
    elif change == "no timestamp":
        header = ",".join(header.split(",")[1:])
    elif change == "no header":
        header = None
    with pytest.raises(WebhookVerificationError, match=message):
        webhooks.verify(body, header, secret)


def test_tolerance_is_configurable():
    header, (secret,) = signed(at=int(time.time()) - 3600)
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(BODY, header, secret)
    assert webhooks.verify(BODY, header, secret, tolerance=7200).id == "evt_01HR3"
    assert webhooks.verify(BODY, header, secret, tolerance=None).id == "evt_01HR3"


def test_the_sdk_signs_as_the_server_does():
    secret, at = new_secret(), int(time.time())
    assert webhooks.sign(BODY, secret, timestamp=at) == pulse_signature(body=BODY, timestamp=at, secrets=[secret])


@pytest.mark.slow
def test_real_deliveries_verify_before_and_after_a_rotation(webhook_stack, hooks):
    with Pulse(api_key=webhook_stack.api.key, base_url=f"{webhook_stack.web.url}/v1") as pulse:
        path = hooks.receiver.new_path()
        endpoint = pulse.webhook_endpoints.create(url=hooks.receiver.url(path), enabled_events=["employee.created"])
        hooks.endpoint_ids.append(endpoint.id)

        first = pulse.employees.create(full_name=f"Hook {uuid.uuid4().hex[:8]}", start_date="2024-01-08")
        (request,) = hooks.wait_for(path, 1)
        event = webhooks.verify(request.body, request.headers["X-Pulse-Signature"], endpoint.secret)
        assert isinstance(event, EmployeeCreatedEvent)
        assert (event.type, event.data.id, event.data.full_name) == ("employee.created", first.id, first.full_name)
        with pytest.raises(WebhookVerificationError):
            webhooks.verify(request.body + b" ", request.headers["X-Pulse-Signature"], endpoint.secret)

        rotated = pulse.webhook_endpoints.rotate_secret(endpoint.id)
        second = pulse.employees.create(full_name=f"Hook {uuid.uuid4().hex[:8]}", start_date="2024-01-08")
        request = hooks.wait_for(path, 2)[1]
        header = request.headers["X-Pulse-Signature"]
        assert header.count("v1=") == 2
        for secret in (endpoint.secret, rotated.secret):
            assert webhooks.verify(request.body, header, secret).data.id == second.id
