"""Leave may not overlap the same employee's pending or approved leave; cancelled and
rejected leave frees its dates."""

import threading

import pytest
from django.db import connection

from leave.models import Leave
from webhooks.models import Event

from ..conftest import Api
from ..factories import EmployeeFactory, LeaveFactory, WorkspaceFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start,end",
    [
        ("2026-03-02", "2026-03-06"),  # the same range
        ("2026-02-26", "2026-03-02"),  # ends on its first day
        ("2026-03-06", "2026-03-10"),  # starts on its last day
        ("2026-03-03", "2026-03-04"),  # inside it
        ("2026-02-23", "2026-03-13"),  # around it
    ],
)
def test_overlapping_leave_is_422_naming_both_dates(log_leave, start, end):
    first = log_leave("2026-03-02", "2026-03-06").json()
    failure = log_leave(start, end, kind="sick").json()["error"]
    assert failure["code"] == "unprocessable_entity"
    assert failure["fields"] == ["start_date", "end_date"]
    assert first["id"] in failure["message"]
    assert Leave.objects.count() == 1 and Event.objects.count() == 1


@pytest.mark.django_db
def test_adjacent_leave_does_not_overlap(log_leave):
    assert log_leave("2026-03-02", "2026-03-06").status_code == 201
    assert log_leave("2026-03-09", "2026-03-10").status_code == 201
    assert log_leave("2026-02-27").status_code == 201


@pytest.mark.django_db
def test_a_half_day_overlaps_leave_on_the_same_day(log_leave):
    assert log_leave("2026-03-04", half_day=True).status_code == 201
    assert log_leave("2026-03-04", half_day=True).status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status,blocks", [("approved", True), ("pending", True), ("cancelled", False), ("rejected", False)]
)
def test_only_pending_and_approved_leave_blocks_the_dates(log_leave, employee, status, blocks):
    LeaveFactory(employee=employee, start_date="2026-03-02", end_date="2026-03-06", days=5, status=status)
    assert log_leave("2026-03-04").status_code == (422 if blocks else 201)


@pytest.mark.django_db
def test_cancelled_leave_frees_its_dates(api, log_leave):
    first = log_leave("2026-03-02", "2026-03-06").json()
    api.delete(f"/v1/leave/{first['id']}")
    assert log_leave("2026-03-02", "2026-03-06").status_code == 201


@pytest.mark.django_db
def test_other_peoples_leave_does_not_block(log_leave, employee, make_employee, make_api, workspace):
    colleague = make_employee()
    LeaveFactory(employee=colleague, start_date="2026-03-02", end_date="2026-03-06", days=5)
    same_person_elsewhere = make_employee(environment="test")
    LeaveFactory(employee=same_person_elsewhere, start_date="2026-03-02", end_date="2026-03-06", days=5)
    assert log_leave("2026-03-02", "2026-03-06").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_requests_let_exactly_one_through():
    """The employee row is locked while the overlap is checked, so racing requests cannot
    both pass it."""
    workspace = WorkspaceFactory()
    employee = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in range(4)]
    results, barrier = [None] * len(clients), threading.Barrier(len(clients))

    def run(index, client):
        try:
            barrier.wait()
            body = {"employee_id": employee.pk, "kind": "vacation", "start_date": f"2026-03-0{2 + index}"}
            results[index] = client.post("/v1/leave", {**body, "end_date": "2026-03-06"})
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in results) == [201, 422, 422, 422]
    assert Leave.objects.count() == 1 and Event.objects.filter(type="leave.logged").count() == 1
