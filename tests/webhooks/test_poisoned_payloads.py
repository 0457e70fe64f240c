"""Event rows the JSON-value policy would refuse today, stored before it or around it, through the
Celery tasks' own code: a value orjson cannot encode is still delivered, exactly; a row that
cannot be read at all fails its delivery once, with the reason, instead of being retried forever."""

import json

import pytest
from django.db import connection

from webhooks.models import Delivery, Event
from webhooks.tasks import deliver, deliver_batch

pytestmark = pytest.mark.django_db

# Deeper than Python's json parser follows (its recursion limit, 1000 frames), yet within what both
# databases store (SQLite's JSON functions allow 1000 levels, PostgreSQL's jsonb more).
UNREADABLE = "[" * 1000 + "]" * 1000


def store_raw(event: Event, text: str) -> None:
    """Write the event's data column as text, past the ORM and any validation."""
    with connection.cursor() as cursor:
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        cursor.execute(f"UPDATE webhooks_event SET data = %s{cast} WHERE id = %s", [text, event.pk])


def test_an_event_orjson_cannot_encode_is_delivered_with_its_big_integer_exact(receiver, make_endpoint, make_delivery):
    endpoint = make_endpoint(url=receiver.url("/big"))
    delivery = make_delivery(endpoint)
    Event.objects.filter(pk=delivery.event_id).update(data={"n": 10**20, "m": -(2**64)})

    deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "succeeded", delivery.failure_reason
    (request,) = receiver.received("/big")
    assert json.loads(request.body)["data"] == {"n": 10**20, "m": -(2**64)}


def test_an_event_whose_payload_cannot_be_built_fails_its_delivery_once_with_the_reason(
    receiver, make_endpoint, make_delivery
):
    endpoint = make_endpoint(url=receiver.url("/poisoned"))
    delivery = make_delivery(endpoint)
    store_raw(delivery.event, UNREADABLE)

    deliver(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.failure_reason.startswith("Not sent: the event's payload could not be built (RecursionError")
    assert delivery.attempt_count == 1 and delivery.leased_until is None and delivery.next_attempt_at is None
    (attempt,) = delivery.attempts.all()
    assert attempt.error == delivery.failure_reason and not attempt.succeeded
    assert receiver.received("/poisoned") == []
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None  # nothing was sent: not the endpoint's failure

    deliver(delivery.pk)  # a duplicate message changes nothing
    assert Delivery.objects.get(pk=delivery.pk).attempts.count() == 1


def test_a_poisoned_event_in_a_batch_does_not_hold_up_the_others(receiver, make_endpoint, make_delivery):
    endpoint = make_endpoint(url=receiver.url("/batch"))
    poisoned, good = make_delivery(endpoint), make_delivery(endpoint)
    store_raw(poisoned.event, UNREADABLE)

    deliver_batch([poisoned.pk, good.pk])

    statuses = dict(Delivery.objects.filter(pk__in=[poisoned.pk, good.pk]).values_list("pk", "status"))
    assert statuses == {poisoned.pk: "failed", good.pk: "succeeded"}
    (request,) = receiver.received("/batch")
    assert request.headers["x-pulse-delivery"] == good.pk
