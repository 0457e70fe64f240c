"""POST /v1/leave/{id}/approve and /reject with a reason and a resolvable decided_by; who may
approve in the admin (the workspace's `approvers`); GET /v1/leave/whos-out; the leave policies'
validation."""

import importlib
from datetime import date

import pytest
from django.urls import reverse

from leave.errors import InvalidLeavePolicy
from leave.models import LeaveLedgerEntry
from pulsehr.api.exceptions import domain_status
from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.services import workspace_update
from webhooks.models import Event

from ..factories import CompanyDayOffFactory, EmployeeFactory
from ..staff import logged_in, staff_user, switch_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval_mode(workspace, set_today):
    set_today(date(2026, 3, 1))
    workspace.leave_approval_required = True
    workspace.save()
    return workspace


def test_approving_with_a_reason_names_the_key_takes_the_days_and_records_the_event(
    api, employee, approval_mode, log_leave
):
    leave = log_leave("2026-03-02", "2026-03-03").json()
    assert not LeaveLedgerEntry.objects.exists()
    response = api.post(f"/v1/leave/{leave['id']}/approve", {"reason": "Enjoy"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["decision_reason"], body["version"]) == ("approved", "Enjoy", 2)
    assert body["decided_by"] == {"type": "api_key", "id": api.key.pk, "name": api.key.name or f"API key {api.key.pk}"}
    assert response["ETag"] == '"2"'
    assert LeaveLedgerEntry.objects.filter(leave_id=leave["id"], entry_type="taken").count() == 2
    event = Event.objects.get(type="leave.approved")
    assert event.data == body
    assert api.get(f"/v1/leave/{leave['id']}").json() == body


def test_rejecting_frees_the_dates_and_takes_nothing(api, employee, approval_mode, log_leave):
    leave = log_leave("2026-03-02").json()
    response = api.post(f"/v1/leave/{leave['id']}/reject", {})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_reason"]) == ("rejected", None)
    assert Event.objects.filter(type="leave.rejected").count() == 1
    assert not LeaveLedgerEntry.objects.exists()
    assert log_leave("2026-03-02").status_code == 201


@pytest.mark.parametrize("verb", ["approve", "reject"])
def test_only_pending_leave_is_decided_and_a_stale_version_is_409(api, employee, approval_mode, log_leave, verb):
    leave = log_leave("2026-03-02").json()
    assert api.post(f"/v1/leave/{leave['id']}/{verb}", {}, headers={"If-Match": '"7"'}).status_code == 409
    assert api.post(f"/v1/leave/{leave['id']}/{verb}", {}).status_code == 200
    again = api.post(f"/v1/leave/{leave['id']}/{verb}", {})
    assert again.status_code == 422 and again.json()["error"]["fields"] == ["status"]
    assert Event.objects.filter(type=f"leave.{verb}d" if verb == "approve" else "leave.rejected").count() == 1


def test_a_decision_is_replayed_under_the_same_idempotency_key(api, employee, approval_mode, log_leave):
    leave = log_leave("2026-03-02").json()
    first = api.post(f"/v1/leave/{leave['id']}/approve", {}, headers={"Idempotency-Key": "ok-1"})
    again = api.post(f"/v1/leave/{leave['id']}/approve", {}, headers={"Idempotency-Key": "ok-1"})
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Event.objects.filter(type="leave.approved").count() == 1


def test_an_unknown_reason_key_is_400(api, employee, approval_mode, log_leave):
    leave = log_leave("2026-03-02").json()
    response = api.post(f"/v1/leave/{leave['id']}/approve", {"why": "x"})
    assert response.status_code == 400 and response.json()["error"]["fields"] == ["why"]


# --- Who may approve in the admin ----------------------------------------------------------

CHANGELIST = reverse("admin:leave_leave_changelist")


def decide(client, action, leave_id):
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [leave_id]}, follow=True)
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    "approvers,hr_may,manager_may",
    # Everyone who acts in the admin holds a write role (HR or owner); `manager` narrows that to
    # the manager chain of the employee (the boss is the manager's manager).
    [("hr", True, True), ("manager", False, True), ("both", True, True)],
)
def test_who_may_approve_is_the_workspaces_setting(
    api, workspace, approval_mode, log_leave, approvers, hr_may, manager_may
):
    workspace.leave_policies = {"approvers": approvers}
    workspace.save()
    boss_user = staff_user((workspace, "hr"), username="boss")
    boss = EmployeeFactory(workspace=workspace, email="boss@example.test")
    lead = EmployeeFactory(workspace=workspace, manager=boss)
    person = EmployeeFactory(workspace=workspace, manager=lead)
    hr_user = staff_user((workspace, "hr"), username="hrperson")
    for user, may, day in ((hr_user, hr_may, "2026-03-02"), (boss_user, manager_may, "2026-03-03")):
        body = {"employee_id": person.pk, "kind": "vacation", "start_date": day}
        leave = api.post("/v1/leave", body).json()
        client = logged_in(user)
        switch_to(client, workspace)
        messages = decide(client, "approve", leave["id"])
        status = api.get(f"/v1/leave/{leave['id']}").json()["status"]
        assert (status == "approved") is may, (user, messages)
        if not may:
            assert any("is not among them" in message for message in messages)
            api.delete(f"/v1/leave/{leave['id']}")


