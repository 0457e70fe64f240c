"""DELETE /v1/leave/{id} cancels: the record stays with status cancelled."""

import pytest

from leave.models import Leave
from webhooks.models import Event

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leave(log_leave):
    return log_leave("2026-03-02", "2026-03-06").json()


def test_cancel_keeps_the_record_and_records_leave_cancelled(api, leave):
    response = api.delete(f"/v1/leave/{leave['id']}")
    assert response.status_code == 200
    cancelled = response.json()
    assert (cancelled["status"], cancelled["version"], cancelled["days"]) == ("cancelled", 2, 5)
    assert response["ETag"] == '"2"'
    assert api.get(f"/v1/leave/{leave['id']}").json() == cancelled
    assert Leave.objects.filter(pk=leave["id"], status="cancelled").exists()
    event = Event.objects.filter(type="leave.cancelled").get()
    assert event.data == cancelled and event.actor == f"api_key:{api.key.pk}"


def test_cancelling_again_is_a_no_op_without_an_event(api, leave):
    first = api.delete(f"/v1/leave/{leave['id']}").json()
    again = api.delete(f"/v1/leave/{leave['id']}")
    assert again.status_code == 200 and again.json() == first
    assert Event.objects.filter(type="leave.cancelled").count() == 1


def test_if_match_with_the_current_version_cancels(api, leave):
    response = api.delete(f"/v1/leave/{leave['id']}", headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


@pytest.mark.parametrize("if_match", ['"7"', 'W/"7"'])
def test_a_stale_if_match_is_409_and_cancels_nothing(api, leave, if_match):
    response = api.delete(f"/v1/leave/{leave['id']}", headers={"If-Match": if_match})
    assert response.status_code == 409
    assert response.json()["error"]["fields"] == ["If-Match"]
    assert Leave.objects.get(pk=leave["id"]).status == "approved"
    assert not Event.objects.filter(type="leave.cancelled").exists()


def test_after_a_cancel_the_old_etag_is_stale(api, leave):
    api.delete(f"/v1/leave/{leave['id']}")
    assert api.delete(f"/v1/leave/{leave['id']}", headers={"If-Match": '"1"'}).status_code == 409
    assert api.delete(f"/v1/leave/{leave['id']}", headers={"If-Match": '"2"'}).status_code == 200


def test_a_malformed_if_match_is_400(api, leave):
    assert api.delete(f"/v1/leave/{leave['id']}", headers={"If-Match": "yesterday"}).status_code == 400


def test_pending_leave_can_be_cancelled(api, employee):
    pending = LeaveFactory(employee=employee, status="pending")
    assert api.delete(f"/v1/leave/{pending.pk}").json()["status"] == "cancelled"


def test_rejected_leave_cannot_be_cancelled(api, employee):
    rejected = LeaveFactory(employee=employee, status="rejected")
    response = api.delete(f"/v1/leave/{rejected.pk}")
    assert response.status_code == 422 and response.json()["error"]["fields"] == ["status"]
    assert Leave.objects.get(pk=rejected.pk).status == "rejected"
    assert not Event.objects.exists()


def test_past_leave_can_be_cancelled_to_correct_the_journal(api, employee):
    past = LeaveFactory(employee=employee, start_date="2023-05-02", end_date="2023-05-02")
    assert api.delete(f"/v1/leave/{past.pk}").json()["status"] == "cancelled"
