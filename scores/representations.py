"""The one representation of the Employee Score: what the API answers, snapshots store and the
employee.score_changed event carries."""

from pulsehr.timestamps import format_datetime

from .constants import FACTOR_KEYS
from .model import Factor, GroupFigures, Score


def _weight(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def factor_as_dict(factor: Factor) -> dict:
    return {
        "key": factor.key,
        "score": factor.score,
        "weight": _weight(factor.weight),
        "explanation": factor.explanation,
        "inputs": factor.inputs,
    }


def score_as_dict(employee_id: str, score: Score) -> dict:
    return {
        "employee_id": employee_id,
        "as_of": score.as_of.isoformat(),
        "window_days": score.window_days,
        "score": score.score,
        "band": score.band,
        "factors": [factor_as_dict(factor) for factor in score.factors],
    }


SNAPSHOT_ROW_FIELDS = (
    "id",
    "employee_id",
    "week_start",
    "as_of",
    "window_days",
    "score",
    "band",
    "factors",
    "created_at",
)


def snapshot_as_dict(row: dict) -> dict:
    return {
        "id": row["id"],
        "employee_id": row["employee_id"],
        "week_start": row["week_start"].isoformat(),
        "as_of": row["as_of"].isoformat(),
        "window_days": row["window_days"],
        "score": row["score"],
        "band": row["band"] or None,
        "factors": row["factors"],
        "created_at": format_datetime(row["created_at"]),
    }


def group_as_dict(group: GroupFigures, label: str) -> dict:
    suppressed = group.suppressed
    return {
        "key": group.key or None,
        "label": label,
        "suppressed": suppressed,
        "size": None if suppressed else group.size,
        "score": None if suppressed else group.score,
        "band": None if suppressed else group.band,
        "factors": None if suppressed else {key: group.factors.get(key) for key in FACTOR_KEYS},
    }


def groups_as_dict(report) -> dict:
    return {
        "by": report.by,
        "as_of": report.as_of.isoformat(),
        "min_group_size": report.min_group_size,
        "groups": [group_as_dict(group, label) for group, label in report.groups],
        "total": group_as_dict(report.total, "Everyone"),
    }


def score_changed_as_dict(*, employee_id: str, week_start, previous: dict, current: dict, threshold: int) -> dict:
    """The employee.score_changed payload: two snapshots' scores and the factors that moved."""
    before = {f["key"]: f["score"] for f in previous["factors"]}
    moved = [
        {"key": f["key"], "previous": before.get(f["key"]), "current": f["score"]}
        for f in current["factors"]
        if before.get(f["key"]) != f["score"]
    ]
    return {
        "employee_id": employee_id,
        "week_start": week_start.isoformat(),
        "threshold": threshold,
        "previous": {"score": previous["score"], "band": previous["band"] or None},
        "current": {"score": current["score"], "band": current["band"] or None},
        "factors_moved": moved,
    }
