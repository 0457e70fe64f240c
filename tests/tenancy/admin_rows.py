"""One row of every workspace-owned model the admin shows, in a given workspace environment,
for tests that walk every registered ModelAdmin. A model the admin registers but this module
cannot make fails those tests, so a new admin is checked from its first day."""

from datetime import date

from django.contrib import admin
from django.db import transaction

from collab.models import Comment, Room, Thread
from employees.models import Employee
from kudos.models import Kudos
from leave.feeds import calendar_feed_create
from leave.models import CalendarFeed, CompanyDayOff, Leave, LeaveLedgerEntry
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.services import api_key_create
from statuslog.models import StatusLogEntry
from webhooks import services as webhook_services
from webhooks.models import Delivery, Event, WebhookEndpoint
from webhooks.outbox import event_record
from workload.models import WorkloadCheckin

from ..factories import CompanyDayOffFactory, EmployeeFactory, LeaveFactory


def workspace_owned_admins() -> list:
    """Every registered ModelAdmin whose rows belong to a workspace."""
    return [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if any(field.name == "workspace" for field in model._meta.fields)
    ]


def rows_in(workspace, environment: str, label: str) -> dict:
    """One row of each workspace-owned model in the workspace environment, keyed by model.
    People's names carry `label`, so a page that shows another tenant's people is caught."""
    tenant = Tenant(workspace, environment)
    person = EmployeeFactory(workspace=workspace, environment=environment, full_name=f"{label} Person")
    colleague = EmployeeFactory(workspace=workspace, environment=environment, full_name=f"{label} Colleague")
    endpoint = webhook_services.endpoint_create(
        tenant=tenant, url=f"https://{label.lower().replace(' ', '-')}.example.com/hook", enabled_events=["*"]
    )
    with transaction.atomic():
        event = event_record(tenant=tenant, type="ping", data={}, actor=SYSTEM, endpoints=[endpoint])
    room = Room.objects.create(workspace=workspace, environment=environment, key=f"{label} room")
    thread = Thread.objects.create(workspace=workspace, environment=environment, room=room, created_by=person)
    Comment.objects.create(
        workspace=workspace, environment=environment, room=room, thread=thread, author=person, body=f"{label} comment"
    )
    # Bound to the person: the key admin's page, column and filter name them, and must stay in the tenant.
    key, _secret = api_key_create(
        workspace=workspace, environment=environment, scopes="read:*", name=f"{label} key", employee_id=person.pk
    )
    rows = {
        Employee: person,
        Leave: LeaveFactory(employee=person),
        StatusLogEntry: StatusLogEntry.objects.create(
            workspace=workspace, environment=environment, employee=person, date=date(2024, 5, 10), lines=["Hi"]
        ),
        Kudos: Kudos.objects.create(
            workspace=workspace,
            environment=environment,
            from_employee=person,
            to_employee=colleague,
            coins=5,
            note=f"{label} thanks",
        ),
        WorkloadCheckin: WorkloadCheckin.objects.create(
            workspace=workspace, environment=environment, employee=person, week_start=date(2024, 5, 6), level="heavy"
        ),
        WebhookEndpoint: endpoint,
        Event: event,
        Delivery: event.deliveries.get(),
        ApiKey: key,
        Thread: thread,
        # Made directly: leave_adjust's event would add a delivery the webhook rows do not expect.
        LeaveLedgerEntry: LeaveLedgerEntry.objects.create(
            workspace=workspace,
            environment=environment,
            employee=person,
            kind="vacation",
            entry_type="adjustment",
            amount=1,
            effective_date=date(2024, 5, 10),
            reason=f"{label} adjustment",
        ),
        CalendarFeed: calendar_feed_create(tenant=tenant, actor=SYSTEM, name=f"{label} feed"),
    }
    if environment == "live":  # days off belong to the workspace, both environments
        rows[CompanyDayOff] = CompanyDayOffFactory(workspace=workspace, name=f"{label} day off")
    return rows
