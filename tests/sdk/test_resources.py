"""Every resource of the SDK against a live server: the happy paths, with no HTTP mocked."""

import datetime as dt
import uuid

import httpx
import pytest
from pulsehr_sdk import ConflictError, ListIterator, Pulse
from pulsehr_sdk.models import (
    Delivery,
    Employee,
    EmployeeCreatedEvent,
    EventDetail,
    LeaveBalance,
    WebhookEndpointWithSecret,
)

from tests.live.conftest import workspace_today

TODAY = workspace_today()  # the live workspace's date, which the server defaults to


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_employee(pulse: Pulse, **fields) -> Employee:
    fields.setdefault("full_name", unique("Ada"))
    fields.setdefault("start_date", dt.date(2024, 1, 8))
    return pulse.employees.create(**fields)


def test_employee_create_retrieve_update_with_if_match_and_offboard(pulse):
    created = new_employee(pulse, role="Engineer", custom_fields={"shirt": "M"})
    assert created.id.startswith("emp_")
    assert created.start_date == dt.date(2024, 1, 8)  # typed: a date, not a string
    assert isinstance(created.created_at, dt.datetime)
    assert created.custom_fields == {"shirt": "M"}
    assert created.extra == {}  # the server sent nothing the model does not know

    fetched = pulse.employees.retrieve(created.id)
    assert fetched == created

    updated = pulse.employees.update(created.id, role="Staff Engineer", if_match=created.version)
    assert (updated.role, updated.version) == ("Staff Engineer", created.version + 1)

    with pytest.raises(ConflictError) as stale:
        pulse.employees.update(created.id, role="Principal", if_match=created.version)
    assert stale.value.status == 409
    assert stale.value.code == "conflict"
    assert stale.value.request_id.startswith("req_")
    assert pulse.employees.retrieve(created.id).role == "Staff Engineer"

    offboarded = pulse.employees.delete(created.id, if_match=updated.version)
    assert offboarded.end_date == TODAY
    assert offboarded.status == "former"
    assert [e.id for e in pulse.employees.list(q=created.full_name)] == [created.id]


def test_quick_start_posts_a_status_log_entry_and_sends_kudos(pulse):
    author, colleague = new_employee(pulse), new_employee(pulse)
    entry = pulse.status_log.create(
        employee_id=author.id,
        lines=[
            "Shipped the OG localiser. Three locales live.",
            "Hit a CLS regression on /product; fix in 1742.",
            "Pairing with Niccolò on the workload trend curve.",
        ],
    )
    assert entry.id.startswith("sl_")
    assert entry.lines[2] == "Pairing with Niccolò on the workload trend curve."
    assert pulse.status_log.retrieve(entry.id) == entry
    assert [e.id for e in pulse.status_log.list(employee_id=author.id)] == [entry.id]

    kudos = pulse.kudos.create(
        from_employee_id=author.id,
        to_employee_id=colleague.id,
        coins=10,
        tag="craft",
        note="Picked up the failing migration without anyone asking.",
    )
    assert (kudos.id[:4], kudos.coins, kudos.tag) == ("kud_", 10, "craft")
    assert [k.id for k in pulse.kudos.list(to_employee_id=colleague.id)] == [kudos.id]


def test_workload_checkins_are_recorded_and_listed(pulse):
    employee = new_employee(pulse)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    checkin = pulse.workload_checkins.create(employee_id=employee.id, week_start=monday, level="heavy")
    assert (checkin.week_start, checkin.level) == (monday, "heavy")
    listed = list(pulse.workload_checkins.list(employee_id=employee.id))
    assert listed == [checkin]


