"""Posting and reading async-standup entries: every rule through HTTP with a real key."""

import pytest

from statuslog.models import StatusLogEntry

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db


def error(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_post_returns_201_with_the_entry_and_its_location_and_no_etag(api, employee, post_entry):
    response = post_entry(date="2024-05-14", topic="Localisation")
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "employee_id", "date", "lines", "topic", "created_at"}
    assert body["id"].startswith("sl_") and len(body["id"]) == 29
    assert (body["employee_id"], body["date"], body["lines"], body["topic"]) == (
        employee.pk,
        "2024-05-14",
        LINES,
        "Localisation",
    )
    assert body["created_at"].endswith("Z")
    assert response["Location"] == f"{STATUS_LOG}/{body['id']}"
    assert "ETag" not in response  # immutable: no version to lock on
    assert api.get(response["Location"]).json() == body


def test_date_defaults_to_today_in_the_workspace_time_zone(post_entry):
    assert post_entry().json()["date"] == "2024-05-15"


def test_a_past_date_is_accepted(post_entry):
    assert post_entry(date="2024-01-02").json()["date"] == "2024-01-02"


def test_a_future_date_is_422_naming_date(post_entry):
    failure = error(post_entry(date="2024-05-16"), 422)
    assert failure["code"] == "unprocessable_entity"
    assert failure["fields"] == ["date"]
    assert "future" in failure["message"]
    assert not StatusLogEntry.objects.exists()


def test_a_date_before_the_employee_started_is_422(post_entry, employee):
    assert employee.start_date.isoformat() == "2022-03-01"
    assert error(post_entry(date="2022-02-28"), 422)["fields"] == ["date"]
    assert post_entry(date="2022-03-01").status_code == 201


def test_a_malformed_date_is_400(post_entry):
    assert error(post_entry(date="15/05/2024"), 400)["fields"] == ["date"]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_one_to_three_lines_are_accepted(post_entry, count):
    response = post_entry(lines=LINES[:count])
    assert response.status_code == 201 and response.json()["lines"] == LINES[:count]


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["one", "two", "three", "four"],
        [""],
        ["fine", "   "],
        ["x" * 281],
        ["fine", 42],
        [None],
        [["nested"]],
        "a single string",
        {"0": "an object"},
        None,
        ...,
    ],
    ids=[
        "none",
        "four",
        "empty",
        "blank",
        "281-chars",
        "number",
        "null-line",
        "nested-list",
        "string",
        "object",
        "null",
        "missing",
    ],
)
def test_lines_other_than_one_to_three_non_empty_strings_of_up_to_280_characters_are_400(post_entry, lines):
    failure = error(post_entry(lines=lines), 400)
    assert failure["code"] == "invalid_request"
    assert failure["fields"] == ["lines"]
    assert not StatusLogEntry.objects.exists()


def test_a_line_of_exactly_280_characters_is_accepted(post_entry):
    assert post_entry(lines=["y" * 280]).status_code == 201


def test_surrounding_whitespace_is_trimmed_from_lines_and_topic(post_entry):
    body = post_entry(lines=["  padded  ", "\tTabbed\n"], topic="  Infra ").json()
    assert body["lines"] == ["padded", "Tabbed"]
    assert body["topic"] == "Infra"


def test_the_message_says_which_line_is_wrong(post_entry):
    assert "Line 2" in error(post_entry(lines=["fine", ""]), 400)["message"]


def test_nul_characters_in_lines_or_topic_are_400(post_entry):
    assert error(post_entry(lines=["bad\x00line"]), 400)["fields"] == ["lines"]
    assert error(post_entry(topic="bad\x00topic"), 400)["fields"] == ["topic"]


@pytest.mark.parametrize("topic", [..., None, "", "   "])
def test_topic_is_optional_and_absent_or_blank_reads_as_null(post_entry, topic):
    response = post_entry(topic=topic)
    assert response.status_code == 201, response.content
    assert response.json()["topic"] is None


