import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_a_list_page_costs_at_most_3_queries_once_the_key_is_warm(api, workspace, limit):
    boss = EmployeeFactory(workspace=workspace)
    EmployeeFactory.create_batch(250, workspace=workspace, manager=boss)
    api.get("/v1/employees", {"limit": 1})  # warms the key: last_used_at is written once
    for params in ({"limit": limit}, {"limit": limit, "department": "Engineering", "status": "active"}):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/v1/employees", params)
        assert response.status_code == 200
        assert len(response.json()["data"]) == limit
        assert len(queries) <= 3, [q["sql"] for q in queries]
    cursor = response.json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/v1/employees", {"limit": limit, "cursor": cursor}).status_code == 200
    assert len(queries) <= 3


def test_a_single_employee_costs_two_queries(api, employee):
    api.get("/v1/employees", {"limit": 1})
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/v1/employees/{employee.pk}").status_code == 200
    assert len(queries) <= 2
