"""The Employee Score through HTTP with real keys: what an employee's score says, the privacy
setting, the scope, isolation, the envelope, the history and the groups."""

from datetime import timedelta

import pytest

from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.services import workspace_update
from scores.selectors import week_start
from scores.services import score_snapshots_take

pytestmark = pytest.mark.django_db


def _today(workspace):
    return Tenant(workspace, "live").today()


def _person(api, name, **fields):
    body = {"full_name": name, "start_date": "2022-03-01", **fields}
    response = api.post("/v1/employees", body)
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.fixture
def team(api, workspace):
    """Ada with recognition, standups, check-ins and leave; three colleagues who thank her."""
    today = _today(workspace)
    ada = _person(api, "Ada Lovelace", department="Engineering")
    others = [_person(api, f"Colleague {n}", department="Engineering") for n in range(3)]
    for giver in others:
        assert api.post("/v1/kudos", {"from_employee_id": giver, "to_employee_id": ada, "coins": 10}).status_code == 201
    for days_ago in range(1, 15):
        day = today - timedelta(days=days_ago)
        api.post("/v1/status-log", {"employee_id": ada, "lines": ["Worked"], "date": day.isoformat()})
    monday = week_start(today)
    for weeks_ago, level in enumerate(["balanced", "heavy", "balanced", "overloaded"]):
        week = (monday - timedelta(weeks=weeks_ago)).isoformat()
        response = api.post("/v1/workload-checkins", {"employee_id": ada, "level": level, "week_start": week})
        assert response.status_code == 201, response.json()
    # a day of leave about six weeks ago: the first that is a working day
    for days_ago in range(40, 60):
        start = (today - timedelta(days=days_ago)).isoformat()
        if api.post("/v1/leave", {"employee_id": ada, "kind": "vacation", "start_date": start}).status_code == 201:
            break
    else:
        raise AssertionError("no working day for the leave")
    return {"ada": ada, "others": others}


def test_an_employees_score_explains_every_factor(api, team):
    response = api.get(f"/v1/employees/{team['ada']}/score")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["employee_id"] == team["ada"] and body["window_days"] == 90
    factors = {f["key"]: f for f in body["factors"]}
    assert list(factors) == ["recognition", "participation", "workload", "time_off"]
    assert factors["recognition"]["inputs"]["distinct_givers"] == 3
    assert factors["recognition"]["inputs"]["coins"] == 30
    assert factors["participation"]["inputs"]["days_posted"] == 14
    assert factors["participation"]["inputs"]["days_on_leave"] in (0, 1)  # the leave day may be a holiday
    assert factors["workload"]["inputs"] == {
        "weeks": 4,
        "light": 0,
        "balanced": 2,
        "heavy": 1,
        "overloaded": 1,
        "consecutive_overloaded": 0,
    }
    assert factors["time_off"]["inputs"]["days_taken"] == 1.0
    assert all(f["explanation"].endswith(".") and f["weight"] == 1 for f in factors.values())
    assert all(0 <= f["score"] <= 100 for f in factors.values())
    assert 0 <= body["score"] <= 100 and body["band"] in ("critical", "low", "fair", "good", "excellent")


def test_a_person_without_data_has_null_factors_with_reasons_never_zero(api, make_employee):
    newcomer = _person(api, "New Person")
    body = api.get(f"/v1/employees/{newcomer}/score").json()
    assert body["score"] is None and body["band"] is None
    assert {f["key"]: f["explanation"] for f in body["factors"]}["workload"] == "No check-ins in 12 weeks."
    assert all(f["score"] is None for f in body["factors"])  # nobody logged leave either


def test_weights_follow_the_workspace(api, workspace, team):
    workspace_update(workspace=workspace, actor=SYSTEM, score_weights={"workload": 3, "time_off": 0})
    body = api.get(f"/v1/employees/{team['ada']}/score").json()
    assert {f["key"]: f["weight"] for f in body["factors"]} == {
        "recognition": 1,
        "participation": 1,
        "workload": 3,
        "time_off": 0,
    }


