"""CSV import of employees and CSV export of lists in the admin. An import obeys exactly the
API's rules (the same serializer and service), records employee.created for each person as the
API does, goes into the current workspace environment, and is all or nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employees.api.serializers import employee_as_dict
from employees.models import Employee
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.services import api_key_create
from webhooks import services as webhook_services
from webhooks.models import Event, WebhookEndpoint

from ..factories import EmployeeFactory, WorkspaceFactory
from ..staff import member_client, switch_to

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:employees_employee_import")
EXPORT = reverse("admin:employees_employee_export")
CHANGELIST = reverse("admin:employees_employee_changelist")
HEADER = "full_name,email,role,department,location,manager,start_date,end_date,custom_fields"


def upload(client, *lines: str, header: str = HEADER):
    content = "\n".join([header, *lines]).encode()
    return client.post(IMPORT, {"import_file": SimpleUploadedFile("people.csv", content), "format": "0"})


def exported_rows(response) -> list[dict]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def hr(workspace):
    return member_client(workspace, "hr")


def test_a_good_file_creates_everyone_with_their_events_in_the_current_environment(hr, workspace, employee):
    switch_to(hr, environment="test")
    form = hr.get(IMPORT)
    assert form.status_code == 200 and "manager" in form.content.decode()  # the page lists the columns
    existing_boss = EmployeeFactory(workspace=workspace, environment="test", email="boss@example.test")
    response = upload(
        hr,
        "Ada Lovelace,ADA@example.test,Engineer,Research,London,boss@example.test,2024-01-02,,",
        "Charles Babbage,charles@example.test,Inventor,Research,London,ada@example.test,2024-02-01,,"
        '"{""team"": ""engine""}"',
        f"Alan Turing,,,,,{existing_boss.pk},2024-03-01,2024-12-31,",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    imported = {person.full_name: person for person in Employee.objects.filter(environment="test")}
    ada, charles, alan = imported["Ada Lovelace"], imported["Charles Babbage"], imported["Alan Turing"]
    assert all((p.workspace, p.environment) == (workspace, "test") for p in (ada, charles, alan))
    assert (ada.email, ada.manager, charles.manager, alan.manager) == (
        "ada@example.test",
        existing_boss,
        ada,
        existing_boss,
    )
    assert charles.custom_fields == {"team": "engine"} and str(alan.end_date) == "2024-12-31"
    events = Event.objects.filter(type="employee.created").order_by("created_at")
    assert [event.data["id"] for event in events] == [ada.pk, charles.pk, alan.pk]
    tenant = Tenant(workspace, "test")
    for event, person in zip(events, (ada, charles, alan), strict=True):
        assert (event.workspace, event.environment) == (workspace, "test")
        assert event.actor.startswith("user:")
        assert event.data == employee_as_dict(Employee.objects.get(pk=person.pk), tenant.today())
    messages = [str(message) for message in hr.get(CHANGELIST).context["messages"]]
    assert any("3 new" in message for message in messages)


def test_one_bad_row_imports_nothing_and_the_report_names_each_row_and_field(hr, workspace):
    EmployeeFactory(workspace=workspace, email="taken@example.test")
    response = upload(
        hr,
        "Good Person,good@example.test,,,,,2024-01-02,,",
        "Bad Email,not-an-email,,,,,2024-01-02,,",
        "Backwards,back@example.test,,,,,2024-05-01,2024-04-01,",
        "Taken,taken@example.test,,,,,2024-01-02,,",
        "No Boss,,,,,nobody@example.test,2024-01-02,,",
        ",nameless@example.test,,,,,,,{broken",
    )
    assert response.status_code == 200
    invalid = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert set(invalid) == {2, 3, 4, 5, 6}
    assert "valid email" in invalid[2]["email"][0]
    assert "end_date must not be before start_date" in invalid[3]["end_date"][0]
    assert "already uses the email" in invalid[4]["email"][0]
    assert "nobody@example.test" in invalid[5]["manager"][0]
    assert {"full_name", "start_date", "custom_fields"} <= set(invalid[6])
    page = response.content.decode()
    assert "Some rows failed to validate" in page and "not-an-email" in page
    assert not Employee.objects.filter(email__in=["good@example.test", "back@example.test"]).exists()
    assert Employee.objects.count() == 1 and not Event.objects.exists()


def test_a_refused_upload_lists_the_columns_again_and_writes_out_each_rows_errors(hr):
    response = upload(hr, "Good Person,good@example.test,,,,,2024-01-02,,", "Bad Email,not-an-email,,,,,2024-01-02,,")

    assert response.status_code == 200 and response.context["result"].has_validation_errors()
    page = response.content.decode()
    columns = page.split("This importer will import the following fields:")[1].split("</code>")[0]
    assert "full_name" in columns and "manager" in columns
    errors = page.split('<ol class="pulsehr-import-errors"')[1].split("</ol>")[0]
    assert "<strong>Row 2</strong>" in errors and "<strong>email</strong>: Enter a valid email address." in errors
    assert "validation-error-container" not in page  # not the hover-only popup


def test_the_file_cannot_choose_the_workspace_or_environment(hr, workspace):
    rival = WorkspaceFactory()
    header = HEADER + ",workspace,environment,id"
    response = upload(hr, f"Grace Hopper,grace@example.test,,,,,2024-01-02,,,{rival.pk},test,emp_forged", header=header)
    assert response.status_code == 302
    grace = Employee.objects.get(email="grace@example.test")
    assert (grace.workspace, grace.environment) == (workspace, "live") and grace.pk != "emp_forged"


def test_a_manager_in_another_tenant_is_unknown(hr, workspace):
    EmployeeFactory(workspace=workspace, environment="test", email="testboss@example.test")
    response = upload(hr, "Grace Hopper,,,,,testboss@example.test,2024-01-02,,")
    assert response.status_code == 200
    assert "manager" in response.context["result"].invalid_rows[0].error_dict
    assert not Event.objects.exists()


def test_viewers_cannot_import(workspace):
    viewer = member_client(workspace, "viewer")
    assert viewer.get(IMPORT).status_code == 403
    assert upload(viewer, "Grace Hopper,,,,,,2024-01-02,,").status_code == 403
    assert 'class="import_link"' not in viewer.get(CHANGELIST).content.decode()
    assert not Employee.objects.exists()


def test_the_two_step_confirm_route_is_closed(hr):
    response = hr.post(
        reverse("admin:employees_employee_process_import"),
        {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"},
    )
    assert response.status_code == 403


def test_export_holds_the_filtered_current_tenant_rows_for_viewers_too(workspace):
    boss = EmployeeFactory(workspace=workspace, full_name="Boss Person", email="boss@example.test", department="Ops")
    EmployeeFactory(workspace=workspace, full_name="Sales Person", department="Sales", manager=boss)
    EmployeeFactory(workspace=workspace, environment="test", full_name="Test Person", department="Sales")
    EmployeeFactory(workspace=WorkspaceFactory(), full_name="Rival Person", department="Sales")
    viewer = member_client(workspace, "viewer")
    assert 'class="export_link"' in viewer.get(CHANGELIST).content.decode()
    rows = exported_rows(viewer.get(EXPORT))
    assert {row["full_name"] for row in rows} == {"Boss Person", "Sales Person"}
    sales = exported_rows(viewer.get(EXPORT, {"department": "Sales"}))
    assert [(row["full_name"], row["manager"], row["status"]) for row in sales] == [
        ("Sales Person", "boss@example.test", "active")
    ]
    assert list(sales[0]) == ["id", *HEADER.split(","), "status", "version", "created_at", "updated_at"]


def test_an_exported_file_imports_back_as_new_people(hr, workspace):
    EmployeeFactory(workspace=workspace, full_name="Round Trip", email="trip@example.test")
    exported = hr.get(EXPORT).content
    other = WorkspaceFactory()
    hr_elsewhere = member_client(other, "hr")
    response = hr_elsewhere.post(IMPORT, {"import_file": SimpleUploadedFile("people.csv", exported), "format": "0"})
    assert response.status_code == 302
    assert Employee.objects.get(workspace=other).email == "trip@example.test"


def test_exports_never_carry_secrets(hr, workspace):
    _key, secret = api_key_create(workspace=workspace, environment="live", scopes="read:*")
    endpoint = webhook_services.endpoint_create(
        tenant=Tenant(workspace, "live"), url="https://hooks.example.com/x", enabled_events=["*"]
    )
    keys = hr.get(reverse("admin:tenancy_apikey_export"))
    endpoints = hr.get(reverse("admin:webhooks_webhookendpoint_export"))
    assert "hashed_key" not in exported_rows(keys)[0] and ApiKey.objects.get().hashed_key not in keys.content.decode()
    assert secret not in keys.content.decode()
    assert "secret" not in exported_rows(endpoints)[0] and endpoint.secret not in endpoints.content.decode()
    assert WebhookEndpoint.objects.get().secret == endpoint.secret
