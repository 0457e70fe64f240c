"""The outbox: every change to leave records its event in the same transaction; a failed
change records none. POST is idempotent under an Idempotency-Key."""

import pytest

from leave.models import Leave
from webhooks.models import Event

pytestmark = pytest.mark.django_db

BODY = {"kind": "vacation", "start_date": "2026-03-02", "end_date": "2026-03-06"}


def test_logging_records_leave_logged_with_the_resource_as_get_returns_it(api, employee):
    created = api.post("/v1/leave", {**BODY, "employee_id": employee.pk}).json()
    event = Event.objects.get()
    assert event.type == "leave.logged"
    assert event.data == created == api.get(f"/v1/leave/{created['id']}").json()
    assert event.actor == f"api_key:{api.key.pk}"
    assert event.data == created


def test_cancelling_records_leave_cancelled(api, employee):
    created = api.post("/v1/leave", {**BODY, "employee_id": employee.pk}).json()
    cancelled = api.delete(f"/v1/leave/{created['id']}").json()
    assert [(e.type, e.data) for e in Event.objects.order_by("pk")] == [
        ("leave.logged", created),
        ("leave.cancelled", cancelled),
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "holiday", "start_date": "2026-03-02"},
        {"kind": "vacation", "start_date": "2026-03-06", "end_date": "2026-03-02"},
        {"kind": "vacation", "start_date": "2026-03-07", "end_date": "2026-03-08"},
        {"kind": "vacation", "start_date": "2026-03-04", "half_day": True, "end_date": "2026-03-05"},
        {"kind": "vacation", "start_date": "2026-03-04", "employee_id": "emp_01J0000000000000000000000"},
        {"kind": "vacation", "start_date": "2026-03-03"},  # overlaps the leave logged below
    ],
)
def test_a_failed_write_records_no_event_and_saves_nothing(api, employee, body):
    api.post("/v1/leave", {**BODY, "employee_id": employee.pk})
    response = api.post("/v1/leave", {"employee_id": employee.pk, **body})
    assert response.status_code in (400, 422)
    assert Leave.objects.count() == 1 and Event.objects.count() == 1


def test_a_failed_cancel_records_no_event(api, employee):
    created = api.post("/v1/leave", {**BODY, "employee_id": employee.pk}).json()
    assert api.delete(f"/v1/leave/{created['id']}", headers={"If-Match": '"5"'}).status_code == 409
    assert list(Event.objects.values_list("type", flat=True)) == ["leave.logged"]


@pytest.mark.django_db(transaction=True)
def test_when_the_event_cannot_be_written_the_leave_rolls_back(api, employee, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("leave.services.event_record", broken)
    assert api.post("/v1/leave", {**BODY, "employee_id": employee.pk}).status_code == 500
    assert not Leave.objects.exists() and not Event.objects.exists()


def test_an_idempotent_repeat_replays_the_first_response_and_writes_nothing(api, employee):
    headers = {"Idempotency-Key": "leave-march"}
    first = api.post("/v1/leave", {**BODY, "employee_id": employee.pk}, headers=headers)
    again = api.post("/v1/leave", {**BODY, "employee_id": employee.pk}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"] and again["Location"] == first["Location"]
    assert Leave.objects.count() == 1 and Event.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_409(api, employee):
    headers = {"Idempotency-Key": "leave-march"}
    api.post("/v1/leave", {**BODY, "employee_id": employee.pk}, headers=headers)
    other = api.post("/v1/leave", {**BODY, "employee_id": employee.pk, "kind": "sick"}, headers=headers)
    assert other.status_code == 409
    assert Leave.objects.count() == 1
