"""The outbox fans out: a committed write records one event and one delivery per enabled
endpoint of the same workspace and environment that subscribes to its type; a failed write
records neither."""

import pytest

from employees.models import Employee
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db

NEW_EMPLOYEE = {"full_name": "Eve", "start_date": "2024-01-01"}


def endpoint(api, enabled_events, *, disabled=False):
    response = api.post(
        "/v1/webhook-endpoints", {"url": "https://hooks.example.com/", "enabled_events": enabled_events}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    if disabled:
        assert api.patch(f"/v1/webhook-endpoints/{created['id']}", {"disabled": True}).status_code == 200
    return created["id"]


def test_a_write_delivers_to_every_enabled_subscriber_of_its_workspace_and_environment_alone(
    api, make_api, workspace, other_workspace
):
    everything = endpoint(api, ["*"])
    hires = endpoint(api, ["employee.created", "leave.logged"])
    endpoint(api, ["employee.updated"])
    endpoint(api, ["*"], disabled=True)
    endpoint(api, ["employee.created"], disabled=True)
    endpoint(make_api(workspace, "test"), ["*"])
    endpoint(make_api(other_workspace, "live"), ["*"])
    endpoint(make_api(other_workspace, "test"), ["employee.created"])

    created = api.post("/v1/employees", NEW_EMPLOYEE).json()
    event = Event.objects.get()
    assert (event.type, event.data, event.workspace_id, event.environment) == (
        "employee.created",
        created,
        workspace.pk,
        "live",
    )
    deliveries = Delivery.objects.filter(event=event)
    assert sorted(deliveries.values_list("endpoint_id", flat=True)) == sorted([everything, hires])
    for delivery in deliveries:
        assert (delivery.workspace_id, delivery.environment, delivery.status) == (workspace.pk, "live", "pending")
        assert delivery.attempt_count == 0 and delivery.next_attempt_at is not None
    assert Delivery.objects.count() == 2


def test_the_other_environment_fans_out_to_its_own_endpoints(api, make_api, workspace):
    endpoint(api, ["*"])
    test_api = make_api(workspace, "test")
    test_endpoint = endpoint(test_api, ["employee.created"])
    test_api.post("/v1/employees", NEW_EMPLOYEE)
    assert list(Delivery.objects.values_list("endpoint_id", "environment")) == [(test_endpoint, "test")]


def test_each_change_gets_its_own_delivery_for_its_own_type(api):
    updates = endpoint(api, ["employee.updated"])
    everything = endpoint(api, ["*"])
    created = api.post("/v1/employees", NEW_EMPLOYEE).json()
    api.patch(f"/v1/employees/{created['id']}", {"role": "Lead"})
    api.delete(f"/v1/employees/{created['id']}")
    by_type = {}
    for event_type, endpoint_id in Delivery.objects.values_list("event__type", "endpoint_id"):
        by_type.setdefault(event_type, []).append(endpoint_id)
    assert by_type == {
        "employee.created": [everything],
        "employee.updated": sorted([updates, everything]),
        "employee.offboarded": [everything],
    }


def test_no_subscriber_means_an_event_without_deliveries(api):
    endpoint(api, ["kudos.awarded"])
    api.post("/v1/employees", NEW_EMPLOYEE)
    assert Event.objects.count() == 1
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"full_name": "X", "start_date": "2024-01-01", "manager_id": "emp_01J0000000000000000000000Z"},
        {"full_name": "X", "start_date": "2024-01-02", "end_date": "2024-01-01"},
        {"start_date": "2024-01-01"},
    ],
)
def test_a_write_that_fails_leaves_no_event_and_no_delivery(api, body):
    endpoint(api, ["*"])
    response = api.post("/v1/employees", body)
    assert response.status_code in (400, 422), response.content
    assert not Employee.objects.exists()
    assert not Event.objects.exists()
    assert not Delivery.objects.exists()


def test_a_committed_write_queues_each_delivery_once_after_the_commit(api, queued, django_capture_on_commit_callbacks):
    endpoint(api, ["*"])
    endpoint(api, ["employee.created"])
    with django_capture_on_commit_callbacks() as callbacks:
        api.post("/v1/employees", NEW_EMPLOYEE)
    assert queued == [], "nothing is queued before the transaction commits"
    for callback in callbacks:
        callback()
    assert sorted(queued) == sorted(
        ("webhooks.tasks.deliver", pk) for pk in Delivery.objects.values_list("pk", flat=True)
    )
    assert len(queued) == 2


def test_a_write_that_fails_queues_nothing(api, queued, django_capture_on_commit_callbacks):
    endpoint(api, ["*"])
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/v1/employees", {"full_name": "X", "start_date": "2024-01-01", "manager_id": "nobody"})
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_the_deliveries_are_queued_after_the_write_and_a_failed_write_queues_nothing(api, queued):
    endpoint(api, ["*"])
    assert (
        api.post("/v1/employees", {"full_name": "X", "start_date": "2024-01-01", "manager_id": "nobody"}).status_code
        == 422
    )
    assert queued == []
    assert api.post("/v1/employees", NEW_EMPLOYEE).status_code == 201
    assert queued == [("webhooks.tasks.deliver", Delivery.objects.get().pk)]
