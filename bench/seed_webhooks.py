"""The webhook bench's Django side, run as a process of its own by bench/webhooks_bench.py.

    seed_webhooks.py endpoint --workspace bench --environment live --url http://127.0.0.1:PORT/hook
        Creates (through webhooks.services) an endpoint subscribed to every event type.
    seed_webhooks.py backlog --workspace bench --environment live --count 20000
        Builds a backlog of `count` deliveries, due now, to that endpoint: the events and their
        deliveries in bulk (bulk_create, as deliveries_create does it, in batches), with the
        payload an `employee.created` event carries, then hands them to the broker with
        webhooks.tasks.deliveries_dispatch, as the commit of each change would. Building it
        through the API would measure the API, not delivery.

Each prints one JSON line with what it made and how long it took."""

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from pulsehr.tenancy.context import Tenant  # noqa: E402
from pulsehr.tenancy.models import Workspace  # noqa: E402
from webhooks.models import Delivery, Event, WebhookEndpoint  # noqa: E402
from webhooks.services import endpoint_create  # noqa: E402
from webhooks.tasks import deliveries_dispatch  # noqa: E402

BATCH = 2000


def tenant_of(args) -> Tenant:
    return Tenant(workspace=Workspace.objects.get(slug=args.workspace), environment=args.environment)


def employee_payload(number: int) -> dict:
    """What an employee.created event carries (employees.services.employee_as_dict's keys)."""
    return {
        "id": f"emp_bench{number:021d}",
        "full_name": f"Bench Person {number}",
        "email": f"bench.person.{number}@example.com",
        "role": "Engineer",
        "department": "Engineering",
        "location": "Rome",
        "manager_id": None,
        "start_date": date(2024, 1, 1).isoformat(),
        "end_date": None,
        "status": "active",
        "custom_fields": {},
        "version": 1,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "updated_at": timezone.now().isoformat().replace("+00:00", "Z"),
    }


def make_endpoint(args) -> dict:
    endpoint = endpoint_create(tenant=tenant_of(args), url=args.url, enabled_events=["*"], description="make bench")
    return {"endpoint_id": endpoint.pk}


def make_backlog(args) -> dict:
    tenant = tenant_of(args)
    endpoint = tenant.scope(WebhookEndpoint.objects).get()
    started = time.perf_counter()
    delivery_ids = []
    for offset in range(0, args.count, BATCH):
        now = timezone.now()
        with transaction.atomic():
            events = Event.objects.bulk_create(
                Event(
                    workspace=tenant.workspace,
                    environment=tenant.environment,
                    type="employee.created",
                    data=employee_payload(number),
                    actor="system",
                )
                for number in range(offset, min(offset + BATCH, args.count))
            )
            deliveries = Delivery.objects.bulk_create(
                Delivery(
                    workspace=tenant.workspace,
                    environment=tenant.environment,
                    event=event,
                    endpoint=endpoint,
                    next_attempt_at=now,
                    enqueued_at=now,
                )
                for event in events
            )
        delivery_ids += [delivery.pk for delivery in deliveries]
    created_s = time.perf_counter() - started
    started = time.perf_counter()
    deliveries_dispatch(delivery_ids)
    dispatch_s = time.perf_counter() - started
    return {"deliveries": len(delivery_ids), "create_s": round(created_s, 2), "dispatch_s": round(dispatch_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["endpoint", "backlog"])
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--environment", required=True)
    parser.add_argument("--url", help="the receiver (endpoint)")
    parser.add_argument("--count", type=int, default=20_000, help="deliveries (backlog)")
    args = parser.parse_args()
    result = make_endpoint(args) if args.action == "endpoint" else make_backlog(args)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
