"""Recording weekly workload check-ins: every rule through HTTP with a real key."""

from datetime import date

import pytest

from workload.models import WorkloadCheckin

from .conftest import CHECKINS, THIS_WEEK

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_post_returns_201_with_the_check_in_and_no_location_or_etag(api, employee, check_in):
    response = check_in(level="heavy", week_start="2024-05-06")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "employee_id", "week_start", "level", "created_at"}
    assert body["id"].startswith("wl_") and len(body["id"]) == 29
    assert (body["employee_id"], body["week_start"], body["level"]) == (employee.pk, "2024-05-06", "heavy")
    assert body["created_at"].endswith("Z")
    assert "Location" not in response  # there is no GET by id
    assert "ETag" not in response  # immutable: no version to lock on
    assert api.get(CHECKINS).json()["data"] == [body]


@pytest.mark.parametrize("level", ["light", "balanced", "heavy", "overloaded"])
def test_each_level_is_accepted(check_in, level):
    assert check_in(level=level).json()["level"] == level


@pytest.mark.parametrize("level", ["crushing", "Heavy", "", None, 3, ["heavy"], ...])
def test_any_other_level_is_400_naming_level(check_in, level):
    failure = error(check_in(level=level), 400)
    assert failure["code"] == "invalid_request"
    assert failure["fields"] == ["level"]
    assert not WorkloadCheckin.objects.exists()


def test_week_start_defaults_to_the_monday_of_today_in_the_workspace_time_zone(check_in):
    assert check_in().json()["week_start"] == THIS_WEEK


def test_a_past_week_is_accepted(check_in):
    assert check_in(week_start="2023-01-02").json()["week_start"] == "2023-01-02"


@pytest.mark.parametrize("day", ["2024-05-14", "2024-05-12", "2024-05-19"])
def test_a_week_start_that_is_not_a_monday_is_422_and_names_the_monday(check_in, day):
    failure = error(check_in(week_start=day), 422)
    assert failure["fields"] == ["week_start"]
    assert "must be a Monday" in failure["message"]
    assert "2024-05-13" in failure["message"] or "2024-05-06" in failure["message"]


def test_a_future_week_is_422(check_in):
    failure = error(check_in(week_start="2024-05-20"), 422)
    assert failure["fields"] == ["week_start"]
    assert "has not started" in failure["message"]


def test_a_malformed_week_start_is_400(check_in):
    assert error(check_in(week_start="week 20"), 400)["fields"] == ["week_start"]


def test_a_week_that_ended_before_the_employee_started_is_422(check_in, employee):
    assert employee.start_date == date(2022, 3, 1)  # a Tuesday
    assert error(check_in(week_start="2022-02-21"), 422)["fields"] == ["week_start"]
    assert check_in(week_start="2022-02-28").status_code == 201  # their first week


def test_a_second_check_in_for_the_same_week_is_409(check_in):
    first = check_in(week_start="2024-05-06").json()
    failure = error(check_in(week_start="2024-05-06", level="overloaded"), 409)
    assert failure["code"] == "conflict"
    assert failure["fields"] == ["week_start"]
    assert first["id"] in failure["message"]
    assert WorkloadCheckin.objects.count() == 1


def test_the_default_week_counts_for_the_one_per_week_rule(check_in):
    assert check_in().status_code == 201
    assert error(check_in(week_start=THIS_WEEK), 409)["fields"] == ["week_start"]


def test_other_weeks_and_other_people_are_not_duplicates(check_in, make_employee):
    assert check_in(week_start="2024-05-06").status_code == 201
    assert check_in(week_start="2024-04-29").status_code == 201
    assert check_in(week_start="2024-05-06", employee_id=make_employee().pk).status_code == 201


def test_when_a_concurrent_check_in_slips_past_the_check_the_unique_constraint_still_answers_409(check_in, monkeypatch):
    from workload import services

    assert check_in().status_code == 201
    real = services._already_recorded
    calls = []

    def misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "_already_recorded", misses_the_first_time)
    assert error(check_in(), 409)["fields"] == ["week_start"]
    assert len(calls) == 2
    assert WorkloadCheckin.objects.count() == 1


def test_a_former_employee_cannot_check_in(check_in, make_employee):
    gone = make_employee(end_date=date(2024, 5, 10))
    failure = error(check_in(employee_id=gone.pk, week_start="2024-05-06"), 422)
    assert failure["fields"] == ["employee_id"]
    assert "former" in failure["message"]


@pytest.mark.parametrize("employee_id", ["emp_01J0000000000000000000000X", "nobody"])
def test_an_unknown_employee_is_422_naming_employee_id(check_in, employee_id):
    assert error(check_in(employee_id=employee_id), 422)["fields"] == ["employee_id"]


def test_employee_id_is_required(check_in):
    assert error(check_in(employee_id=...), 400)["fields"] == ["employee_id"]


def test_unknown_and_read_only_fields_are_400(check_in):
    assert error(check_in(id="wl_x", note="tired"), 400)["fields"] == ["id", "note"]


def test_there_is_no_get_by_id_so_it_is_404_in_the_envelope(api, check_in):
    checkin = check_in().json()
    assert error(api.get(f"{CHECKINS}/{checkin['id']}"), 404)["code"] == "not_found"


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_check_ins_are_immutable_so_other_writes_are_405_or_404(api, check_in, method):
    checkin = check_in().json()
    on_list = getattr(api.client, method)(CHECKINS, {"level": "light"}, format="json")
    assert error(on_list, 405)["code"] == "method_not_allowed"
    on_one = getattr(api.client, method)(f"{CHECKINS}/{checkin['id']}", {"level": "light"}, format="json")
    assert on_one.status_code == 404
    assert api.get(CHECKINS).json()["data"] == [checkin]


def test_the_documented_read_shape_matches_what_the_api_renders(check_in):
    from workload.api.serializers import WorkloadCheckinSerializer, workload_checkin_as_dict

    check_in()
    assert list(WorkloadCheckinSerializer().fields) == list(workload_checkin_as_dict(WorkloadCheckin.objects.get()))
