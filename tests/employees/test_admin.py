"""HR staff edit people in the admin; every edit goes through the same services as the API."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from employees.models import Employee
from webhooks.models import Event

from ..factories import EmployeeFactory, WorkspaceFactory
from ..staff import member_client, superuser_client_in, switch_to

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:employees_employee_changelist")


def form_data(employee=None, **overrides):
    data = {
        "full_name": "Grace Hopper",
        "email": "grace@example.test",
        "role": "Rear Admiral",
        "department": "Engineering",
        "location": "Arlington",
        "manager": "",
        "start_date": "2024-01-02",
        "end_date": "",
        "custom_fields": "{}",
        "employee_set-TOTAL_FORMS": "0",
        "employee_set-INITIAL_FORMS": "0",
        "direct_reports-TOTAL_FORMS": "0",
        "direct_reports-INITIAL_FORMS": "0",
    }
    if employee is None:
        data.update(workspace="", environment="live")
    return {**data, **overrides}


@pytest.fixture
def superuser_client(workspace):
    return superuser_client_in(workspace)


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def test_adding_in_the_admin_goes_through_the_service_and_records_the_event(superuser_client, workspace):
    response = superuser_client.post(reverse("admin:employees_employee_add"), form_data(workspace=workspace.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    employee = Employee.objects.get()
    assert employee.pk.startswith("emp_")
    assert (employee.workspace, employee.environment, employee.email) == (workspace, "live", "grace@example.test")
    event = Event.objects.get()
    assert event.type == "employee.created" and event.data["id"] == employee.pk
    assert event.actor.startswith("user:")


def test_editing_in_the_admin_bumps_the_version_and_records_employee_updated(superuser_client, employee):
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    response = superuser_client.post(url, form_data(employee, full_name=employee.full_name, role="Principal"))
    assert response.status_code == 302, response.content.decode()[:3000]
    employee.refresh_from_db()
    assert (employee.role, employee.version) == ("Principal", 2)
    assert Event.objects.get().type == "employee.updated"


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"end_date": "2023-01-01"}, "end_date", "end_date must not be before start_date"),
        ({"email": "taken@example.test"}, "email", "already uses the email"),
    ],
)
def test_service_rules_show_as_form_errors_and_save_nothing(superuser_client, employee, overrides, field, message):
    EmployeeFactory(workspace=employee.workspace, email="taken@example.test")
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    response = superuser_client.post(url, form_data(employee, **overrides))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert not Event.objects.exists()


def test_a_manager_cycle_is_a_form_error(superuser_client, make_employee):
    boss = make_employee()
    report = make_employee(manager=boss)
    url = reverse("admin:employees_employee_change", args=[boss.pk])
    response = superuser_client.post(url, form_data(boss, manager=report.pk))
    assert response.status_code == 200
    assert "cycle" in response.context["adminform"].form.errors["manager"][0]


def test_the_change_page_lists_direct_reports_once_in_the_profile_card(superuser_client, make_employee):
    boss = make_employee(full_name="Boss Person")
    make_employee(full_name="Report One", manager=boss)
    page = superuser_client.get(reverse("admin:employees_employee_change", args=[boss.pk])).content.decode()
    assert "Report One" in page and "direct reports" in page.lower()
    assert page.count("Report One") == 1 and "direct_reports-TOTAL_FORMS" not in page  # no inline repeating them


def test_changelist_search_filters_and_date_hierarchy(superuser_client, make_employee):
    make_employee(full_name="Findable Person", department="Sales", start_date=date(2021, 5, 1))
    make_employee(full_name="Other Person", department="Ops", end_date=date(2022, 1, 1), start_date=date(2021, 1, 1))
    assert "Findable Person" in superuser_client.get(CHANGELIST, {"q": "findable"}).content.decode()
    sales = superuser_client.get(CHANGELIST, {"department": "Sales"}).content.decode()
    assert "Findable Person" in sales and "Other Person" not in sales
    former = superuser_client.get(CHANGELIST, {"status": "former"}).content.decode()
    assert "Other Person" in former and "Findable Person" not in former
    assert superuser_client.get(CHANGELIST, {"start_date__year": "2021"}).status_code == 200


def test_offboard_action_uses_the_service(superuser_client, employee):
    response = superuser_client.post(CHANGELIST, {"action": "offboard", "_selected_action": [employee.pk]})
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.end_date is not None
    assert Event.objects.get().type == "employee.offboarded"


def test_employees_cannot_be_deleted_in_the_admin(superuser_client, employee):
    response = superuser_client.get(reverse("admin:employees_employee_delete", args=[employee.pk]))
    assert response.status_code == 403
    assert Employee.objects.filter(pk=employee.pk).exists()


def test_staff_see_only_the_workspaces_they_belong_to(hr_client, employee):
    outsider = EmployeeFactory(workspace=WorkspaceFactory(), full_name="Hidden Outsider")
    page = hr_client.get(CHANGELIST).content.decode()
    assert employee.full_name in page and "Hidden Outsider" not in page
    assert hr_client.get(reverse("admin:employees_employee_change", args=[outsider.pk])).status_code == 302
    response = hr_client.post(
        reverse("admin:employees_employee_change", args=[outsider.pk]), form_data(outsider, role="Hacked")
    )
    outsider.refresh_from_db()
    assert outsider.role != "Hacked"
    assert response.status_code in (302, 404)


def test_the_workspace_filter_names_only_the_staff_users_workspaces(hr_client, employee):
    WorkspaceFactory(name="Secret Rival Corp")
    page = hr_client.get(CHANGELIST).content.decode()
    assert employee.workspace.name in page
    assert "Secret Rival Corp" not in page


def test_clearing_custom_fields_in_the_admin_stores_an_empty_object(superuser_client, employee):
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    data = form_data(employee, full_name=employee.full_name, email=employee.email, custom_fields="")
    response = superuser_client.post(url, data)
    assert response.status_code in (200, 302)
    employee.refresh_from_db()
    assert employee.custom_fields == {}


def test_the_status_filter_uses_each_workspaces_today(superuser_client, monkeypatch):
    from tests.helpers import DEFAULT_NOW, freeze_workspace_clock

    freeze_workspace_clock(monkeypatch)  # 2024-05-15 10:30 UTC: already 2024-05-16 in Kiritimati
    kiritimati = WorkspaceFactory(timezone="Pacific/Kiritimati")
    pago_pago = WorkspaceFactory(timezone="Pacific/Pago_Pago")  # still 2024-05-14
    assert DEFAULT_NOW.date().isoformat() == "2024-05-15"
    EmployeeFactory(workspace=kiritimati, full_name="Left Today Kiritimati", end_date=date(2024, 5, 16))
    EmployeeFactory(workspace=pago_pago, full_name="Leaves Soon Pago", end_date=date(2024, 5, 15))
    switch_to(superuser_client, kiritimati)
    assert "Left Today Kiritimati" in superuser_client.get(CHANGELIST, {"status": "former"}).content.decode()
    assert "Left Today Kiritimati" not in superuser_client.get(CHANGELIST, {"status": "active"}).content.decode()
    switch_to(superuser_client, pago_pago)
    assert "Leaves Soon Pago" in superuser_client.get(CHANGELIST, {"status": "active"}).content.decode()
    assert "Leaves Soon Pago" not in superuser_client.get(CHANGELIST, {"status": "former"}).content.decode()


def test_the_admin_carries_pulsehr_branding(superuser_client):
    page = superuser_client.get(reverse("admin:index")).content.decode()
    assert "PulseHR" in page
    assert "<title>Site administration | PulseHR</title>" in page or "| PulseHR</title>" in page


def test_the_login_page_carries_pulsehr_branding(db):
    response = Client().get(reverse("admin:login"))
    assert response.status_code == 200 and "PulseHR" in response.content.decode()


def test_a_rule_that_fails_at_save_time_is_a_message_not_a_500(superuser_client, employee, monkeypatch):
    """As when another write wins a race between the form's validation and the save."""
    from employees import services
    from pulsehr.errors import RuleViolation

    def lose_the_race(**kwargs):
        raise RuleViolation("Another employee already uses the email grace@example.test.", fields=["email"])

    monkeypatch.setattr(services, "employee_update", lose_the_race)
    url = reverse("admin:employees_employee_change", args=[employee.pk])
    response = superuser_client.post(url, form_data(employee, role="Principal"), follow=True)
    assert response.status_code == 200
    assert "Nothing was saved: Another employee already uses the email" in response.content.decode()
    employee.refresh_from_db()
    assert employee.role == "Engineer" and not Event.objects.exists()
