"""The outbox: events recorded inside the transaction of the change they describe, together
with one delivery per matching endpoint, handed to the workers once that transaction commits
(tasks.deliveries_dispatch). A rolled-back change leaves no event; a committed one always has
its event and deliveries."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from pulsehr.tenancy.context import Actor, Tenant

from .catalogue import is_known
from .models import Delivery, Event, WebhookEndpoint
from .tasks import deliveries_dispatch


def event_record(
    *, tenant: Tenant, type: str, data: dict, actor: Actor, endpoints: list[WebhookEndpoint] | None = None
) -> Event:
    """Record an event and its deliveries. Must run inside the transaction of the change it
    records. `endpoints` narrows the deliveries (test sends). Who made the change stays on the
    row (`actor`, and `acting_as`, the employee it acts as), for the admin; the payload sent
    and listed is the event's id, type, time and data only (representations.py)."""
    if not is_known(type):
        raise ValueError(f"Event type {type!r} is not in the catalogue.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records.")
    event = Event.objects.create(
        workspace=tenant.workspace,
        environment=tenant.environment,
        type=type,
        data=data,
        actor=str(actor),
        acting_as=actor.employee_id,
    )
    if endpoints is None:
        endpoints = endpoints_subscribed(tenant=tenant, event_type=type)
    deliveries_create(tenant=tenant, event=event, endpoints=endpoints)
    return event


def endpoints_subscribed(*, tenant: Tenant, event_type: str) -> list[WebhookEndpoint]:
    """The tenant's enabled endpoints that receive this event type."""
    enabled = tenant.scope(WebhookEndpoint.objects).filter(disabled=False)
    return [endpoint for endpoint in enabled if endpoint.subscribes_to(event_type)]


def deliveries_create(*, tenant: Tenant, event: Event, endpoints: list[WebhookEndpoint]) -> list[Delivery]:
    """New deliveries of `event`, due now, sent by a worker once the transaction commits."""
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            workspace=tenant.workspace,
            environment=tenant.environment,
            event=event,
            endpoint=endpoint,
            next_attempt_at=now,
            enqueued_at=now,
        )
        for endpoint in endpoints
    )
    transaction.on_commit(partial(deliveries_dispatch, [d.pk for d in deliveries]), robust=True)
    return deliveries
