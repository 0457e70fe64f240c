"""HR staff record check-ins on someone's behalf in the admin, through the same service as
the API; check-ins are read-only there once recorded."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.staff import member_client, superuser_client_in
from webhooks.models import Event
from workload.models import WorkloadCheckin

pytestmark = pytest.mark.django_db

ADD = reverse("admin:workload_workloadcheckin_add")
CHANGELIST = reverse("admin:workload_workloadcheckin_changelist")


def form_data(employee, **overrides):
    data = {
        "employee": employee.pk,
        "week_start": "2024-05-06",
        "level": "heavy",
    }
    return {**data, **overrides}


@pytest.fixture
def superuser_client(workspace):
    return superuser_client_in(workspace)


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def checkin_for(employee, week=date(2024, 4, 29), level="light"):
    return WorkloadCheckin.objects.create(
        workspace=employee.workspace, environment=employee.environment, employee=employee, week_start=week, level=level
    )


def test_adding_goes_through_the_service_and_records_the_event(superuser_client, employee):
    response = superuser_client.post(ADD, form_data(employee))
    assert response.status_code == 302, response.content.decode()[:3000]
    checkin = WorkloadCheckin.objects.get()
    assert checkin.pk.startswith("wl_")
    assert (checkin.employee, checkin.week_start, checkin.level) == (employee, date(2024, 5, 6), "heavy")
    event = Event.objects.get()
    assert event.type == "workload.recorded" and event.data["id"] == checkin.pk
    assert event.actor.startswith("user:")


def test_a_blank_week_means_the_current_week_in_the_workspace_time_zone(superuser_client, employee):
    assert superuser_client.post(ADD, form_data(employee, week_start="")).status_code == 302
    assert WorkloadCheckin.objects.get().week_start == date(2024, 5, 13)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"week_start": "2024-04-29"}, "week_start", "already checked in"),
        ({"week_start": "2024-05-08"}, "week_start", "must be a Monday"),
        ({"week_start": "2024-05-20"}, "week_start", "has not started"),
        ({"week_start": "2020-01-06"}, "week_start", "started on"),
        ({"level": "exhausted"}, "level", "not one of the available choices"),
    ],
)
def test_service_rules_show_as_form_errors_and_save_nothing(superuser_client, employee, overrides, field, message):
    checkin_for(employee)
    response = superuser_client.post(ADD, form_data(employee, **overrides))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert WorkloadCheckin.objects.count() == 1
    assert not Event.objects.exists()


def test_a_former_employee_is_a_form_error(superuser_client, make_employee):
    gone = make_employee(end_date=date(2024, 4, 30))
    response = superuser_client.post(ADD, form_data(gone, week_start="2024-04-22"))
    assert response.status_code == 200
    assert "former employee" in response.context["adminform"].form.errors["employee"][0]
    assert not WorkloadCheckin.objects.exists()


def test_the_changelist_shows_name_week_and_level_and_searches_and_filters(superuser_client, make_employee):
    ada, grace = make_employee(full_name="Ada Lovelace"), make_employee(full_name="Grace Hopper")
    checkin_for(ada, level="overloaded")
    checkin_for(grace, week=date(2023, 12, 4), level="light")
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "Ada Lovelace" in page and "Overloaded" in page and "April 29, 2024" in page
    found = superuser_client.get(CHANGELIST, {"q": "lovelace"}).content.decode()
    assert "Ada Lovelace" in found and "Grace Hopper" not in found
    overloaded = superuser_client.get(CHANGELIST, {"level__exact": "overloaded"}).content.decode()
    assert "Ada Lovelace" in overloaded and "Grace Hopper" not in overloaded
    in_2023 = superuser_client.get(CHANGELIST, {"week_start__year": "2023"}).content.decode()
    assert "Grace Hopper" in in_2023 and "Ada Lovelace" not in in_2023


def test_a_check_in_is_read_only_once_recorded(superuser_client, employee):
    checkin = checkin_for(employee)
    url = reverse("admin:workload_workloadcheckin_change", args=[checkin.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url, form_data(employee, level="overloaded")).status_code == 403
    assert superuser_client.get(reverse("admin:workload_workloadcheckin_delete", args=[checkin.pk])).status_code == 403
    checkin.refresh_from_db()
    assert checkin.level == "light"


def test_staff_see_and_record_only_in_the_workspaces_they_belong_to(hr_client, employee):
    outsider = EmployeeFactory(workspace=WorkspaceFactory(), full_name="Hidden Outsider")
    checkin_for(employee)
    checkin_for(outsider)
    page = hr_client.get(CHANGELIST).content.decode()
    assert employee.full_name in page and "Hidden Outsider" not in page
    response = hr_client.post(ADD, form_data(outsider))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"employee"}
    assert WorkloadCheckin.objects.count() == 2
    assert hr_client.post(ADD, form_data(employee)).status_code == 302


def test_the_add_page_offers_the_levels_and_an_optional_week(superuser_client):
    page = superuser_client.get(ADD)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert [value for value, _ in form.fields["level"].choices if value] == ["light", "balanced", "heavy", "overloaded"]
    assert not form.fields["week_start"].required
