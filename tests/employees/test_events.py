"""The outbox: every change records its event in the same transaction; a failed change
records none."""

import pytest

from webhooks.models import Event

pytestmark = pytest.mark.django_db

BODY = {"full_name": "Eve", "start_date": "2024-01-01"}


def test_create_records_employee_created_with_the_resource_as_get_returns_it(api):
    created = api.post("/v1/employees", BODY).json()
    event = Event.objects.get()
    assert event.type == "employee.created"
    assert event.pk.startswith("evt_")
    assert event.data == created
    assert event.actor == f"api_key:{api.key.pk}"
    assert event.data == created


def test_update_records_employee_updated_with_the_new_state(api, employee):
    updated = api.patch(f"/v1/employees/{employee.pk}", {"department": "Ops"}).json()
    event = Event.objects.get()
    assert event.type == "employee.updated"
    assert event.data == updated == api.get(f"/v1/employees/{employee.pk}").json()


def test_delete_records_employee_offboarded(api, employee):
    offboarded = api.delete(f"/v1/employees/{employee.pk}").json()
    event = Event.objects.get()
    assert (event.type, event.data) == ("employee.offboarded", offboarded)


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("post", "/v1/employees", {"full_name": "X", "start_date": "2024-01-02", "end_date": "2024-01-01"}),
        ("post", "/v1/employees", {"start_date": "2024-01-02"}),
        ("patch", "/v1/employees/{id}", {"manager_id": "{id}"}),
        ("patch", "/v1/employees/{id}", {"role": "X", "email": "taken@example.test"}),
    ],
)
def test_a_failed_write_records_no_event_and_changes_nothing(api, employee, make_employee, method, path, body):
    make_employee(email="taken@example.test")
    path = path.replace("{id}", employee.pk)
    body = {k: (v.replace("{id}", employee.pk) if isinstance(v, str) else v) for k, v in body.items()}
    response = getattr(api, method)(path, body)
    assert response.status_code in (400, 422)
    assert not Event.objects.exists()
    employee.refresh_from_db()
    assert employee.role == "Engineer" and employee.version == 1


@pytest.mark.django_db(transaction=True)
def test_when_the_event_cannot_be_written_the_change_rolls_back(api, monkeypatch):
    """Not a test-transaction artefact: with real commits, an outbox failure undoes the change."""
    from employees.models import Employee

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("employees.services.event_record", broken)
    response = api.post("/v1/employees", BODY)
    assert response.status_code == 500
    assert not Employee.objects.exists()
    assert not Event.objects.exists()
