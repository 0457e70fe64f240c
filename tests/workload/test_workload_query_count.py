import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EmployeeFactory
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db

LEVELS = ["light", "balanced", "heavy", "overloaded"]


@pytest.fixture
def many_checkins(workspace):
    """250 check-ins over 50 people and 5 weeks, written directly (the API path is tested elsewhere)."""
    people = EmployeeFactory.create_batch(50, workspace=workspace)
    WorkloadCheckin.objects.bulk_create(
        WorkloadCheckin(
            workspace=workspace,
            environment="live",
            employee=person,
            week_start=f"2024-04-{day:02d}",
            level=LEVELS[(day + index) % 4],
        )
        for day in (1, 8, 15, 22, 29)
        for index, person in enumerate(people)
    )


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_a_list_page_costs_at_most_3_queries_at_any_size_and_with_filters(api, many_checkins, limit):
    api.get(CHECKINS, {"limit": 1})  # warms the key: last_used_at is written once
    for params in ({"limit": limit}, {"limit": limit, "level": "heavy", "week_from": "2024-04-01"}):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(CHECKINS, params)
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, response.json()["total_count"])
        assert len(queries) <= 3, [q["sql"] for q in queries]
    cursor = api.get(CHECKINS, {"limit": limit}).json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(CHECKINS, {"limit": limit, "cursor": cursor}).status_code == 200
    assert len(queries) <= 3
