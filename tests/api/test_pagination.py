import base64
import time

import pytest
from django.test.utils import override_settings

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def walk(api, path, **params):
    seen, cursor, pages = [], None, 0
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = api.get(path, query).json()
        seen.extend(row["id"] for row in body["data"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_lists_are_in_the_envelope_with_exact_total_count(api, make_employee):
    for _ in range(3):
        make_employee()
    body = api.get("/v1/employees").json()
    assert set(body) == {"data", "next_cursor", "total_count"}
    assert body["total_count"] == 3
    assert body["next_cursor"] is None
    assert len(body["data"]) == 3


def test_default_limit_is_50(api, workspace):
    EmployeeFactory.create_batch(55, workspace=workspace)
    body = api.get("/v1/employees").json()
    assert len(body["data"]) == 50
    assert body["total_count"] == 55
    assert body["next_cursor"]


def test_a_walk_visits_every_row_once_in_order(api, workspace):
    EmployeeFactory.create_batch(23, workspace=workspace)
    seen, pages = walk(api, "/v1/employees", limit=5)
    assert pages == 5
    assert len(seen) == 23 == len(set(seen))
    assert seen == sorted(seen)


def test_rows_inserted_between_pages_are_neither_skipped_nor_repeated(api, workspace):
    EmployeeFactory.create_batch(10, workspace=workspace)
    first = api.get("/v1/employees", {"limit": 4}).json()
    seen = [row["id"] for row in first["data"]]
    cursor = first["next_cursor"]
    inserted = []
    while cursor:
        inserted.append(api.post("/v1/employees", {"full_name": "New", "start_date": "2024-01-01"}).json()["id"])
        page = api.get("/v1/employees", {"limit": 4, "cursor": cursor}).json()
        seen.extend(row["id"] for row in page["data"])
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert set(seen) >= {e.pk for e in workspace.employees.all()} - set(inserted), "an old row was skipped"
    assert set(inserted) <= set(seen), "rows inserted during the walk appear at its end"


def test_total_count_follows_filters(api, workspace):
    EmployeeFactory.create_batch(4, workspace=workspace, department="Sales")
    EmployeeFactory.create_batch(2, workspace=workspace, department="Ops")
    assert api.get("/v1/employees", {"department": "Ops", "limit": 1}).json()["total_count"] == 2


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "1.5"])
def test_limit_out_of_range_is_400_naming_limit(api, limit):
    response = api.get("/v1/employees", {"limit": limit})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["limit"]


@pytest.mark.parametrize("limit", ["1", "200"])
def test_limit_bounds_are_accepted(api, limit):
    assert api.get("/v1/employees", {"limit": limit}).status_code == 200


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "!!!",
        base64.urlsafe_b64encode(b"v1:1 OR 1=1").decode(),
        base64.urlsafe_b64encode(b"v2:x").decode(),
    ],
)
def test_a_bad_cursor_is_400_naming_cursor(api, cursor):
    response = api.get("/v1/employees", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == ["cursor"]


@override_settings(PULSEHR_EXACT_COUNT_LIMIT=5, PULSEHR_COUNT_CACHE_SECONDS=60)
def test_large_counts_are_cached_for_a_bounded_time_small_ones_are_exact(api, workspace):
    from django.core.cache import cache

    from pulsehr.api.counting import forget_local_counts

    cache.clear()
    EmployeeFactory.create_batch(7, workspace=workspace, department="Big")
    EmployeeFactory.create_batch(2, workspace=workspace, department="Small")
    assert api.get("/v1/employees", {"department": "Big"}).json()["total_count"] == 7
    assert api.get("/v1/employees", {"department": "Small"}).json()["total_count"] == 2
    EmployeeFactory.create_batch(1, workspace=workspace, department="Big")
    EmployeeFactory.create_batch(1, workspace=workspace, department="Small")
    # Above the exact limit the cached figure is served until it expires; below it, always exact.
    assert api.get("/v1/employees", {"department": "Big"}).json()["total_count"] == 7
    assert api.get("/v1/employees", {"department": "Small"}).json()["total_count"] == 3
    cache.clear()
    forget_local_counts()
    assert api.get("/v1/employees", {"department": "Big"}).json()["total_count"] == 8


@override_settings(PULSEHR_EXACT_COUNT_LIMIT=5, PULSEHR_COUNT_CACHE_SECONDS=3)
def test_a_cached_count_is_refreshed_before_it_expires_so_no_request_waits_for_it_at_expiry(api, workspace):
    """In the last third of its time one request counts again; the others keep the cached figure.
    Seeing the new total before the first figure's expiry shows the refresh came ahead of it."""
    from django.core.cache import cache

    cache.clear()
    EmployeeFactory.create_batch(7, workspace=workspace)
    counted_before = time.time()
    assert api.get("/v1/employees").json()["total_count"] == 7
    EmployeeFactory.create_batch(1, workspace=workspace)
    deadline = time.monotonic() + 15
    while api.get("/v1/employees").json()["total_count"] != 8:
        assert time.monotonic() < deadline, "the count was never refreshed"
        time.sleep(0.02)
    assert time.time() < counted_before + 3, "refreshed only once the cached count had expired"