def test_as_of_is_a_date_and_a_bad_one_is_400_naming_it(api, team):
    assert api.get(f"/v1/employees/{team['ada']}/score", {"as_of": "2026-01-15"}).json()["as_of"] == "2026-01-15"
    response = api.get(f"/v1/employees/{team['ada']}/score", {"as_of": "15/01/2026"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request" and response.json()["error"]["fields"] == ["as_of"]


def test_an_unknown_employee_is_404(api):
    response = api.get("/v1/employees/emp_01JP9ZTDE03KZMG98D1AH52Z3C/score")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


# --- privacy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("privacy", ["hr_only", "hr_and_manager_chain"])
def test_api_keys_act_for_hr_and_see_individual_scores_unless_nobody_may(api, workspace, team, privacy):
    workspace_update(workspace=workspace, actor=SYSTEM, score_privacy=privacy)
    assert api.get(f"/v1/employees/{team['ada']}/score").status_code == 200
    assert api.get(f"/v1/employees/{team['ada']}/score/history").status_code == 200


def test_privacy_nobody_makes_individual_routes_403_saying_so_and_leaves_groups(api, workspace, team):
    workspace_update(workspace=workspace, actor=SYSTEM, score_privacy="nobody")
    for path in (f"/v1/employees/{team['ada']}/score", f"/v1/employees/{team['ada']}/score/history"):
        response = api.get(path)
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "permission_denied"
        assert "score_privacy is 'nobody'" in error["message"]
        assert error["request_id"] == response["X-Request-Id"]
    assert api.get("/v1/scores/groups").status_code == 200


# --- scope and isolation -----------------------------------------------------------------------


def test_reading_scores_needs_read_scores_and_read_all_includes_it(make_api, workspace, team):
    path = f"/v1/employees/{team['ada']}/score"
    response = make_api(workspace, scopes="read:employees,read:kudos").get(path)
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This API key lacks the 'read:scores' scope."
    for scopes in ("read:scores", "read:*", "write:scores"):
        assert make_api(workspace, scopes=scopes).get(path).status_code == 200, scopes


def test_other_workspaces_and_environments_see_no_score_and_no_group(api, team, outsiders):
    score_snapshots_take(tenant=Tenant(api.workspace, "live"), day=_today(api.workspace))
    for name, outsider in outsiders.items():
        for path in (f"/v1/employees/{team['ada']}/score", f"/v1/employees/{team['ada']}/score/history"):
            response = outsider.get(path)
            assert response.status_code == 404, (name, path)
        groups = outsider.get("/v1/scores/groups").json()
        assert groups["groups"] == [] and groups["total"]["suppressed"] is True, name


# --- history ---------------------------------------------------------------------------------


def test_history_lists_the_weekly_snapshots_between_from_and_to(api, team):
    tenant = Tenant(api.workspace, "live")
    monday = week_start(_today(api.workspace))
    weeks = [monday - timedelta(weeks=n) for n in (2, 1, 0)]
    for week in weeks:
        score_snapshots_take(tenant=tenant, day=week)
    path = f"/v1/employees/{team['ada']}/score/history"
    body = api.get(path).json()
    assert [row["week_start"] for row in body["data"]] == [w.isoformat() for w in weeks]
    assert body["total_count"] == 3 and body["next_cursor"] is None
    assert all(row["id"].startswith("scr_") and len(row["factors"]) == 4 for row in body["data"])
    narrowed = api.get(path, {"from": (weeks[1] + timedelta(days=3)).isoformat(), "to": weeks[1].isoformat()})
    assert [row["week_start"] for row in narrowed.json()["data"]] == [weeks[1].isoformat()]
    page = api.get(path, {"limit": 2}).json()
    rest = api.get(path, {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert [r["week_start"] for r in page["data"] + rest["data"]] == [w.isoformat() for w in weeks]
    response = api.get(path, {"from": weeks[2].isoformat(), "to": weeks[0].isoformat()})
    assert response.status_code == 400 and response.json()["error"]["fields"] == ["to"]


# --- groups ----------------------------------------------------------------------------------


def _scored_team(api, department, size, **fields):
    """`size` people who each have two factors (standups and a check-in), so each has a score."""
    today = _today(api.workspace)
    for n in range(size):
        person = _person(api, f"{department} {n}", department=department, **fields)
        api.post("/v1/status-log", {"employee_id": person, "lines": ["Hi"], "date": today.isoformat()})
        api.post("/v1/workload-checkins", {"employee_id": person, "level": "balanced"})


def test_groups_below_the_minimum_are_suppressed_and_so_is_the_next_smallest(api):
    _scored_team(api, "Engineering", 7)
    _scored_team(api, "Legal", 6)
    _scored_team(api, "Sales", 2)
    body = api.get("/v1/scores/groups", {"by": "department"}).json()
    assert body["min_group_size"] == 5 and body["by"] == "department"
    groups = {g["key"]: g for g in body["groups"]}
    assert groups["Sales"]["suppressed"] is True
    # total − Engineering would otherwise be Sales' two people: Legal is hidden with it
    assert groups["Legal"]["suppressed"] is True
    for hidden in (groups["Sales"], groups["Legal"]):
        assert (hidden["size"], hidden["score"], hidden["band"], hidden["factors"]) == (None, None, None, None)
    assert groups["Engineering"]["suppressed"] is False and groups["Engineering"]["size"] == 7
    assert set(groups["Engineering"]["factors"]) == {"recognition", "participation", "workload", "time_off"}
    assert body["total"]["size"] == 15 and body["total"]["suppressed"] is False


def test_the_minimum_group_size_is_the_workspaces(api, workspace):
    _scored_team(api, "Engineering", 3)
    _scored_team(api, "Legal", 3)
    assert all(g["suppressed"] for g in api.get("/v1/scores/groups").json()["groups"])
    workspace_update(workspace=workspace, actor=SYSTEM, score_min_group_size=3)
    assert not any(g["suppressed"] for g in api.get("/v1/scores/groups").json()["groups"])


def test_groups_by_manager_are_labelled_with_the_managers_name(api, workspace):
    workspace_update(workspace=workspace, actor=SYSTEM, score_min_group_size=3)
    grace, linus = _person(api, "Grace Hopper"), _person(api, "Linus Torvalds")
    _scored_team(api, "Engineering", 4, manager_id=grace)
    _scored_team(api, "Kernel", 3, manager_id=linus)
    body = api.get("/v1/scores/groups", {"by": "manager"}).json()
    # the two managers posted nothing and checked in nothing: one factor only, so no score and no group
    assert [(g["key"], g["label"], g["size"]) for g in body["groups"]] == [
        (grace, "Grace Hopper", 4),
        (linus, "Linus Torvalds", 3),
    ]
    # one more scored person without a manager: a group of one, hidden, and Linus's three with it
    extra = _person(api, "Solo Person")
    api.post("/v1/status-log", {"employee_id": extra, "lines": ["Hi"], "date": _today(workspace).isoformat()})
    api.post("/v1/workload-checkins", {"employee_id": extra, "level": "balanced"})
    body = api.get("/v1/scores/groups", {"by": "manager"}).json()
    assert [(g["key"], g["label"], g["size"]) for g in body["groups"]] == [
        (None, "(none)", None),
        (grace, "Grace Hopper", 4),
        (linus, "Linus Torvalds", None),
    ]


def test_an_unknown_grouping_is_400_naming_by(api):
    response = api.get("/v1/scores/groups", {"by": "team"})
    assert response.status_code == 400 and response.json()["error"]["fields"] == ["by"]


def test_groups_of_a_snapshotted_week_are_the_snapshots_and_agree_with_the_live_figures(api, workspace):
    workspace_update(workspace=workspace, actor=SYSTEM, score_min_group_size=3)
    _scored_team(api, "Engineering", 4)
    _scored_team(api, "Legal", 3)
    _scored_team(api, "Sales", 1)
    monday = week_start(_today(workspace))
    for by in ("department", "location", "manager"):
        live = api.get("/v1/scores/groups", {"by": by, "as_of": monday.isoformat()}).json()
        score_snapshots_take(tenant=Tenant(workspace, "live"), day=monday)
        from_snapshots = api.get("/v1/scores/groups", {"by": by, "as_of": monday.isoformat()}).json()
        assert from_snapshots == live, by
    later = api.get("/v1/scores/groups", {"as_of": (monday + timedelta(days=2)).isoformat()}).json()
    assert later["as_of"] == monday.isoformat()  # the week's snapshot, as of its Monday
