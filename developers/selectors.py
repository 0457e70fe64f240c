"""Reads of the /developers and /ecosystem pages. Everything /developers shows is looked up
within the caller's workspace (both environments), so a foreign id finds nothing."""

import json
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from leave.feeds import feed_path
from leave.models import CalendarFeed
from pulsehr.tenancy.context import Tenant, workspace_scope
from pulsehr.tenancy.models import ApiKey, Workspace
from webhooks.catalogue import EVENT_TYPES
from webhooks.models import Delivery, DeliveryAttempt, WebhookEndpoint
from webhooks.samples import event_sample


def workspace_api_keys(workspace: Workspace) -> QuerySet[ApiKey]:
    return workspace_scope(ApiKey.objects, workspace).select_related("created_by").order_by("-created_at", "-pk")


def workspace_endpoints(workspace: Workspace) -> QuerySet[WebhookEndpoint]:
    return workspace_scope(WebhookEndpoint.objects, workspace).order_by("environment", "-created_at", "-pk")


def endpoint_deliveries(endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """The endpoint's delivery log, newest first, with the last attempt's duration."""
    last_attempt = DeliveryAttempt.objects.filter(delivery=OuterRef("pk")).order_by("-number")
    return (
        Tenant.of(endpoint)
        .scope(Delivery.objects)
        .filter(endpoint=endpoint)
        .select_related("event")
        .annotate(last_duration_ms=Subquery(last_attempt.values("duration_ms")[:1]))
        .order_by("-created_at", "-pk")
    )


def endpoint_delivery_detail(endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """Deliveries of the endpoint with their event and every attempt, for one detail page."""
    return (
        Tenant.of(endpoint)
        .scope(Delivery.objects)
        .filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related("attempts")
    )


@dataclass(frozen=True)
class CatalogueEntry:
    type: str
    description: str
    sample_json: str


def event_catalogue() -> list[CatalogueEntry]:
    """Every event type with a sample event, built in memory: no database access."""
    return [
        CatalogueEntry(type=name, description=entry.description, sample_json=json.dumps(event_sample(name), indent=2))
        for name, entry in EVENT_TYPES.items()
    ]


def workspace_calendar_feed_rows(workspace) -> QuerySet:
    return workspace_scope(CalendarFeed.objects, workspace)


def workspace_calendar_feeds(workspace) -> list:
    """The workspace's leave calendar feeds, both environments, newest first, each with its URL."""
    feeds = list(workspace_calendar_feed_rows(workspace).select_related("employee").order_by("-id"))
    for feed in feeds:
        feed.url = feed_path(feed)
    return feeds
