"""A smoke test of the bench's leave seeding and its two leave scenarios (the balance over five
years of monthly accruals and 200 leave records, and who's out in a department over 14 days) on a
small workspace: the code runs, and each scenario's request answers what run.py checks."""

import sys
from datetime import date
from pathlib import Path

import pytest

from ..factories import EmployeeFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def test_the_leave_seed_and_its_scenarios_run(make_api):
    import seed_leave

    workspace = WorkspaceFactory(slug="bench", timezone="Europe/Rome")
    EmployeeFactory(workspace=workspace, start_date=date(2012, 1, 1), department="Sales")
    for _ in range(12):
        EmployeeFactory(workspace=workspace, start_date=date(2020, 1, 1), department="Engineering")
    seeded = seed_leave.seed_leave(workspace_slug="bench", environment="live", seed=11, department="Engineering")
    assert seeded["records"] == seed_leave.RECORDS
    assert seeded["accrual_entries"] >= 12 * seed_leave.ACCRUAL_YEARS * len(seed_leave.ACCRUING)
    whos_out = seeded["whos_out"]
    assert whos_out["people"] == 12 and whos_out["rows"] >= 12

    api = make_api(workspace, scopes="read:*")
    balance = api.get(f"/v1/leave/balance/{seeded['employee_id']}").json()
    found = {row["kind"]: row["used"] + row["planned"] for row in balance["balances"]}
    assert found == seeded["year_days_by_kind"]
    path = f"/v1/leave/whos-out?department=Engineering&from={whos_out['from']}&to={whos_out['to']}"
    days = api.get(path).json()["days"]
    assert len(days) == seed_leave.WHOS_OUT_DAYS
    assert sum(len(day["out"]) for day in days) == whos_out["rows"]
