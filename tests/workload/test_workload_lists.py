"""Listing check-ins: every filter, the envelope's total_count, and a cursor walk."""

from datetime import date, timedelta

import pytest

from tests.factories import EmployeeFactory
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkins(check_in, make_employee):
    """Ada: light on Apr 29, heavy on May 6; Grace: heavy on May 6, overloaded on May 13."""
    ada, grace = make_employee(full_name="Ada"), make_employee(full_name="Grace")
    posted = {}
    for who, week, level in (
        (ada, "2024-04-29", "light"),
        (ada, "2024-05-06", "heavy"),
        (grace, "2024-05-06", "heavy"),
        (grace, "2024-05-13", "overloaded"),
    ):
        response = check_in(employee_id=who.pk, week_start=week, level=level)
        assert response.status_code == 201, response.content
        posted[(who.full_name, week)] = response.json()["id"]
    return {"ada": ada, "grace": grace, "ids": posted}


def test_the_list_is_every_check_in_in_id_order_in_the_envelope(api, checkins):
    body = api.get(CHECKINS).json()
    assert set(body) == {"data", "next_cursor", "total_count"}
    assert body["total_count"] == 4 and body["next_cursor"] is None
    assert [row["id"] for row in body["data"]] == sorted(checkins["ids"].values())


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"employee_id": "ada"}, [("Ada", "2024-04-29"), ("Ada", "2024-05-06")]),
        ({"level": "heavy"}, [("Ada", "2024-05-06"), ("Grace", "2024-05-06")]),
        ({"level": "balanced"}, []),
        ({"week_start": "2024-05-06"}, [("Ada", "2024-05-06"), ("Grace", "2024-05-06")]),
        ({"week_from": "2024-05-06"}, [("Ada", "2024-05-06"), ("Grace", "2024-05-06"), ("Grace", "2024-05-13")]),
        ({"week_to": "2024-05-05"}, [("Ada", "2024-04-29")]),
        ({"week_from": "2024-05-01", "week_to": "2024-05-12"}, [("Ada", "2024-05-06"), ("Grace", "2024-05-06")]),
        ({"employee_id": "grace", "level": "overloaded"}, [("Grace", "2024-05-13")]),
        ({"employee_id": "emp_01J0000000000000000000000X"}, []),
    ],
)
def test_filters(api, checkins, params, expected):
    params = {k: checkins[v].pk if k == "employee_id" and v in checkins else v for k, v in params.items()}
    response = api.get(CHECKINS, params)
    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["data"]] == sorted(checkins["ids"][key] for key in expected)
    assert response.json()["total_count"] == len(expected)


@pytest.mark.parametrize(
    "params", [{"level": "exhausted"}, {"week_start": "soon"}, {"week_from": "x"}, {"week_to": "y"}]
)
def test_a_malformed_filter_is_400_naming_it(api, params):
    response = api.get(CHECKINS, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == list(params)


def test_a_cursor_walk_visits_every_matching_check_in_once_with_a_stable_total(api, workspace):
    people = EmployeeFactory.create_batch(3, workspace=workspace)
    for weeks_back in range(8):
        for person in people:
            WorkloadCheckin.objects.create(
                workspace=workspace,
                environment="live",
                employee=person,
                week_start=date(2024, 5, 13) - timedelta(weeks=weeks_back),
                level="heavy" if person is people[0] else "light",
            )
    seen, cursor, pages = [], None, 0
    while True:
        body = api.get(CHECKINS, {"limit": 5, "level": "light", **({"cursor": cursor} if cursor else {})}).json()
        assert body["total_count"] == 16
        seen += [row["id"] for row in body["data"]]
        assert {row["level"] for row in body["data"]} == {"light"}
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 4 and len(seen) == 16 == len(set(seen)) and seen == sorted(seen)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"cursor": "not-a-cursor"}])
def test_bad_paging_parameters_are_400(api, params):
    response = api.get(CHECKINS, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == list(params)
