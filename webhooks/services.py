"""The one write path for events, webhook endpoints and replays.

Events are recorded inside the transaction of the change they describe, together with one
delivery per matching endpoint; the deliveries are handed to the workers once that
transaction commits (see delivery.py)."""

from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pulsehr.errors import InvalidInput, RuleViolation, ensure_version
from pulsehr.tenancy.context import Actor, Tenant

from .catalogue import EVENT_TYPES, is_known
from .choices import ALL_EVENTS, PING
from .delivery import deliveries_dispatch
from .models import Delivery, Event, WebhookEndpoint
from .signing import new_secret
from .transport import literal_address_refusal

ENDPOINT_EDITABLE_FIELDS = ("url", "enabled_events", "description", "disabled")


def event_record(
    *, tenant: Tenant, type: str, data: dict, actor: Actor, endpoints: list[WebhookEndpoint] | None = None
) -> Event:
    """Record an event and its deliveries. Must run inside the transaction of the change it
    records, so that a rolled-back change leaves no event and a committed one always has its
    event and deliveries. `endpoints` narrows the deliveries (test sends, replays)."""
    if not is_known(type):
        raise ValueError(f"Event type {type!r} is not in the catalogue.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records.")
    event = Event.objects.create(
        workspace=tenant.workspace, environment=tenant.environment, type=type, data=data, actor=str(actor)
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


# --- Endpoints -------------------------------------------------------------------------------


def endpoint_url_validate(url: str) -> str:
    url = url.strip()
    if any(character.isspace() for character in url):
        raise InvalidInput("url must not contain spaces; percent-encode them.", fields=["url"])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url must be an absolute http(s) URL.", fields=["url"])
    if parts.username is not None:
        raise InvalidInput(
            "url must not carry credentials (user:pass@); put a token in the path or query instead, "
            "and verify the signature.",
            fields=["url"],
        )
    if not parts.hostname.isascii():
        raise InvalidInput("url's host must be ASCII: use its punycode form (xn--…).", fields=["url"])
    if parts.scheme == "http" and not settings.PULSEHR_WEBHOOK_ALLOW_HTTP:
        raise InvalidInput("url must use https on this server.", fields=["url"])
    try:
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError as exc:
        raise InvalidInput("url has an invalid port.", fields=["url"]) from exc
    try:
        parts.hostname.encode("idna")  # what the resolver will be asked: no spaces, empty or over-long labels
    except UnicodeError as exc:
        raise InvalidInput(f"url's host {parts.hostname!r} is not a valid host name.", fields=["url"]) from exc
    if not settings.PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS:
        refusal = literal_address_refusal(parts.hostname)
        if refusal:
            raise RuleViolation(f"Webhooks cannot be sent to {parts.hostname}: {refusal}.", fields=["url"])
    return url


def endpoint_events_validate(enabled_events: list[str]) -> list[str]:
    if not enabled_events:
        raise InvalidInput('enabled_events must name at least one event type, or be ["*"].', fields=["enabled_events"])
    if ALL_EVENTS in enabled_events:
        if len(enabled_events) > 1:
            raise InvalidInput('"*" already covers every event type; send it alone.', fields=["enabled_events"])
        return [ALL_EVENTS]
    unknown = [name for name in enabled_events if name not in EVENT_TYPES or name == PING]
    if unknown:
        raise InvalidInput(
            f"Unknown event type(s): {', '.join(unknown)}. Known types: "
            f'{", ".join(name for name in EVENT_TYPES if name != PING)}, or "*" for all.',
            fields=["enabled_events"],
        )
    return list(dict.fromkeys(enabled_events))


def endpoint_create(*, tenant: Tenant, url: str, enabled_events: list[str], description: str = "") -> WebhookEndpoint:
    """A new endpoint with a fresh secret (shown to the caller once, in the response)."""
    return WebhookEndpoint.objects.create(
        workspace=tenant.workspace,
        environment=tenant.environment,
        url=endpoint_url_validate(url),
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
        changes["url"] = endpoint_url_validate(changes["url"])
    if "enabled_events" in changes:
        changes["enabled_events"] = endpoint_events_validate(changes["enabled_events"])
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    with transaction.atomic():
        locked = tenant.scope(WebhookEndpoint.objects).select_for_update().get(pk=endpoint.pk)
        ensure_version(locked.version, expected_version)
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
        locked = tenant.scope(WebhookEndpoint.objects).select_for_update().get(pk=endpoint.pk)
        ensure_version(locked.version, expected_version)
        locked.delete()


def endpoint_rotate_secret(
    *, tenant: Tenant, endpoint: WebhookEndpoint, expected_version: int | None = None
) -> WebhookEndpoint:
    """A new secret; the one it replaces keeps signing beside it for the overlap (24 h), so
    receivers can switch without missing a beat. Rotating again drops the oldest."""
    with transaction.atomic():
        locked = tenant.scope(WebhookEndpoint.objects).select_for_update().get(pk=endpoint.pk)
        ensure_version(locked.version, expected_version)
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
        raise RuleViolation("The endpoint is disabled; enable it before sending a test event.", fields=["disabled"])
    with transaction.atomic():
        event = event_record(
            tenant=tenant,
            type=PING,
            data=ping_data(endpoint_id=endpoint.pk),
            actor=actor,
            endpoints=[endpoint],
        )
        return event.deliveries.get()


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Disabled by the delivery machinery (a 410, or days of failures); shown with its reason."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled=False).update(
        disabled=True,
        disabled_reason=reason[:500],
        disabled_at=timezone.now(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


# --- Replays ---------------------------------------------------------------------------------


def event_replay(*, tenant: Tenant, event: Event, endpoint: WebhookEndpoint | None = None) -> list[Delivery]:
    """New deliveries of a past event: to one endpoint, or to every enabled endpoint that
    subscribes to it now. Each replay is a delivery of its own, with a fresh retry window."""
    if endpoint is not None:
        if endpoint.disabled:
            raise RuleViolation("The endpoint is disabled; enable it before replaying to it.", fields=["endpoint_id"])
        endpoints = [endpoint]
    else:
        endpoints = endpoints_subscribed(tenant=tenant, event_type=event.type)
        if not endpoints:
            raise RuleViolation("No enabled endpoint subscribes to this event type; name one with endpoint_id.")
    with transaction.atomic():
        return deliveries_create(tenant=tenant, event=event, endpoints=endpoints)
