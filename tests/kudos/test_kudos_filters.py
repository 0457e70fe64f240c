"""GET /v1/kudos: each filter, bad parameters, and the cursor walk."""

from datetime import UTC, datetime

import pytest

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["data"]}


@pytest.fixture
def people(make_employee):
    return [make_employee() for _ in range(3)]


def test_filters_by_giver_receiver_and_tag(api, people, make_kudos):
    a, b, c = people
    ab = make_kudos(from_employee=a, to_employee=b, tag="craft")
    ac = make_kudos(from_employee=a, to_employee=c, tag="teamwork")
    ba = make_kudos(from_employee=b, to_employee=a, tag=None)
    assert ids(api.get("/v1/kudos", {"from_employee_id": a.pk})) == {ab.pk, ac.pk}
    assert ids(api.get("/v1/kudos", {"to_employee_id": a.pk})) == {ba.pk}
    assert ids(api.get("/v1/kudos", {"tag": "craft"})) == {ab.pk}
    assert ids(api.get("/v1/kudos", {"from_employee_id": a.pk, "tag": "teamwork"})) == {ac.pk}
    assert api.get("/v1/kudos", {"from_employee_id": a.pk}).json()["total_count"] == 2
    assert ids(api.get("/v1/kudos", {"to_employee_id": "emp_01J0000000000000000000000Z"})) == set()


def test_created_after_is_inclusive_and_created_before_exclusive(api, people, make_kudos):
    a, b, _ = people
    stamps = [datetime(2025, 5, 31, 21, 59, tzinfo=UTC), datetime(2025, 5, 31, 22, tzinfo=UTC)]
    stamps += [datetime(2025, 6, 30, 21, 59, 59, tzinfo=UTC), datetime(2025, 6, 30, 22, tzinfo=UTC)]
    rows = [make_kudos(from_employee=a, to_employee=b, created_at=stamp) for stamp in stamps]
    # June in Rome (UTC+2) as an explicit window.
    june = {"created_after": "2025-06-01T00:00:00+02:00", "created_before": "2025-07-01T00:00:00+02:00"}
    assert ids(api.get("/v1/kudos", june)) == {rows[1].pk, rows[2].pk}
    assert ids(api.get("/v1/kudos", {"created_after": "2025-06-30T22:00:00Z"})) == {rows[3].pk}
    assert ids(api.get("/v1/kudos", {"created_before": "2025-05-31T22:00:00Z"})) == {rows[0].pk}
    # Without an offset, UTC.
    assert ids(api.get("/v1/kudos", {"created_after": "2025-06-30T22:00:00"})) == {rows[3].pk}
    assert ids(api.get("/v1/kudos", {"created_after": "2025-06-01"})) == {rows[2].pk, rows[3].pk}


def test_the_filters_show_what_the_api_returned(api, body):
    created = api.post("/v1/kudos", body(tag="craft")).json()
    page = api.get(
        "/v1/kudos",
        {
            "from_employee_id": created["from_employee_id"],
            "to_employee_id": created["to_employee_id"],
            "tag": "craft",
            "created_after": created["created_at"],
        },
    ).json()
    assert page["data"] == [created]
    assert api.get("/v1/kudos", {"created_before": created["created_at"]}).json()["total_count"] == 0


@pytest.mark.parametrize("param", ["created_after", "created_before"])
@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2025-13-01T00:00:00Z",
        "2025-06-01T25:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
    ],
)
def test_a_bad_datetime_is_400_naming_the_parameter(api, param, value):
    response = api.get("/v1/kudos", {param: value})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == [param]


def test_extreme_but_valid_datetimes_are_fine(api):
    for value in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00-01:00"):
        assert api.get("/v1/kudos", {"created_after": value}).status_code == 200, value


def walk(api, **params):
    seen, cursor, pages = [], None, 0
    while True:
        body = api.get("/v1/kudos", dict(params, **({"cursor": cursor} if cursor else {}))).json()
        seen.extend(row["id"] for row in body["data"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_pagination_counts_and_walks_every_kudos_once_in_order(api, people, make_kudos):
    a, b, c = people
    made = [make_kudos(from_employee=a, to_employee=b if n % 2 else c).pk for n in range(23)]
    first = api.get("/v1/kudos", {"limit": 5}).json()
    assert first["total_count"] == 23 and len(first["data"]) == 5 and first["next_cursor"]
    seen, pages = walk(api, limit=5)
    assert pages == 5
    assert seen == sorted(made) == sorted(set(seen))
    filtered, _ = walk(api, limit=4, to_employee_id=b.pk)
    assert len(filtered) == 11 and api.get("/v1/kudos", {"to_employee_id": b.pk}).json()["total_count"] == 11


def test_a_bad_limit_or_cursor_is_400(api):
    assert api.get("/v1/kudos", {"limit": 0}).json()["error"]["fields"] == ["limit"]
    assert api.get("/v1/kudos", {"cursor": "garbage"}).json()["error"]["fields"] == ["cursor"]
