"""The outbox and idempotency: a check-in records workload.recorded with the check-in as the
list returns it; a refused one records nothing; a repeated Idempotency-Key replays without writing."""

from datetime import date

import pytest

from webhooks.models import Event
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db


def test_a_check_in_records_workload_recorded_with_the_check_in_as_the_api_returns_it(api, check_in):
    created = check_in(level="heavy").json()
    event = Event.objects.get()
    assert event.type == "workload.recorded"
    assert event.pk.startswith("evt_")
    assert event.data == created == api.get(CHECKINS).json()["data"][0]
    assert event.actor == f"api_key:{api.key.pk}"
    assert event.data == created


@pytest.mark.parametrize(
    "body",
    [
        {"level": "meh"},
        {"week_start": "2024-05-14"},
        {"week_start": "2024-05-20"},
        {"week_start": "2020-01-06"},
        {"employee_id": "emp_01J0000000000000000000000X"},
        {"employee_id": "former"},
        {"week_start": "2024-05-06"},
        {"extra": True},
    ],
    ids=["bad-level", "not-monday", "future", "before-start", "unknown", "former", "duplicate", "extra"],
)
def test_a_refused_check_in_records_no_event_and_saves_nothing(check_in, make_employee, body):
    check_in(week_start="2024-05-06")
    Event.objects.all().delete()
    if body.get("employee_id") == "former":
        body = {"employee_id": make_employee(end_date=date(2024, 1, 31)).pk}
    response = check_in(**body)
    assert response.status_code in (400, 409, 422), response.content
    assert WorkloadCheckin.objects.count() == 1
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_when_the_event_cannot_be_written_the_check_in_rolls_back(check_in, monkeypatch):
    """Not a test-transaction artefact: with real commits, an outbox failure undoes the check-in."""

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("workload.services.event_record", broken)
    assert check_in().status_code == 500
    assert not WorkloadCheckin.objects.exists()
    assert not Event.objects.exists()


def test_a_repeated_idempotency_key_replays_the_first_response_and_writes_nothing(api, employee):
    body = {"employee_id": employee.pk, "level": "light"}
    first = api.post(CHECKINS, body, headers={"Idempotency-Key": "week-20"})
    again = api.post(CHECKINS, body, headers={"Idempotency-Key": "week-20"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WorkloadCheckin.objects.count() == 1 and Event.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_409(api, employee):
    api.post(CHECKINS, {"employee_id": employee.pk, "level": "light"}, headers={"Idempotency-Key": "k"})
    response = api.post(CHECKINS, {"employee_id": employee.pk, "level": "heavy"}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert WorkloadCheckin.objects.get().level == "light"