def test_leave_is_logged_balanced_and_cancelled_with_if_match(pulse):
    employee = new_employee(pulse)
    year = TODAY.year + 1
    leave = pulse.leave.create(employee_id=employee.id, kind="vacation", start_date=dt.date(year, 3, 2),
                               end_date=dt.date(year, 3, 3), note="Ski")  # fmt: skip
    assert leave.id.startswith("lv_")
    assert isinstance(leave.days, float) and leave.days > 0
    assert pulse.leave.retrieve(leave.id) == leave

    balance = pulse.leave.balance(employee.id, year=year)
    assert isinstance(balance, LeaveBalance)
    assert balance.year == year
    vacation = next(b for b in balance.balances if b.kind == "vacation")
    assert vacation.planned == leave.days
    assert pulse.leave.balance(employee.id).year == TODAY.year  # year defaults to this one

    with pytest.raises(ConflictError):
        pulse.leave.delete(leave.id, if_match=leave.version + 1)
    cancelled = pulse.leave.delete(leave.id, if_match=leave.version)
    assert cancelled.status == "cancelled"
    assert [lv.status for lv in pulse.leave.list(employee_id=employee.id)] == ["cancelled"]


def test_webhook_endpoints_and_events(pulse):
    endpoint = pulse.webhook_endpoints.create(url="http://127.0.0.1:9/hook", enabled_events=["employee.created"])
    assert isinstance(endpoint, WebhookEndpointWithSecret)
    assert endpoint.secret.startswith("whsec_")
    assert pulse.webhook_endpoints.retrieve(endpoint.id).url == "http://127.0.0.1:9/hook"
    assert endpoint.id in [e.id for e in pulse.webhook_endpoints.list()]

    updated = pulse.webhook_endpoints.update(endpoint.id, description="CRM sync", if_match=endpoint.version)
    assert updated.description == "CRM sync"

    rotated = pulse.webhook_endpoints.rotate_secret(endpoint.id)
    assert rotated.secret != endpoint.secret
    assert rotated.previous_secret_expires_at is not None

    ping = pulse.webhook_endpoints.test(endpoint.id)
    assert isinstance(ping, Delivery)
    assert ping.endpoint_id == endpoint.id

    employee = new_employee(pulse)
    events = pulse.events.list(type="employee.created")
    event = next(e for e in events if e.data.id == employee.id)  # typed as webhooks deliver it
    assert isinstance(event, EmployeeCreatedEvent) and event.data.full_name == employee.full_name
    assert event.type == "employee.created"

    detail = pulse.events.retrieve(event.id)
    assert isinstance(detail, EventDetail)
    assert endpoint.id in [d.endpoint_id for d in detail.deliveries]

    replayed = pulse.events.replay(event.id, endpoint_id=endpoint.id)
    assert [d.endpoint_id for d in replayed] == [endpoint.id]
    assert replayed[0].id not in [d.id for d in detail.deliveries]

    assert pulse.webhook_endpoints.delete(endpoint.id) is None
    assert endpoint.id not in [e.id for e in pulse.webhook_endpoints.list()]


def test_list_follows_next_cursor_lazily_and_knows_total_count(sdk_site):
    department = unique("dept")
    with sdk_site.client() as pulse:
        created = [new_employee(pulse, department=department).id for _ in range(5)]

    requests: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [requests.append]})
    with sdk_site.client(http_client=http) as pulse:
        employees = pulse.employees.list(department=department, limit=2)
        assert isinstance(employees, ListIterator)
        assert requests == []  # nothing fetched until asked
        assert employees.total_count == 5
        assert len(requests) == 1

        iterator = iter(employees)
        first_two = [next(iterator), next(iterator)]
        assert len(requests) == 1  # the first page, fetched once
        rest = list(iterator)
        assert len(requests) == 3  # pages of 2, 2 and 1
        ids = [e.id for e in first_two + rest]
        assert len(ids) == 5 and set(ids) == set(created)  # each once
        assert "cursor" in str(requests[1].url)
        assert [p.total_count for p in employees.pages()] == [5, 5, 5]


def test_key_and_base_url_default_to_the_environment(sdk_site, monkeypatch):
    monkeypatch.setenv("PULSE_API_KEY", sdk_site.key)
    monkeypatch.setenv("PULSE_API_BASE", sdk_site.base_url)
    with sdk_site.client() as pulse:
        new_employee(pulse)
        expected = pulse.employees.list(limit=1).total_count
    with Pulse() as pulse:
        assert pulse.base_url == sdk_site.base_url
        # The key from the environment was sent: the server answered with the workspace's employees.
        assert pulse.employees.list(limit=1).total_count == expected > 0

    monkeypatch.delenv("PULSE_API_BASE")
    assert Pulse().base_url == "https://api.pulsehr.it/v1"