def test_topic_is_at_most_100_characters(post_entry):
    assert post_entry(topic="t" * 100, date="2024-05-14").status_code == 201
    assert error(post_entry(topic="t" * 101), 400)["fields"] == ["topic"]


def test_a_second_entry_for_the_same_employee_and_date_is_409(post_entry):
    first = post_entry(date="2024-05-10").json()
    failure = error(post_entry(date="2024-05-10", lines=["Trying again"]), 409)
    assert failure["code"] == "conflict"
    assert failure["fields"] == ["date"]
    assert first["id"] in failure["message"]
    assert StatusLogEntry.objects.count() == 1


def test_the_default_date_counts_for_the_one_per_day_rule(post_entry):
    assert post_entry().status_code == 201
    assert error(post_entry(date="2024-05-15"), 409)["fields"] == ["date"]


def test_other_days_and_other_people_are_not_duplicates(post_entry, make_employee):
    colleague = make_employee()
    assert post_entry(date="2024-05-10").status_code == 201
    assert post_entry(date="2024-05-11").status_code == 201
    assert post_entry(date="2024-05-10", employee_id=colleague.pk).status_code == 201


def test_when_a_concurrent_post_slips_past_the_check_the_unique_constraint_still_answers_409(post_entry, monkeypatch):
    from statuslog import services

    assert post_entry(date="2024-05-10").status_code == 201
    real = services._already_posted
    calls = []

    def misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(services, "_already_posted", misses_the_first_time)
    failure = error(post_entry(date="2024-05-10"), 409)
    assert failure["fields"] == ["date"]
    assert len(calls) == 2
    assert StatusLogEntry.objects.count() == 1


def test_a_former_employee_cannot_post(post_entry, make_employee):
    from datetime import date

    gone = make_employee(end_date=date(2024, 5, 15))  # their last day was today: former from today
    failure = error(post_entry(employee_id=gone.pk, date="2024-05-01"), 422)
    assert failure["fields"] == ["employee_id"]
    assert "former" in failure["message"]


def test_someone_leaving_later_can_still_post(post_entry, make_employee):
    from datetime import date

    leaving = make_employee(end_date=date(2024, 6, 30))
    assert post_entry(employee_id=leaving.pk).status_code == 201


@pytest.mark.parametrize("employee_id", ["emp_01J0000000000000000000000X", "nobody"])
def test_an_unknown_employee_is_422_naming_employee_id(post_entry, employee_id):
    assert error(post_entry(employee_id=employee_id), 422)["fields"] == ["employee_id"]


def test_employee_id_is_required(post_entry):
    assert error(post_entry(employee_id=...), 400)["fields"] == ["employee_id"]


def test_unknown_and_read_only_fields_are_400(post_entry):
    failure = error(post_entry(id="sl_01J0000000000000000000000X", mood="great"), 400)
    assert failure["fields"] == ["id", "mood"]


def test_get_by_unknown_id_is_404_in_the_envelope(api):
    failure = error(api.get(f"{STATUS_LOG}/sl_01J0000000000000000000000X"), 404)
    assert failure["code"] == "not_found"


@pytest.mark.parametrize("method", ["patch", "put", "delete", "post"])
def test_entries_are_immutable_so_writes_to_one_are_405(api, post_entry, method):
    entry = post_entry().json()
    response = getattr(api.client, method)(f"{STATUS_LOG}/{entry['id']}", {"lines": ["edited"]}, format="json")
    assert error(response, 405)["code"] == "method_not_allowed"
    assert api.get(f"{STATUS_LOG}/{entry['id']}").json() == entry


def test_the_documented_read_shape_matches_what_the_api_renders(post_entry):
    from statuslog.api.serializers import StatusLogEntrySerializer, status_log_entry_as_dict

    post_entry()
    assert list(StatusLogEntrySerializer().fields) == list(status_log_entry_as_dict(StatusLogEntry.objects.get()))
