"""Sample Employee Score payloads for /v1/openapi.json and the /ecosystem event catalogue, made
with the pure model and the representations the API and events use."""

from datetime import date

from employees.samples import SAMPLE_EMPLOYEE_ID
from leave.calendar import WorkCalendar
from webhooks.samples import SAMPLE_TIME

from .model import EmployeeData, GroupFigures, Recognition, WorkloadSummary, WorkspaceData, compute_score
from .representations import group_as_dict, score_as_dict, score_changed_as_dict, snapshot_as_dict

SAMPLE_AS_OF = date(2025, 3, 17)
SAMPLE_SNAPSHOT_ID = "scr_01JP9ZTDE03KZMG98D1AH52Z3S"


def sample_score():
    data = EmployeeData(
        employment_start=date(2023, 1, 9),
        employment_end=None,
        recognition=Recognition(givers=4, coins=60),
        posted_days=48,
        workload=WorkloadSummary(balanced=8, heavy=3, overloaded=1),
    )
    workspace = WorkspaceData(
        calendar=WorkCalendar(frozenset({1, 2, 3, 4, 5})),
        allowances={"vacation": 25, "personal": 3},
        recognition_median=3.0,
        uses_kudos=True,
        uses_status_log=True,
    )
    return compute_score(data, workspace=workspace, as_of=SAMPLE_AS_OF, window_days=90)


def employee_score() -> dict:
    return score_as_dict(SAMPLE_EMPLOYEE_ID, sample_score())


def score_snapshot() -> dict:
    score = employee_score()
    return snapshot_as_dict(
        {
            "id": SAMPLE_SNAPSHOT_ID,
            "employee_id": SAMPLE_EMPLOYEE_ID,
            "week_start": SAMPLE_AS_OF,
            "as_of": SAMPLE_AS_OF,
            "window_days": 90,
            "score": score["score"],
            "band": score["band"],
            "factors": score["factors"],
            "created_at": SAMPLE_TIME,
        }
    )


def employee_score_changed() -> dict:
    current = employee_score()
    previous = {
        "score": min(100, current["score"] + 12),
        "band": "good",
        "factors": [
            {**factor, "score": min(100, factor["score"] + 40)} if factor["key"] == "workload" else factor
            for factor in current["factors"]
        ],
    }
    return score_changed_as_dict(
        employee_id=SAMPLE_EMPLOYEE_ID, week_start=SAMPLE_AS_OF, previous=previous, current=current, threshold=10
    )


def score_groups() -> dict:
    factors = {"recognition": 64, "participation": 81, "workload": 72, "time_off": 58}
    return {
        "by": "department",
        "as_of": SAMPLE_AS_OF.isoformat(),
        "min_group_size": 5,
        "groups": [
            group_as_dict(GroupFigures("Design", 3, True), "Design"),
            group_as_dict(GroupFigures("Engineering", 24, False, 70, "good", factors), "Engineering"),
            group_as_dict(GroupFigures("Legal", 4, True), "Legal"),
        ],
        "total": group_as_dict(GroupFigures("", 31, False, 68, "good", factors), "Everyone"),
    }


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    return {
        "EmployeeScore": employee_score(),
        "ScoreSnapshot": score_snapshot(),
        "ScoreGroups": score_groups(),
        "score_groups.400": {"message": "by must be one of department, location, manager.", "fields": ["by"]},
    }
