"""HR staff work with leave in the admin; every change goes through the leave services."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from leave.models import CompanyDayOff, Leave
from leave.services import leave_reject
from pulsehr.tenancy.context import Actor, Tenant
from webhooks.models import Event

from ..factories import CompanyDayOffFactory, EmployeeFactory, LeaveFactory, WorkspaceFactory
from ..staff import logged_in, member_client, switch_to

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:leave_leave_changelist")
ADD = reverse("admin:leave_leave_add")


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("root", "root@example.test", "pw")


@pytest.fixture
def superuser_client(admin_user, workspace):
    client = logged_in(admin_user)
    switch_to(client, workspace)
    return client


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


@pytest.fixture
def approval_mode(workspace):
    workspace.leave_approval_required = True
    workspace.save()
    return workspace


def act(client, action, *leave):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [item.pk for item in leave]}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Approval mode ------------------------------------------------------------------------


def test_approve_action_approves_pending_leave_and_records_leave_approved(
    superuser_client, admin_user, approval_mode, log_leave
):
    pending = log_leave("2026-03-02", "2026-03-06").json()
    assert pending["status"] == "pending"
    response = act(superuser_client, "approve", Leave.objects.get(pk=pending["id"]))
    assert "Approved 1 leave record(s)." in messages_of(response)
    leave = Leave.objects.get(pk=pending["id"])
    assert (leave.status, leave.version, leave.decided_by) == ("approved", 2, f"user:{admin_user.pk}")
    assert leave.decided_at is not None
    event = Event.objects.get(type="leave.approved")
    assert event.data["status"] == "approved" and event.data["decided_by"] == {
        "type": "user",
        "id": str(admin_user.pk),
        "name": admin_user.get_username(),
    }
    assert event.actor == f"user:{admin_user.pk}"


def test_reject_action_rejects_pending_leave_records_leave_rejected_and_frees_the_dates(
    superuser_client, approval_mode, log_leave
):
    pending = log_leave("2026-03-02", "2026-03-06").json()
    act(superuser_client, "reject", Leave.objects.get(pk=pending["id"]))
    assert Leave.objects.get(pk=pending["id"]).status == "rejected"
    assert Event.objects.get(type="leave.rejected").data["id"] == pending["id"]
    assert log_leave("2026-03-02", "2026-03-06").status_code == 201


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("status", ["approved", "rejected", "cancelled"])
def test_only_pending_leave_can_be_decided(superuser_client, employee, action, status):
    leave = LeaveFactory(employee=employee, status=status)
    response = act(superuser_client, action, leave)
    assert any("only pending leave" in text for text in messages_of(response))
    leave.refresh_from_db()
    assert (leave.status, leave.version) == (status, 1)
    assert not Event.objects.exists()


def test_a_mixed_selection_decides_the_pending_and_reports_the_rest(superuser_client, employee, make_employee):
    pending = LeaveFactory(employee=employee, status="pending")
    approved = LeaveFactory(employee=make_employee(), status="approved")
    response = act(superuser_client, "approve", pending, approved)
    texts = messages_of(response)
    assert "Approved 1 leave record(s)." in texts
    assert any(approved.pk in text and "is approved" in text for text in texts)
    assert list(Event.objects.values_list("type", flat=True)) == ["leave.approved"]


def test_approved_leave_decided_in_the_admin_shows_in_the_api(superuser_client, api, approval_mode, log_leave):
    pending = log_leave("2026-03-02").json()
    act(superuser_client, "approve", Leave.objects.get(pk=pending["id"]))
    shown = api.get(f"/v1/leave/{pending['id']}")
    assert shown.json()["status"] == "approved" and shown["ETag"] == '"2"'
    assert shown.json()["decided_at"] is not None


# --- Cancel -------------------------------------------------------------------------------


def test_cancel_action_cancels_through_the_service(superuser_client, employee):
    leave = LeaveFactory(employee=employee, status="pending")
    act(superuser_client, "cancel", leave)
    leave.refresh_from_db()
    assert leave.status == "cancelled"
    assert Event.objects.get().type == "leave.cancelled"
    act(superuser_client, "cancel", leave)  # again: a no-op
    assert Event.objects.count() == 1


# --- Adding leave -------------------------------------------------------------------------


def form(employee, **overrides):
    data = {"employee": employee.pk, "kind": "vacation", "start_date": "2026-03-02", "end_date": "2026-03-06"}
    return {**data, "note": "", **overrides}


def test_adding_leave_in_the_admin_runs_the_service(superuser_client, admin_user, employee):
    response = superuser_client.post(ADD, form(employee, note="Booked by HR"))
    assert response.status_code == 302, response.content.decode()[:3000]
    leave = Leave.objects.get()
    assert (leave.workspace, leave.environment, leave.employee) == (employee.workspace, "live", employee)
    assert (leave.days, leave.status, leave.note) == (Decimal(5), "approved", "Booked by HR")
    event = Event.objects.get()
    assert (event.type, event.actor, event.data["id"]) == ("leave.logged", f"user:{admin_user.pk}", leave.pk)


def test_leave_added_in_the_admin_is_pending_in_approval_mode(superuser_client, approval_mode, employee):
    superuser_client.post(ADD, form(employee, half_day="on", end_date="2026-03-02"))
    leave = Leave.objects.get()
    assert (leave.status, leave.days, leave.half_day) == ("pending", Decimal("0.5"), True)


def test_a_test_environment_employee_gets_test_leave(superuser_client, make_employee):
    person = make_employee(environment="test")
    assert "Select a valid choice" in str(superuser_client.post(ADD, form(person)).context["adminform"].form.errors)
    switch_to(superuser_client, environment="test")
    superuser_client.post(ADD, form(person))
    assert Leave.objects.get().environment == "test"


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"start_date": "2026-03-04"}, "start_date", "overlaps"),
        ({"start_date": "2026-03-07", "end_date": "2026-03-08"}, "start_date", "no working day"),
        ({"end_date": "2026-02-27"}, "end_date", "must not be before"),
        ({"half_day": "on"}, "half_day", "single day"),
        ({"end_date": "2026-04-01"}, "end_date", "last day"),
    ],
)
def test_service_rules_show_as_form_errors_and_save_nothing(superuser_client, make_employee, overrides, field, message):
    person = make_employee(end_date=date(2026, 3, 31))
    LeaveFactory(employee=person, start_date=date(2026, 3, 4), end_date=date(2026, 3, 4))
    dates = {"start_date": "2026-03-09", "end_date": "2026-03-10"}
    response = superuser_client.post(ADD, form(person, **{**dates, **overrides}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in errors[field][0], errors
    assert Leave.objects.count() == 1 and not Event.objects.exists()


# --- Lists, pages, permissions -------------------------------------------------------------


def test_changelist_filters_search_and_date_hierarchy(superuser_client, make_employee):
    ada, bob = make_employee(full_name="Ada Lovelace"), make_employee(full_name="Bob Builder")
    LeaveFactory(employee=ada, status="pending", note="Analytical engine conference")
    LeaveFactory(employee=bob, kind="sick", start_date=date(2025, 11, 3))
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "Ada Lovelace" in page and "Bob Builder" in page and "Pending (awaiting decision)" in page
    pending = superuser_client.get(CHANGELIST, {"status": "pending"}).content.decode()
    assert "Ada Lovelace" in pending and "Bob Builder" not in pending
    sick = superuser_client.get(CHANGELIST, {"kind": "sick"}).content.decode()
    assert "Bob Builder" in sick and "Ada Lovelace" not in sick
    assert "Ada Lovelace" in superuser_client.get(CHANGELIST, {"q": "engine"}).content.decode()
    assert "Bob Builder" in superuser_client.get(CHANGELIST, {"q": "builder"}).content.decode()
    by_year = superuser_client.get(CHANGELIST, {"start_date__year": "2025"}).content.decode()
    assert "Bob Builder" in by_year and "Ada Lovelace" not in by_year
    # The environment is the header's choice; the list answers no lookup it does not declare.
    assert superuser_client.get(CHANGELIST, {"environment": "test"}).status_code == 400


def test_leave_cannot_be_deleted_or_edited_in_the_admin(superuser_client, employee):
    leave = LeaveFactory(employee=employee, note="Original")
    assert superuser_client.get(reverse("admin:leave_leave_delete", args=[leave.pk])).status_code == 403
    assert "delete_selected" not in superuser_client.get(CHANGELIST).content.decode()
    change = reverse("admin:leave_leave_change", args=[leave.pk])
    page = superuser_client.get(change)
    assert page.status_code == 200 and "Original" in page.content.decode()
    assert superuser_client.post(change, {"note": "Edited"}).status_code == 403
    leave.refresh_from_db()
    assert leave.note == "Original" and Leave.objects.filter(pk=leave.pk).exists()


def test_staff_see_and_book_only_their_workspaces_people(hr_client, employee):
    outsider = EmployeeFactory(workspace=WorkspaceFactory(), full_name="Hidden Outsider")
    LeaveFactory(employee=employee)
    hidden = LeaveFactory(employee=outsider)
    page = hr_client.get(CHANGELIST).content.decode()
    assert employee.full_name in page and "Hidden Outsider" not in page
    assert hr_client.get(reverse("admin:leave_leave_change", args=[hidden.pk])).status_code == 302
    response = hr_client.post(ADD, form(outsider))
    assert response.status_code == 200 and "employee" in response.context["adminform"].form.errors
    act(hr_client, "cancel", hidden)
    hidden.refresh_from_db()
    assert hidden.status == "approved"
    assert hr_client.post(ADD, form(employee, start_date="2026-05-04", end_date="2026-05-05")).status_code == 302


# --- Company days off ---------------------------------------------------------------------


def test_company_days_off_are_kept_in_the_admin_by_date(superuser_client, workspace):
    add = reverse("admin:leave_companydayoff_add")
    data = {"workspace": workspace.pk, "date": "2026-08-14", "name": "Summer shutdown"}
    assert superuser_client.post(add, data).status_code == 302
    CompanyDayOffFactory(workspace=workspace, date=date(2026, 1, 2), name="Bridge day")
    page = superuser_client.get(reverse("admin:leave_companydayoff_changelist")).content.decode()
    rows = page[page.index('id="result_list"') :]
    assert rows.index("Bridge day") < rows.index("Summer shutdown")
    duplicate = superuser_client.post(add, {**data, "name": "Again"})
    assert duplicate.status_code == 200 and CompanyDayOff.objects.count() == 2


def test_staff_see_only_their_workspaces_days_off(hr_client, workspace):
    CompanyDayOffFactory(workspace=workspace, name="Ours")
    CompanyDayOffFactory(workspace=WorkspaceFactory(), name="Theirs")
    page = hr_client.get(reverse("admin:leave_companydayoff_changelist")).content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_the_record_page_names_who_decided_rather_than_their_actor_id(
    superuser_client, admin_user, api, approval_mode, log_leave
):
    admin_user.first_name, admin_user.last_name = "Rita", "Root"
    admin_user.save()
    by_staff = Leave.objects.get(pk=log_leave("2026-03-02", "2026-03-03").json()["id"])
    act(superuser_client, "approve", by_staff)
    by_key = Leave.objects.get(pk=log_leave("2026-03-09", "2026-03-10").json()["id"])
    leave_reject(tenant=Tenant(approval_mode, "live"), leave=by_key, actor=Actor.for_key(api.key))

    staff_page = superuser_client.get(reverse("admin:leave_leave_change", args=[by_staff.pk])).content.decode()
    key_page = superuser_client.get(reverse("admin:leave_leave_change", args=[by_key.pk])).content.decode()

    assert "Decided by" in staff_page and "Rita Root" in staff_page and f"user:{admin_user.pk}" not in staff_page
    assert f"API key {api.key.pk}" in key_page and f"api_key:{api.key.pk}" not in key_page


def test_the_list_is_titled_and_counted_as_hr_speaks(superuser_client, employee):
    for day in ("2026-03-02", "2026-03-04", "2026-03-06"):
        LeaveFactory(employee=employee, start_date=day)
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "<h1>Leave requests</h1>" in page and "Select leave" not in page
    assert "3 leave requests" in page