# --- Who's out -----------------------------------------------------------------------------


def test_whos_out_lists_people_by_working_day_with_holidays_and_company_days_off(
    api, workspace, make_employee, set_today
):
    set_today(date(2026, 4, 1))
    ada = make_employee(full_name="Ada", department="Engineering", location="Rome")
    bob = make_employee(full_name="Bob", department="Sales", location="Milan")
    CompanyDayOffFactory(workspace=workspace, date=date(2026, 4, 3), name="Bridge day")
    api.post("/v1/leave", {"employee_id": ada.pk, "kind": "sick", "start_date": "2026-04-01", "end_date": "2026-04-07"})
    api.post("/v1/leave", {"employee_id": bob.pk, "kind": "vacation", "start_date": "2026-04-02", "half_day": True})
    response = api.get("/v1/leave/whos-out")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["date_from"], body["date_to"]) == ("2026-04-01", "2026-04-15")
    days = {day["date"]: day for day in body["days"]}
    assert len(days) == 15
    assert [p["name"] for p in days["2026-04-02"]["out"]] == ["Ada", "Bob"]
    assert days["2026-04-02"]["out"][1]["half_day"] is True and days["2026-04-02"]["out"][0]["kind"] == "sick"
    assert days["2026-04-03"]["days_off"] == [{"name": "Bridge day", "type": "company_day_off"}]
    assert days["2026-04-03"]["out"] == [] and not days["2026-04-03"]["working_day"]
    assert days["2026-04-06"]["days_off"][0]["type"] == "public_holiday"  # Easter Monday in Italy
    assert [p["name"] for p in days["2026-04-07"]["out"]] == ["Ada"]
    sales = api.get("/v1/leave/whos-out", {"department": "Sales", "from": "2026-04-02", "to": "2026-04-02"}).json()
    assert [p["name"] for p in sales["days"][0]["out"]] == ["Bob"]
    rome = api.get("/v1/leave/whos-out", {"location": "Rome", "from": "2026-04-02", "to": "2026-04-02"}).json()
    assert [p["name"] for p in rome["days"][0]["out"]] == ["Ada"]


def test_whos_out_orders_by_name_in_code_point_order_then_start_on_every_database(api, make_employee, set_today):
    set_today(date(2026, 4, 1))
    for name in ("bob", "Émile", "Zoe", "Ada"):
        person = make_employee(full_name=name)
        api.post("/v1/leave", {"employee_id": person.pk, "kind": "vacation", "start_date": "2026-04-01"})
    twin = make_employee(full_name="Ada")  # the same name: the earlier start comes first
    sick = {"employee_id": twin.pk, "kind": "sick", "start_date": "2026-03-31", "end_date": "2026-04-01"}
    api.post("/v1/leave", sick)
    out = api.get("/v1/leave/whos-out", {"from": "2026-04-01", "to": "2026-04-01"}).json()["days"][0]["out"]
    assert [(p["name"], p["kind"]) for p in out] == [
        ("Ada", "sick"),
        ("Ada", "vacation"),
        ("Zoe", "vacation"),
        ("bob", "vacation"),
        ("Émile", "vacation"),
    ]


