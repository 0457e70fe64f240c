import json
from datetime import timedelta

import pytest
from django.utils import timezone

from employees.models import Employee
from pulsehr.api.idempotency import fingerprint
from pulsehr.api.models import IdempotencyRecord
from webhooks.models import Event

pytestmark = pytest.mark.django_db

BODY = {"full_name": "Once Only", "start_date": "2024-01-01"}


def post(api, key, body=BODY):
    return api.post("/v1/employees", body, headers={"Idempotency-Key": key})


def test_a_repeat_replays_the_first_response_and_writes_nothing(api):
    first = post(api, "create-1")
    again = post(api, "create-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"] and again["Location"] == first["Location"]
    assert again["X-Request-Id"] != first["X-Request-Id"]
    assert "Idempotent-Replayed" not in first
    assert Employee.objects.count() == 1
    assert Event.objects.count() == 1


def test_errors_are_replayed_too(api):
    bad = {"full_name": "X", "start_date": "2024-01-02", "end_date": "2024-01-01"}
    assert post(api, "k", bad).status_code == 422
    replay = post(api, "k", bad)
    assert replay.status_code == 422 and replay["Idempotent-Replayed"] == "true"


def test_the_same_key_with_a_different_request_is_409(api):
    post(api, "create-2")
    response = post(api, "create-2", {**BODY, "full_name": "Someone Else"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Employee.objects.count() == 1


def test_keys_are_per_api_key(api, make_api, workspace):
    other = make_api(workspace)
    assert post(api, "shared").status_code == 201
    assert post(other, "shared").status_code == 201
    assert Employee.objects.count() == 2


RAW_BODY = json.dumps(BODY).encode()


def post_raw(api, key):
    return api.client.post("/v1/employees", data=RAW_BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def claim_record(api, key, *, age, lease_left):
    now = timezone.now()
    return IdempotencyRecord.objects.create(
        api_key=api.key,
        key=key,
        fingerprint=fingerprint("POST", "/v1/employees", RAW_BODY),
        created_at=now - age,
        lease_expires_at=now + lease_left,
    )


def test_a_request_still_in_flight_is_409(api):
    claim_record(api, "busy", age=timedelta(seconds=1), lease_left=timedelta(seconds=59))
    response = post_raw(api, "busy")
    assert response.status_code == 409
    assert "in progress" in response.json()["error"]["message"]
    assert Employee.objects.count() == 0


def test_an_abandoned_request_is_taken_over_after_its_lease(api):
    claim_record(api, "stale", age=timedelta(minutes=5), lease_left=-timedelta(minutes=4))
    assert post_raw(api, "stale").status_code == 201
    assert Employee.objects.count() == 1
    assert post_raw(api, "stale")["Idempotent-Replayed"] == "true"


def test_keys_expire_after_24_hours(api):
    post(api, "old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(api, "old")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Employee.objects.count() == 2


def test_a_server_error_is_not_stored_so_the_client_can_retry(api, monkeypatch):
    from employees import services

    real = services.employee_create
    monkeypatch.setattr(services, "employee_create", lambda **kw: 1 / 0)
    assert post(api, "retry-me").status_code == 500
    monkeypatch.setattr(services, "employee_create", real)
    assert post(api, "retry-me").status_code == 201
    assert Employee.objects.count() == 1


def test_a_too_long_key_is_400(api):
    response = post(api, "x" * 256)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["Idempotency-Key"]


def test_the_key_is_ignored_on_get(api):
    assert api.get("/v1/employees", headers={"Idempotency-Key": "whatever"}).status_code == 200
    assert not IdempotencyRecord.objects.exists()


def test_the_hourly_purge_forgets_keys_older_than_24_hours(api):
    from pulsehr.api.tasks import purge_idempotency_records

    post(api, "old-one")
    post(api, "new-one")
    IdempotencyRecord.objects.filter(key="old-one").update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_records.apply().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-one"]


@pytest.mark.django_db(transaction=True)
def test_a_request_that_dies_before_its_response_is_stored_writes_nothing(api, monkeypatch):
    """The write and the stored response commit together: a failure between them undoes the
    write, and the retry after the lease writes exactly once."""
    from pulsehr.api import idempotency

    real_complete = idempotency.complete

    def crash(record, response):
        if response.status_code == 201:
            raise RuntimeError("process died before storing the response")
        return real_complete(record, response)

    monkeypatch.setattr(idempotency, "complete", crash)
    assert post(api, "dies").status_code == 500
    assert Employee.objects.count() == 0 and Event.objects.count() == 0
    monkeypatch.setattr(idempotency, "complete", real_complete)
    assert post(api, "dies").status_code == 409  # its claim holds until the lease ends
    IdempotencyRecord.objects.filter(key="dies").update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert post(api, "dies").status_code == 201
    assert Employee.objects.count() == 1 and Event.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_that_outlives_its_lease_rolls_its_write_back(api, monkeypatch):
    from employees import services

    real_create = services.employee_create

    def slow_create(**kwargs):
        employee = real_create(**kwargs)
        # Meanwhile the lease ran out and a retry took the claim over.
        IdempotencyRecord.objects.filter(key="slow").update(lease_expires_at=timezone.now() + timedelta(minutes=5))
        return employee

    monkeypatch.setattr(services, "employee_create", slow_create)
    response = post(api, "slow")
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == ["Idempotency-Key"]
    assert Employee.objects.count() == 0 and Event.objects.count() == 0
