import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statuslog.models import StatusLogEntry
from tests.factories import EmployeeFactory

from .conftest import STATUS_LOG

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_entries(workspace):
    """250 entries over 50 people and 5 days, written directly (the API path is tested elsewhere)."""
    people = EmployeeFactory.create_batch(50, workspace=workspace)
    StatusLogEntry.objects.bulk_create(
        StatusLogEntry(
            workspace=workspace,
            environment="live",
            employee=person,
            date=f"2024-05-{day:02d}",
            lines=["One", "Two", "Three"],
            topic="Infra" if day % 2 else None,
        )
        for day in range(10, 15)
        for person in people
    )
    return people


@pytest.mark.parametrize("limit", [1, 50, 200])
def test_a_list_page_costs_at_most_3_queries_at_any_size_and_with_filters(api, many_entries, limit):
    api.get(STATUS_LOG, {"limit": 1})  # warms the key: last_used_at is written once
    for params in (
        {"limit": limit},
        {"limit": limit, "date_from": "2024-05-10", "date_to": "2024-05-14", "topic": "Infra"},
    ):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(STATUS_LOG, params)
        assert response.status_code == 200
        assert len(response.json()["data"]) == min(limit, response.json()["total_count"])
        assert len(queries) <= 3, [q["sql"] for q in queries]
    cursor = api.get(STATUS_LOG, {"limit": limit}).json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(STATUS_LOG, {"limit": limit, "cursor": cursor}).status_code == 200
    assert len(queries) <= 3


def test_one_entry_costs_two_queries(api, many_entries):
    entry_id = StatusLogEntry.objects.values_list("pk", flat=True).first()
    api.get(STATUS_LOG, {"limit": 1})
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"{STATUS_LOG}/{entry_id}").status_code == 200
    assert len(queries) <= 2
