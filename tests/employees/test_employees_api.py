from datetime import date, timedelta

import pytest

from employees.models import Employee
from webhooks.models import Event

pytestmark = pytest.mark.django_db

NEW = {"full_name": "Ada Lovelace", "start_date": "2024-02-01", "email": "Ada@Example.test", "department": "R&D"}


def test_create_returns_201_with_the_full_resource_etag_and_location(api):
    response = api.post("/v1/employees", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("emp_") and len(body["id"]) == 30
    assert body["full_name"] == "Ada Lovelace"
    assert body["email"] == "ada@example.test"
    assert body["status"] == "active"
    assert body["version"] == 1
    assert body["custom_fields"] == {}
    assert set(body) == {
        "id",
        "full_name",
        "email",
        "role",
        "department",
        "manager_id",
        "start_date",
        "end_date",
        "location",
        "custom_fields",
        "status",
        "version",
        "created_at",
        "updated_at",
    }
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/v1/employees/{body['id']}"
    assert api.get(f"/v1/employees/{body['id']}").json() == body


def test_full_name_and_start_date_are_required_with_fields(api):
    response = api.post("/v1/employees", {"email": "x@example.test"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"
    assert set(response.json()["error"]["fields"]) == {"full_name", "start_date"}


def test_wrong_types_are_400_naming_the_field(api):
    response = api.post("/v1/employees", {**NEW, "start_date": "yesterday", "custom_fields": [1]})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"start_date", "custom_fields"}


def test_unknown_fields_are_rejected(api):
    response = api.post("/v1/employees", {**NEW, "salary": 1})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["salary"]


def test_end_date_before_start_date_is_422(api):
    response = api.post("/v1/employees", {**NEW, "end_date": "2024-01-01"})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "unprocessable_entity",
        "message": "end_date must not be before start_date.",
        "fields": ["end_date"],
        "request_id": response["X-Request-Id"],
    }


def test_manager_must_exist_in_the_same_workspace_and_environment(api, make_employee, other_workspace):
    foreign = make_employee(workspace=other_workspace)
    test_env = make_employee(environment="test")
    for manager_id in (foreign.pk, test_env.pk, "emp_01J0000000000000000000000"):
        response = api.post("/v1/employees", {**NEW, "email": None, "manager_id": manager_id})
        assert response.status_code == 422, manager_id
        assert response.json()["error"]["fields"] == ["manager_id"]


def test_an_employee_cannot_manage_themself(api, employee):
    response = api.patch(f"/v1/employees/{employee.pk}", {"manager_id": employee.pk})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == ["manager_id"]


def test_a_manager_cycle_is_422(api, make_employee):
    ceo = make_employee()
    vp = make_employee(manager=ceo)
    lead = make_employee(manager=vp)
    response = api.patch(f"/v1/employees/{ceo.pk}", {"manager_id": lead.pk})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == ["manager_id"]
    assert "cycle" in response.json()["error"]["message"]
    ceo.refresh_from_db()
    assert ceo.manager_id is None


def test_email_is_unique_per_workspace_and_environment_case_insensitively(api, make_employee, make_api):
    make_employee(email="taken@example.test")
    response = api.post("/v1/employees", {**NEW, "email": "TAKEN@example.test"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == ["email"]
    # The same address is free in the test environment and in another workspace.
    assert (
        make_api(api.workspace, "test").post("/v1/employees", {**NEW, "email": "taken@example.test"}).status_code == 201
    )


def test_patch_changes_only_the_given_fields_and_bumps_the_version(api, employee):
    response = api.patch(f"/v1/employees/{employee.pk}", {"role": "Staff Engineer", "custom_fields": {"level": 5}})
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "Staff Engineer"
    assert body["custom_fields"] == {"level": 5}
    assert body["full_name"] == employee.full_name
    assert body["version"] == 2
    assert response["ETag"] == '"2"'


def test_patch_cannot_clear_required_fields(api, employee):
    response = api.patch(f"/v1/employees/{employee.pk}", {"full_name": "", "start_date": None})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"full_name", "start_date"}


def test_a_noop_patch_keeps_the_version_and_records_nothing(api, employee):
    response = api.patch(f"/v1/employees/{employee.pk}", {"role": employee.role})
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert not Event.objects.exists()


def test_stale_if_match_is_409_and_changes_nothing(api, employee):
    assert api.patch(f"/v1/employees/{employee.pk}", {"role": "A"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = api.patch(f"/v1/employees/{employee.pk}", {"role": "B"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    employee.refresh_from_db()
    assert employee.role == "A"
    assert api.delete(f"/v1/employees/{employee.pk}", headers={"If-Match": '"1"'}).status_code == 409
    assert api.patch(f"/v1/employees/{employee.pk}", {"role": "C"}, headers={"If-Match": 'W/"2"'}).status_code == 200


def test_malformed_if_match_is_400(api, employee):
    response = api.patch(f"/v1/employees/{employee.pk}", {"role": "A"}, headers={"If-Match": "abc"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["If-Match"]


def test_delete_offboards_and_keeps_the_record(api, employee):
    response = api.delete(f"/v1/employees/{employee.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "former"
    # end_date is today in the workspace time zone (Europe/Rome), within a day of the machine date.
    assert date.fromisoformat(body["end_date"]) in {
        date.today(),
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=1),
    }
    assert Employee.objects.filter(pk=employee.pk).exists()
    assert api.get(f"/v1/employees/{employee.pk}").json()["status"] == "former"
    # Offboarding again is a no-op.
    again = api.delete(f"/v1/employees/{employee.pk}")
    assert again.status_code == 200 and again.json()["version"] == body["version"]


def test_delete_keeps_an_end_date_already_in_the_past(api, make_employee):
    person = make_employee(end_date=date(2023, 1, 31))
    body = api.delete(f"/v1/employees/{person.pk}").json()
    assert body["end_date"] == "2023-01-31"
    assert body["status"] == "former"


def test_a_future_end_date_means_active_until_then(api, make_employee):
    person = make_employee(end_date=date.today() + timedelta(days=30))
    assert api.get(f"/v1/employees/{person.pk}").json()["status"] == "active"
    body = api.delete(f"/v1/employees/{person.pk}").json()
    assert body["status"] == "former"


def test_unknown_id_is_404_in_the_envelope(api):
    response = api.get("/v1/employees/emp_01J0000000000000000000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_put_is_405(api, employee):
    response = api.client.put(f"/v1/employees/{employee.pk}", {}, format="json")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_documented_read_shape_matches_what_the_api_renders(employee):
    from employees.api.serializers import EmployeeSerializer, employee_as_dict

    assert list(EmployeeSerializer().fields) == list(employee_as_dict(employee, date.today()))
