"""The one write path for webhook endpoints, their test events and replays. Events themselves
are recorded by the outbox (outbox.py); where an endpoint may point, by addresses.py."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pulsehr.locking import locked_at_version
from pulsehr.tenancy.context import Actor, Tenant

from .addresses import webhook_url_checked
from .catalogue import EVENT_TYPES
from .choices import ALL_EVENTS, PING
from .errors import EndpointDisabled, InvalidEventTypes, NoSubscribedEndpoint
from .models import Delivery, Event, WebhookEndpoint
from .outbox import deliveries_create, endpoints_subscribed, event_record
from .signing import new_secret

ENDPOINT_EDITABLE_FIELDS = ("url", "enabled_events", "description", "disabled")


def endpoint_events_validate(enabled_events: list[str]) -> list[str]:
    if not enabled_events:
        raise InvalidEventTypes('enabled_events must name at least one event type, or be ["*"].')
    if ALL_EVENTS in enabled_events:
        if len(enabled_events) > 1:
            raise InvalidEventTypes('"*" already covers every event type; send it alone.')
        return [ALL_EVENTS]
    unknown = [name for name in enabled_events if name not in EVENT_TYPES or name == PING]
    if unknown:
        raise InvalidEventTypes(
            f"Unknown event type(s): {', '.join(unknown)}. Known types: "
            f'{", ".join(name for name in EVENT_TYPES if name != PING)}, or "*" for all.'
        )
    return list(dict.fromkeys(enabled_events))


def endpoint_create(*, tenant: Tenant, url: str, enabled_events: list[str], description: str = "") -> WebhookEndpoint:
    """A new endpoint with a fresh secret (shown to the caller once, in the response)."""
    return WebhookEndpoint.objects.create(
        workspace=tenant.workspace,
        environment=tenant.environment,
        url=webhook_url_checked(url),
        enabled_events=endpoint_events_validate(enabled_events),
        description=description.strip(),
        secret=new_secret(),
    )


def endpoint_update(
    *, tenant: Tenant, endpoint: WebhookEndpoint, expected_version: int | None = None, **changes
) -> WebhookEndpoint:
    """Change url, enabled_events, description or disabled. Re-enabling clears the reason it
    was disabled and its failure streak."""
    unknown = set(changes) - set(ENDPOINT_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "url" in changes:
        changes["url"] = webhook_url_checked(changes["url"])
    if "enabled_events" in changes:
        changes["enabled_events"] = endpoint_events_validate(changes["enabled_events"])
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(WebhookEndpoint.objects), endpoint.pk, expected_version)
        changed = [field for field, value in changes.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, changes[field])
        if "url" in changed:
            locked.failing_since = None  # a new URL starts with a clean record
        if "disabled" in changed:
            locked.disabled_at = timezone.now() if locked.disabled else None
            locked.disabled_reason = "Disabled by a user." if locked.disabled else ""
            locked.failing_since = None
        locked.version += 1
        locked.save()
    return locked


def endpoint_delete(*, tenant: Tenant, endpoint: WebhookEndpoint, expected_version: int | None = None) -> None:
    """Delete the endpoint with its deliveries; the events stay."""
    with transaction.atomic():
        locked_at_version(tenant.scope(WebhookEndpoint.objects), endpoint.pk, expected_version).delete()


def endpoint_rotate_secret(
    *, tenant: Tenant, endpoint: WebhookEndpoint, expected_version: int | None = None
) -> WebhookEndpoint:
    """A new secret; the one it replaces keeps signing beside it for the overlap (24 h), so
    receivers can switch without missing a beat. Rotating again drops the oldest."""
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(WebhookEndpoint.objects), endpoint.pk, expected_version)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = timezone.now() + timedelta(
            seconds=settings.PULSEHR_WEBHOOK_SECRET_OVERLAP_SECONDS
        )
        locked.secret = new_secret()
        locked.version += 1
        locked.save()
    return locked


def ping_data(*, endpoint_id: str) -> dict:
    """The `data` of a test event (also the /ecosystem sample of `ping`)."""
    return {"endpoint_id": endpoint_id, "message": "A test event from PulseHR."}


def endpoint_send_test(*, tenant: Tenant, endpoint: WebhookEndpoint, actor: Actor) -> Delivery:
    """Send a `ping` event to this endpoint alone, whatever it subscribes to."""
    if endpoint.disabled:
        raise EndpointDisabled("The endpoint is disabled; enable it before sending a test event.", fields=["disabled"])
    with transaction.atomic():
        event = event_record(
            tenant=tenant,
            type=PING,
            data=ping_data(endpoint_id=endpoint.pk),
            actor=actor,
            endpoints=[endpoint],
        )
        return event.deliveries.get()


def event_replay(*, tenant: Tenant, event: Event, endpoint: WebhookEndpoint | None = None) -> list[Delivery]:
    """New deliveries of a past event: to one endpoint, or to every enabled endpoint that
    subscribes to it now. Each replay is a delivery of its own, with a fresh retry window."""
    if endpoint is not None:
        if endpoint.disabled:
            raise EndpointDisabled(
                "The endpoint is disabled; enable it before replaying to it.", fields=["endpoint_id"]
            )
        endpoints = [endpoint]
    else:
        endpoints = endpoints_subscribed(tenant=tenant, event_type=event.type)
        if not endpoints:
            raise NoSubscribedEndpoint("No enabled endpoint subscribes to this event type; name one with endpoint_id.")
    with transaction.atomic():
        return deliveries_create(tenant=tenant, event=event, endpoints=endpoints)
