"""The outbox and idempotency: a post records status_log.posted with the entry as GET returns
it; a refused post records nothing; a repeated Idempotency-Key replays without writing."""

from datetime import date

import pytest

from statuslog.models import StatusLogEntry
from webhooks.models import Event

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db


def test_a_post_records_status_log_posted_with_the_entry_as_get_returns_it(api, post_entry):
    created = post_entry(topic="Infra").json()
    event = Event.objects.get()
    assert event.type == "status_log.posted"
    assert event.pk.startswith("evt_")
    assert event.data == created == api.get(f"{STATUS_LOG}/{created['id']}").json()
    assert event.actor == f"api_key:{api.key.pk}"
    assert event.data == created


@pytest.mark.parametrize(
    "body",
    [
        {"lines": []},
        {"lines": ["x" * 281]},
        {"topic": "t" * 101},
        {"date": "2024-05-16"},
        {"date": "2020-01-01"},
        {"employee_id": "emp_01J0000000000000000000000X"},
        {"employee_id": "former"},
        {"date": "2024-05-01"},
        {"extra": True},
    ],
    ids=["no-lines", "long-line", "long-topic", "future", "before-start", "unknown", "former", "duplicate", "extra"],
)
def test_a_refused_post_records_no_event_and_saves_nothing(api, employee, make_employee, post_entry, body):
    post_entry(date="2024-05-01")
    Event.objects.all().delete()
    if body.get("employee_id") == "former":
        body = {"employee_id": make_employee(end_date=date(2024, 1, 31)).pk}
    response = post_entry(**body)
    assert response.status_code in (400, 409, 422), response.content
    assert StatusLogEntry.objects.count() == 1
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_when_the_event_cannot_be_written_the_entry_rolls_back(api, post_entry, monkeypatch):
    """Not a test-transaction artefact: with real commits, an outbox failure undoes the post."""

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr("statuslog.services.event_record", broken)
    assert post_entry().status_code == 500
    assert not StatusLogEntry.objects.exists()
    assert not Event.objects.exists()


def test_a_repeated_idempotency_key_replays_the_first_response_and_writes_nothing(api, employee):
    body = {"employee_id": employee.pk, "lines": LINES}
    first = api.post(STATUS_LOG, body, headers={"Idempotency-Key": "standup-1"})
    again = api.post(STATUS_LOG, body, headers={"Idempotency-Key": "standup-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and again["Location"] == first["Location"]
    assert StatusLogEntry.objects.count() == 1 and Event.objects.count() == 1


def test_without_the_key_a_retry_is_a_409_not_a_second_entry(api, employee):
    body = {"employee_id": employee.pk, "lines": LINES}
    assert api.post(STATUS_LOG, body).status_code == 201
    assert api.post(STATUS_LOG, body).status_code == 409
    assert StatusLogEntry.objects.count() == 1 and Event.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_is_409(api, employee):
    api.post(STATUS_LOG, {"employee_id": employee.pk, "lines": LINES}, headers={"Idempotency-Key": "k"})
    response = api.post(STATUS_LOG, {"employee_id": employee.pk, "lines": ["other"]}, headers={"Idempotency-Key": "k"})
    assert response.status_code == 409
    assert StatusLogEntry.objects.count() == 1
