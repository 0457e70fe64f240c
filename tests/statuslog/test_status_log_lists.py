"""Listing entries: every filter, the envelope's total_count, and a cursor walk."""

from datetime import date, timedelta

import pytest

from statuslog.models import StatusLogEntry
from tests.factories import EmployeeFactory

from .conftest import STATUS_LOG

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["data"]]


@pytest.fixture
def entries(api, make_employee, post_entry):
    """Ada posts on the 13th and 14th (topic Infra, then none), Grace on the 14th and 15th."""
    ada, grace = make_employee(full_name="Ada"), make_employee(full_name="Grace")
    posted = {}
    for who, day, topic in (
        (ada, "2024-05-13", "Infra"),
        (ada, "2024-05-14", None),
        (grace, "2024-05-14", "Infra"),
        (grace, "2024-05-15", "Hiring"),
    ):
        response = post_entry(employee_id=who.pk, date=day, topic=topic)
        assert response.status_code == 201, response.content
        posted[(who.full_name, day)] = response.json()["id"]
    return {"ada": ada, "grace": grace, "ids": posted}


def test_the_list_is_every_entry_in_id_order_in_the_envelope(api, entries):
    body = api.get(STATUS_LOG).json()
    assert set(body) == {"data", "next_cursor", "total_count"}
    assert body["total_count"] == 4 and body["next_cursor"] is None
    assert [row["id"] for row in body["data"]] == sorted(entries["ids"].values())
    assert body["data"][0] == api.get(f"{STATUS_LOG}/{body['data'][0]['id']}").json()


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"employee_id": "ada"}, [("Ada", "2024-05-13"), ("Ada", "2024-05-14")]),
        ({"date": "2024-05-14"}, [("Ada", "2024-05-14"), ("Grace", "2024-05-14")]),
        ({"date_from": "2024-05-14"}, [("Ada", "2024-05-14"), ("Grace", "2024-05-14"), ("Grace", "2024-05-15")]),
        ({"date_to": "2024-05-13"}, [("Ada", "2024-05-13")]),
        ({"date_from": "2024-05-14", "date_to": "2024-05-14"}, [("Ada", "2024-05-14"), ("Grace", "2024-05-14")]),
        ({"topic": "Infra"}, [("Ada", "2024-05-13"), ("Grace", "2024-05-14")]),
        ({"topic": "infra"}, []),
        ({"employee_id": "grace", "topic": "Hiring"}, [("Grace", "2024-05-15")]),
        ({"date_from": "2024-05-16"}, []),
        ({"employee_id": "emp_01J0000000000000000000000X"}, []),
    ],
)
def test_filters(api, entries, params, expected):
    params = {k: entries[v].pk if k == "employee_id" and v in entries else v for k, v in params.items()}
    response = api.get(STATUS_LOG, params)
    assert ids(response) == sorted(entries["ids"][key] for key in expected)
    assert response.json()["total_count"] == len(expected)


@pytest.mark.parametrize("name", ["date", "date_from", "date_to"])
def test_a_malformed_date_filter_is_400_naming_it(api, name):
    response = api.get(STATUS_LOG, {name: "yesterday"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == [name]


def test_a_cursor_walk_visits_every_matching_entry_once_with_a_stable_total(api, workspace):
    employees = EmployeeFactory.create_batch(3, workspace=workspace)
    for offset in range(8):
        for person in employees:
            day = date(2024, 5, 15) - timedelta(days=offset)
            StatusLogEntry.objects.create(
                workspace=workspace, environment="live", employee=person, date=day, lines=[f"Day {offset}"]
            )
    seen, cursor, pages = [], None, 0
    while True:
        body = api.get(
            STATUS_LOG, {"limit": 5, "employee_id": employees[1].pk, **({"cursor": cursor} if cursor else {})}
        ).json()
        assert body["total_count"] == 8
        seen += [row["id"] for row in body["data"]]
        assert {row["employee_id"] for row in body["data"]} == {employees[1].pk}
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 2 and len(seen) == 8 == len(set(seen)) and seen == sorted(seen)


def test_entries_posted_between_pages_are_neither_skipped_nor_repeated(api, make_employee, post_entry):
    people = iter([make_employee() for _ in range(10)])
    posted = [post_entry(employee_id=next(people).pk).json()["id"] for _ in range(5)]
    page = api.get(STATUS_LOG, {"limit": 2}).json()
    seen = [row["id"] for row in page["data"]]
    while page["next_cursor"]:
        posted.append(post_entry(employee_id=next(people).pk).json()["id"])  # sorts after every cursor
        page = api.get(STATUS_LOG, {"limit": 2, "cursor": page["next_cursor"]}).json()
        seen += [row["id"] for row in page["data"]]
    assert seen == sorted(posted) and len(seen) == 8


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}])
def test_bad_paging_parameters_are_400(api, params):
    response = api.get(STATUS_LOG, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == list(params)
