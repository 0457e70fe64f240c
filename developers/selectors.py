"""Reads of the /developers and /ecosystem pages. Everything /developers shows is looked up
within the caller's workspace (both environments), so a foreign id finds nothing."""

import json
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from employees.models import Employee
from leave.feeds import feed_path
from leave.models import CalendarFeed
from pulsehr.tenancy.bound_keys import api_key_lapsed
from pulsehr.tenancy.choices import Environment
from pulsehr.tenancy.context import Tenant, workspace_scope
from pulsehr.tenancy.models import ApiKey, Workspace
from webhooks.catalogue import EVENT_TYPES
from webhooks.models import Delivery, DeliveryAttempt, WebhookEndpoint
from webhooks.samples import event_sample


def workspace_api_keys(workspace: Workspace) -> QuerySet[ApiKey]:
    return (
        workspace_scope(ApiKey.objects, workspace)
        .select_related("workspace", "created_by", "employee")  # the workspace: a bound key's status needs its date
        .order_by("-created_at", "-pk")
    )


def workspace_api_key_rows(workspace: Workspace) -> list[ApiKey]:
    """The workspace's keys for its list, each with `lapsed`: why a key that acts as an employee
    stopped working although it is not revoked (they were offboarded), or ""."""
    keys = list(workspace_api_keys(workspace))
    for key in keys:
        key.lapsed = api_key_lapsed(key)
    return keys


def key_employee_choices(workspace: Workspace) -> list[tuple[str, list[tuple[str, str]]]]:
    """Whom a new key of the workspace may act as: each environment's active employees, by name,
    grouped under the environment (a key acts as someone of its own environment only)."""
    groups = []
    for environment, label in Environment.choices:
        tenant = Tenant(workspace, environment)
        people = (
            tenant.scope(Employee.objects)
            .active_on(tenant.today())
            .order_by("full_name", "pk")
            .values_list("pk", "full_name")
        )
        groups.append((label, [(pk, f"{full_name} ({pk})") for pk, full_name in people]))
    return groups


def workspace_endpoints(workspace: Workspace) -> QuerySet[WebhookEndpoint]:
    return workspace_scope(WebhookEndpoint.objects, workspace).order_by("environment", "-created_at", "-pk")


SUCCESS_RATE_HOURS = 24


def workspace_endpoints_with_success_rate(workspace: Workspace) -> list[WebhookEndpoint]:
    """The workspace's endpoints, each with `success_rate`: the share of its delivery attempts
    of the last SUCCESS_RATE_HOURS that succeeded, in percent (None when there were none)."""
    recent = Q(deliveries__attempts__started_at__gte=timezone.now() - timedelta(hours=SUCCESS_RATE_HOURS))
    endpoints = list(
        workspace_endpoints(workspace).annotate(
            recent_attempts=Count("deliveries__attempts", filter=recent),
            recent_successes=Count("deliveries__attempts", filter=recent & Q(deliveries__attempts__succeeded=True)),
        )
    )
    for endpoint in endpoints:
        attempts, successes = endpoint.recent_attempts, endpoint.recent_successes
        endpoint.success_rate = None if not attempts else round(100 * successes / attempts)
    return endpoints


def attempt_outcome(status_code: int | None, error: str) -> str:
    """An attempt's failure in words: the status code and its phrase, or the connection error."""
    if status_code is None:
        return error
    try:
        return f"HTTP {status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return f"HTTP {status_code}"


def endpoint_deliveries(endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """The endpoint's delivery log, newest first, with the last attempt's duration, status code,
    error and outcome."""
    last_attempt = DeliveryAttempt.objects.filter(delivery=OuterRef("pk")).order_by("-number")
    return (
        Tenant.of(endpoint)
        .scope(Delivery.objects)
        .filter(endpoint=endpoint)
        .select_related("event")
        .annotate(
            last_duration_ms=Subquery(last_attempt.values("duration_ms")[:1]),
            last_attempt_code=Subquery(last_attempt.values("status_code")[:1]),
            last_attempt_error=Subquery(last_attempt.values("error")[:1]),
            last_attempt_succeeded=Subquery(last_attempt.values("succeeded")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def with_last_errors(deliveries) -> None:
    """Set `last_error` on each delivery of endpoint_deliveries: its last attempt's failure in
    words, or "" when that attempt succeeded or none was made."""
    for delivery in deliveries:
        failed = delivery.attempt_count and delivery.last_attempt_succeeded is False
        delivery.last_error = attempt_outcome(delivery.last_attempt_code, delivery.last_attempt_error) if failed else ""


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
