"""POST/GET /v1/leave: the shape, the validation and the rules, through HTTP with real keys."""

from datetime import date

import pytest

from leave.models import Leave
from webhooks.models import Event

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "employee_id",
    "kind",
    "start_date",
    "end_date",
    "half_day",
    "days",
    "note",
    "status",
    "decided_at",
    "decided_by",
    "version",
    "created_at",
    "updated_at",
    "hours",
    "decision_reason",
}


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_logging_leave_returns_201_with_the_resource_etag_and_location(api, employee):
    body = {"employee_id": employee.pk, "kind": "vacation", "start_date": "2026-03-02", "end_date": "2026-03-06"}
    response = api.post("/v1/leave", {**body, "note": "Skiing"})
    assert response.status_code == 201, response.content
    leave = response.json()
    assert set(leave) == FIELDS
    assert leave["id"].startswith("lv_") and len(leave["id"]) == 29
    assert {k: leave[k] for k in body} == body
    assert (leave["days"], leave["half_day"], leave["note"], leave["status"]) == (5, False, "Skiing", "approved")
    assert isinstance(leave["days"], float)
    assert (leave["decided_at"], leave["decided_by"], leave["version"]) == (None, None, 1)
    assert (leave["hours"], leave["decision_reason"]) == (None, None)
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/v1/leave/{leave['id']}"
    fetched = api.get(f"/v1/leave/{leave['id']}")
    assert fetched.json() == leave and fetched["ETag"] == '"1"'


def test_end_date_defaults_to_start_date(log_leave):
    leave = log_leave("2026-03-04").json()
    assert (leave["start_date"], leave["end_date"], leave["days"]) == ("2026-03-04", "2026-03-04", 1)


@pytest.mark.parametrize("kind", ["vacation", "sick", "personal", "parental", "unpaid"])
def test_each_kind_can_be_logged(log_leave, kind):
    assert log_leave("2026-03-04", kind=kind).json()["kind"] == kind


@pytest.mark.parametrize("kind", ["holiday", "VACATION", "", None, 3])
def test_an_unknown_kind_is_400_naming_kind(log_leave, kind):
    assert error(log_leave("2026-03-04", kind=kind), 400)["fields"] == ["kind"]
    assert not Leave.objects.exists()


def test_required_fields_are_400_with_fields(api):
    failure = error(api.post("/v1/leave", {}), 400)
    assert set(failure["fields"]) == {"employee_id", "kind", "start_date"}


def test_wrong_types_and_unknown_keys_are_400(log_leave):
    assert set(error(log_leave("2026-03-04", end_date="soon", half_day="maybe"), 400)["fields"]) == {
        "end_date",
        "half_day",
    }
    assert error(log_leave("2026-03-04", days=3), 400)["fields"] == ["days"]
    assert error(log_leave("2026-03-04", status="approved"), 400)["fields"] == ["status"]
    assert error(log_leave("2026-03-04", note="x" * 2001), 400)["fields"] == ["note"]


def test_dates_outside_the_supported_years_are_400(log_leave):
    assert error(log_leave("1850-01-03"), 400)["fields"] == ["start_date"]
    assert error(log_leave("2026-03-02", "2300-01-01"), 400)["fields"] == ["end_date"]


def test_end_date_before_start_date_is_422(log_leave):
    failure = error(log_leave("2026-03-06", "2026-03-02"), 422)
    assert failure["code"] == "unprocessable_entity"
    assert failure["fields"] == ["end_date"]


def test_leave_longer_than_two_years_is_422(log_leave):
    assert error(log_leave("2026-01-05", "2028-01-10"), 422)["fields"] == ["end_date"]
    assert log_leave("2026-01-05", "2027-12-31", kind="parental").status_code == 201


def test_half_day_is_half_a_working_day(log_leave):
    leave = log_leave("2026-03-04", half_day=True).json()
    assert (leave["days"], leave["half_day"]) == (0.5, True)


def test_half_day_on_a_range_is_422_naming_half_day(log_leave):
    assert error(log_leave("2026-03-04", "2026-03-05", half_day=True), 422)["fields"] == ["half_day"]


def test_half_day_on_a_weekend_or_holiday_is_422(log_leave):
    assert error(log_leave("2026-03-07", half_day=True), 422)["fields"] == ["start_date"]  # a Saturday
    assert error(log_leave("2026-12-25", half_day=True), 422)["fields"] == ["start_date"]  # Christmas in Italy


def test_a_range_without_a_working_day_is_422(log_leave):
    failure = error(log_leave("2026-03-07", "2026-03-08"), 422)  # a weekend
    assert failure["fields"] == ["start_date"]
    assert "no working day" in failure["message"]


def test_unknown_employee_is_422_naming_employee_id(log_leave, api):
    body = {"employee_id": "emp_01J0000000000000000000000", "kind": "sick", "start_date": "2026-03-04"}
    assert error(api.post("/v1/leave", body), 422)["fields"] == ["employee_id"]


def test_another_tenants_employee_is_422_naming_employee_id(api, make_employee, other_workspace):
    for foreign in (make_employee(workspace=other_workspace), make_employee(environment="test")):
        body = {"employee_id": foreign.pk, "kind": "sick", "start_date": "2026-03-04"}
        failure = error(api.post("/v1/leave", body), 422)
        assert failure["fields"] == ["employee_id"] and foreign.pk in failure["message"]
    assert not Leave.objects.exists() and not Event.objects.exists()


def test_a_former_employee_can_log_leave_up_to_their_end_date_but_not_after(api, make_employee):
    leaver = make_employee(end_date=date(2026, 3, 31))
    body = {"employee_id": leaver.pk, "kind": "vacation"}
    assert api.post("/v1/leave", {**body, "start_date": "2026-03-30", "end_date": "2026-03-31"}).status_code == 201
    failure = error(api.post("/v1/leave", {**body, "start_date": "2026-03-25", "end_date": "2026-04-01"}), 422)
    assert failure["fields"] == ["end_date"] and "2026-03-31" in failure["message"]
    assert error(api.post("/v1/leave", {**body, "start_date": "2026-05-04"}), 422)["fields"] == ["end_date"]


def test_leave_before_the_employee_starts_is_422(api, make_employee):
    joiner = make_employee(start_date=date(2026, 6, 1))
    body = {"employee_id": joiner.pk, "kind": "vacation", "start_date": "2026-05-29", "end_date": "2026-06-02"}
    assert error(api.post("/v1/leave", body), 422)["fields"] == ["start_date"]


def test_without_approval_mode_leave_is_approved_at_once(log_leave, workspace):
    assert workspace.leave_approval_required is False
    assert log_leave("2026-03-04").json()["status"] == "approved"


def test_with_approval_mode_new_leave_is_pending(log_leave, workspace):
    workspace.leave_approval_required = True
    workspace.save()
    leave = log_leave("2026-03-04").json()
    assert (leave["status"], leave["decided_at"]) == ("pending", None)


def test_unknown_leave_id_is_404(api):
    assert error(api.get("/v1/leave/lv_01J0000000000000000000000"), 404)["code"] == "not_found"
    assert error(api.delete("/v1/leave/lv_01J0000000000000000000000"), 404)["code"] == "not_found"


def test_put_and_patch_are_not_allowed(api, log_leave):
    leave = log_leave("2026-03-04").json()
    assert error(api.patch(f"/v1/leave/{leave['id']}", {"note": "x"}), 405)["code"] == "method_not_allowed"
