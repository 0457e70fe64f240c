"""HR staff post entries on someone's behalf in the admin, through the same service as the
API; entries are read-only there once posted."""

from datetime import date

import pytest
from django.urls import reverse

from statuslog.models import StatusLogEntry
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.staff import member_client, superuser_client_in, switch_to
from webhooks.models import Event

pytestmark = pytest.mark.django_db

ADD = reverse("admin:statuslog_statuslogentry_add")
CHANGELIST = reverse("admin:statuslog_statuslogentry_changelist")


def form_data(employee, **overrides):
    data = {
        "employee": employee.pk,
        "date": "2024-05-14",
        "topic": "Infra",
        "line_1": "Shipped the importer.",
        "line_2": "",
        "line_3": "Reviewing the payroll export.",
    }
    return {**data, **overrides}


@pytest.fixture
def superuser_client(workspace):
    return superuser_client_in(workspace)


@pytest.fixture
def hr_client(workspace):
    return member_client(workspace, "hr")


def entry_for(employee, day=date(2024, 5, 10), **fields):
    return StatusLogEntry.objects.create(
        workspace=employee.workspace,
        environment=employee.environment,
        employee=employee,
        date=day,
        lines=fields.pop("lines", ["Did a thing"]),
        **fields,
    )


def test_adding_goes_through_the_service_and_records_the_event(superuser_client, employee):
    response = superuser_client.post(ADD, form_data(employee))
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = StatusLogEntry.objects.get()
    assert entry.pk.startswith("sl_")
    assert (entry.employee, entry.date, entry.topic) == (employee, date(2024, 5, 14), "Infra")
    assert entry.lines == ["Shipped the importer.", "Reviewing the payroll export."]  # the blank box is skipped
    event = Event.objects.get()
    assert event.type == "status_log.posted" and event.data["id"] == entry.pk
    assert event.data["lines"] == entry.lines
    assert event.actor.startswith("user:")


def test_a_blank_date_means_today_in_the_workspace_time_zone(superuser_client, employee):
    assert superuser_client.post(ADD, form_data(employee, date="")).status_code == 302
    assert StatusLogEntry.objects.get().date == date(2024, 5, 15)


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"date": "2024-05-10"}, "date", "already posted"),
        ({"date": "2024-05-16"}, "date", "in the future"),
        ({"date": "2020-01-01"}, "date", "started on"),
        ({"line_1": ""}, "line_1", "required"),
        ({"line_1": "x" * 281}, "line_1", "at most 280"),
        ({"topic": "t" * 101}, "topic", "at most 100"),
    ],
)
def test_service_rules_show_as_form_errors_and_save_nothing(superuser_client, employee, overrides, field, message):
    entry_for(employee)
    response = superuser_client.post(ADD, form_data(employee, **overrides))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    assert StatusLogEntry.objects.count() == 1
    assert not Event.objects.exists()


def test_a_former_employee_is_a_form_error(superuser_client, make_employee):
    gone = make_employee(end_date=date(2024, 4, 30))
    response = superuser_client.post(ADD, form_data(gone, date="2024-04-02"))
    assert response.status_code == 200
    assert "former employee" in response.context["adminform"].form.errors["employee"][0]
    assert not StatusLogEntry.objects.exists()


def test_an_employee_of_another_environment_is_a_form_error(superuser_client, employee):
    switch_to(superuser_client, environment="test")
    response = superuser_client.post(ADD, form_data(employee))
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["adminform"].form.errors["employee"][0]
    assert not Event.objects.exists()


def test_the_changelist_shows_name_date_lines_and_topic_and_searches_and_filters(superuser_client, make_employee):
    ada, grace = make_employee(full_name="Ada Lovelace"), make_employee(full_name="Grace Hopper")
    entry_for(ada, lines=["Analytical engine notes", "Second line"], topic="Research")
    entry_for(grace, day=date(2023, 12, 1), topic="Compilers")
    page = superuser_client.get(CHANGELIST).content.decode()
    assert "Ada Lovelace" in page and "Analytical engine notes · Second line" in page and "Research" in page
    assert "Grace Hopper" in superuser_client.get(CHANGELIST, {"q": "hopper"}).content.decode()
    assert "Ada Lovelace" not in superuser_client.get(CHANGELIST, {"q": "hopper"}).content.decode()
    assert "Grace Hopper" in superuser_client.get(CHANGELIST, {"q": "compilers"}).content.decode()
    research = superuser_client.get(CHANGELIST, {"topic": "Research"}).content.decode()
    assert "Ada Lovelace" in research and "Grace Hopper" not in research
    in_2023 = superuser_client.get(CHANGELIST, {"date__year": "2023"}).content.decode()
    assert "Grace Hopper" in in_2023 and "Ada Lovelace" not in in_2023
    # The environment is the header's choice; the list answers no lookup it does not declare.
    assert superuser_client.get(CHANGELIST, {"environment": "test"}).status_code == 400


def test_an_entry_is_read_only_once_posted(superuser_client, employee):
    entry = entry_for(employee, lines=["Original line"])
    url = reverse("admin:statuslog_statuslogentry_change", args=[entry.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200 and "Original line" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.post(url, {**form_data(employee), "line_1": "Edited"}).status_code == 403
    assert superuser_client.get(reverse("admin:statuslog_statuslogentry_delete", args=[entry.pk])).status_code == 403
    entry.refresh_from_db()
    assert entry.lines == ["Original line"]


def test_staff_see_and_post_only_in_the_workspaces_they_belong_to(hr_client, employee):
    outsider = EmployeeFactory(workspace=WorkspaceFactory(), full_name="Hidden Outsider")
    entry_for(employee)
    entry_for(outsider)
    page = hr_client.get(CHANGELIST).content.decode()
    assert employee.full_name in page and "Hidden Outsider" not in page
    response = hr_client.post(ADD, form_data(outsider))
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"employee"}
    assert StatusLogEntry.objects.count() == 2
    assert hr_client.post(ADD, form_data(employee)).status_code == 302


def test_the_add_page_offers_one_box_per_line_and_an_optional_date(superuser_client):
    page = superuser_client.get(ADD)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert {"line_1", "line_2", "line_3", "employee", "date", "topic"} <= set(form.fields)
    assert form.fields["line_1"].required and not form.fields["line_2"].required
    assert not form.fields["date"].required
