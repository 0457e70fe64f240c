import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EmployeeFactory

from ..factories import KudosFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_a_kudos_page_costs_at_most_3_queries_once_the_key_is_warm(api, workspace, limit):
    people = EmployeeFactory.create_batch(4, workspace=workspace)
    for n in range(250):
        KudosFactory(from_employee=people[n % 4], to_employee=people[(n + 1) % 4], tag="craft" if n % 2 else "help")
    api.get("/v1/kudos", {"limit": 1})  # warms the key: last_used_at is written once
    for params in (
        {"limit": limit},
        {"limit": limit, "tag": "craft", "from_employee_id": people[1].pk, "created_after": "2000-01-01T00:00:00Z"},
    ):
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/v1/kudos", params)
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, response.json()["total_count"])
        assert len(queries) <= 3, [q["sql"] for q in queries]
    cursor = api.get("/v1/kudos", {"limit": limit}).json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/v1/kudos", {"limit": limit, "cursor": cursor}).status_code == 200
    assert len(queries) <= 3
