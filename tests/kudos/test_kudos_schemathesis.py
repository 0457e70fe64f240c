"""Real kudos requests through the schemathesis harness of tests/api/test_schemathesis.py:
the fuzzing there rarely names two real, active employees, so these always reach 2xx (and
the rule 422s) and validate status, headers and body against /v1/openapi.json."""

from tests.api.test_schemathesis import (  # noqa: F401  (fixtures used by name)
    HOME_IDS,
    OTHER_IDS,
    call,
    generators_work,
    world,
    wsgi_keeps_db_connection,
)

MANAGER, REPORT, FORMER, NOT_STARTED = HOME_IDS


def kudos(**fields):
    return {"from_employee_id": MANAGER, "to_employee_id": REPORT, "coins": 10, **fields}


def test_real_kudos_give_2xx_and_rule_422s_that_match_the_schema(world):  # noqa: F811  (the imported fixture)
    created = call(
        world, "POST", "/v1/kudos", body=kudos(tag="craft", note="Thanks"), headers={"Idempotency-Key": "k1"}
    )
    assert created.status_code == 201 and created.json["id"].startswith("kud_")
    replayed = call(
        world, "POST", "/v1/kudos", body=kudos(tag="craft", note="Thanks"), headers={"Idempotency-Key": "k1"}
    )
    assert replayed.headers["Idempotent-Replayed"] == "true" and replayed.json == created.json
    assert call(world, "POST", "/v1/kudos", body=kudos(to_employee_id=NOT_STARTED, coins=90)).status_code == 201

    for body, field in (
        (kudos(coins=1), "coins"),  # 100 coins given this month already
        (kudos(to_employee_id=MANAGER), "to_employee_id"),
        (kudos(from_employee_id=FORMER), "from_employee_id"),
        (kudos(to_employee_id=OTHER_IDS[1]), "to_employee_id"),
    ):
        refused = call(world, "POST", "/v1/kudos", body=body)
        assert (refused.status_code, refused.json["error"]["fields"]) == (422, [field]), body

    listed = call(world, "GET", "/v1/kudos", query={"limit": 1})
    assert listed.json["total_count"] == 2 and listed.json["next_cursor"]
    page2 = call(world, "GET", "/v1/kudos", query={"limit": 1, "cursor": listed.json["next_cursor"]})
    assert page2.json["next_cursor"] is None
    query = {
        "from_employee_id": MANAGER,
        "to_employee_id": REPORT,
        "tag": "craft",
        "created_after": "2000-01-01T00:00:00Z",
    }
    assert call(world, "GET", "/v1/kudos", query=query).json["data"] == [created.json]
    assert call(world, "GET", "/v1/kudos", who="other").json["total_count"] == 0