def test_whos_out_follows_a_person_renamed_and_moved(api, make_employee, set_today):
    # Leave keeps a copy of its person's name, department and location; a change to the person
    # reaches it in the same transaction, and a refused change reaches nothing.
    set_today(date(2026, 4, 1))
    ada = make_employee(full_name="Ada", department="Engineering", location="Rome")
    api.post("/v1/leave", {"employee_id": ada.pk, "kind": "vacation", "start_date": "2026-04-01"})
    day = {"from": "2026-04-01", "to": "2026-04-01"}

    def out(**filters):
        body = api.get("/v1/leave/whos-out", {**day, **filters}).json()
        return [(p["name"], p["department"]) for p in body["days"][0]["out"]]

    moved = api.patch(f"/v1/employees/{ada.pk}", {"full_name": "Ada King", "department": "Sales", "location": "Milan"})
    assert moved.status_code == 200, moved.content
    assert out() == [("Ada King", "Sales")]
    assert out(department="Sales") == [("Ada King", "Sales")] and out(department="Engineering") == []
    assert out(location="Milan") == [("Ada King", "Sales")] and out(location="Rome") == []

    refused = api.patch(f"/v1/employees/{ada.pk}", {"full_name": "Ada Queen", "manager_id": ada.pk})
    assert refused.status_code == 422, refused.content
    assert out() == [("Ada King", "Sales")]


def test_the_migration_copies_each_persons_name_department_and_location_onto_their_leave(make_employee):
    from django.apps import apps

    from leave.models import Leave

    from ..factories import LeaveFactory

    snapshot = importlib.import_module("leave.migrations.0006_leave_employee_snapshot")
    ada = make_employee(full_name="Ada", department="Engineering", location="Rome")
    bob = make_employee(full_name="Bob", department="", location="Milan")
    for person in (ada, bob):
        LeaveFactory(employee=person)
    Leave.objects.update(employee_name="", employee_department="", employee_location="")  # as before 0006
    snapshot.copy_the_people(apps, None)
    copies = set(Leave.objects.values_list("employee_name", "employee_department", "employee_location"))
    assert copies == {("Ada", "Engineering", "Rome"), ("Bob", "", "Milan")}


def test_whos_out_shows_pending_leave_only_when_asked(api, workspace, employee, approval_mode, log_leave):
    log_leave("2026-03-02")
    window = {"from": "2026-03-02", "to": "2026-03-02"}
    assert api.get("/v1/leave/whos-out", window).json()["days"][0]["out"] == []
    pending = api.get("/v1/leave/whos-out", {**window, "include_pending": "true"}).json()["days"][0]["out"]
    assert [p["status"] for p in pending] == ["pending"]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to"),
        ({"from": "2026-01-01", "to": "2026-12-31"}, "to"),
        ({"include_pending": "yes"}, "include_pending"),
    ],
)
def test_bad_whos_out_parameters_are_400_naming_them(api, params, field):
    response = api.get("/v1/leave/whos-out", params)
    assert response.status_code == 400 and response.json()["error"]["fields"] == [field]


def test_whos_out_shows_nothing_of_another_tenant(api, employee, outsiders, log_leave, set_today):
    set_today(date(2026, 3, 1))
    log_leave("2026-03-02")
    for outsider in outsiders.values():
        days = outsider.get("/v1/leave/whos-out", {"from": "2026-03-02", "to": "2026-03-02"}).json()["days"]
        assert days[0]["out"] == []


# --- Policies ------------------------------------------------------------------------------


def test_policies_are_normalised(workspace):
    saved = workspace_update(
        workspace=workspace,
        actor=SYSTEM,
        leave_policies={
            "hours_per_day": 7.5,
            "approvers": "both",
            "kinds": {"vacation": {"accrual": "monthly", "carry_over": "capped", "carry_over_max": 5.0}},
        },
    )
    assert saved.leave_policies["kinds"]["vacation"]["carry_over_max"] == 5
    assert type(saved.leave_policies["kinds"]["vacation"]["carry_over_max"]) is int


@pytest.mark.parametrize(
    "policies",
    [
        [],
        {"colour": "red"},
        {"hours_per_day": 0},
        {"hours_per_day": 25},
        {"approvers": "anyone"},
        {"kinds": {"holiday": {}}},
        {"kinds": {"vacation": {"accrual": "weekly"}}},
        {"kinds": {"vacation": {"unit": "weeks"}}},
        {"kinds": {"vacation": {"carry_over": "capped"}}},
        {"kinds": {"vacation": {"carry_over_max": 2.25}}},
        {"kinds": {"vacation": {"carry_over_until": "31-03"}}},
        {"kinds": {"vacation": {"negative_limit": -1}}},
        {"kinds": {"vacation": {"unit": "hours", "negative_limit": 1.5}}},
        {"kinds": {"vacation": {"expires": True}}},
    ],
)
def test_a_bad_policy_is_refused_naming_leave_policies(workspace, policies):
    with pytest.raises(InvalidLeavePolicy) as raised:
        workspace_update(workspace=workspace, actor=SYSTEM, leave_policies=policies)
    assert raised.value.fields == ["leave_policies"] and domain_status(raised.value) == 400
