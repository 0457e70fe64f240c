"""seed_demo fills both environments with every feature's data, through the services (so each
change has its event), and a second run adds nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

# Every resource the API lists, the collaboration API's included, and the webhooks' rows.
RESOURCES = [
    "employees.Employee",
    "statuslog.StatusLogEntry",
    "kudos.Kudos",
    "workload.WorkloadCheckin",
    "leave.Leave",
    "collab.Room",
    "collab.Thread",
    "collab.Comment",
    "collab.Reaction",
    "webhooks.Event",
    "webhooks.WebhookEndpoint",
    "webhooks.Delivery",
    "webhooks.DeliveryAttempt",
]


def counts() -> dict[tuple[str, str], int]:
    found = {}
    for label in RESOURCES:
        model = apps.get_model(label)
        for environment in ("live", "test"):
            rows = model.objects.all()
            if label == "webhooks.DeliveryAttempt":
                rows = rows.filter(delivery__environment=environment)
            else:
                rows = rows.filter(environment=environment)
            found[(label, environment)] = rows.count()
    return found


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", workspace="demo", employees=8, base_url="http://demo.test", stdout=out)
    return out.getvalue()


def test_seed_demo_twice_fills_every_resource_in_both_environments_once():
    output = seed()
    first = counts()
    assert all(first.values()), [key for key, count in first.items() if not count]
    seed()
    assert counts() == first
    for url in ("/admin/", "/developers", "/ecosystem", "/v1/docs", "/collab/demo/"):
        assert f"http://demo.test{url}" in output


def test_the_demo_has_leave_in_every_state_and_deliveries_in_every_state():
    seed()
    leave = apps.get_model("leave.Leave")
    for environment in ("live", "test"):
        statuses = set(leave.objects.filter(environment=environment).values_list("status", flat=True))
        assert statuses == {"approved", "pending", "rejected", "cancelled"}
        deliveries = Delivery.objects.filter(environment=environment)
        assert set(deliveries.values_list("status", flat=True)) == {"succeeded", "pending", "failed"}
        retrying = deliveries.get(status="pending")
        assert retrying.next_attempt_at and retrying.attempts.get().error  # retrying, with its last error
    thread = apps.get_model("collab.Thread")
    assert thread.objects.filter(resolved=True).count() == 2  # one per environment
