"""The one representation of leave and of a balance: what the API answers and what events carry."""

from decimal import Decimal

from pulsehr.timestamps import format_datetime

from .balances import Balance
from .models import Leave


def _number(value: Decimal | None) -> float | None:
    """Days are Decimals in the database (exact halves) and plain JSON numbers on the wire."""
    return None if value is None else float(value)


# The columns the representation reads (list pages fetch exactly these with .values()).
LEAVE_ROW_FIELDS = (
    "id",
    "employee_id",
    "kind",
    "start_date",
    "end_date",
    "half_day",
    "days",
    "note",
    "status",
    "decided_at",
    "decided_by",
    "version",
    "created_at",
    "updated_at",
)


def leave_as_dict(leave: Leave | dict) -> dict:
    """The leave as the API and its events show it, from a model or a `.values()` row."""
    row = leave if isinstance(leave, dict) else vars(leave)
    decided_at = row["decided_at"]
    return {
        "id": row["id"],
        "employee_id": row["employee_id"],
        "kind": row["kind"],
        "start_date": row["start_date"].isoformat(),
        "end_date": row["end_date"].isoformat(),
        "half_day": row["half_day"],
        "days": _number(row["days"]),
        "note": row["note"],
        "status": row["status"],
        "decided_at": format_datetime(decided_at) if decided_at else None,
        "decided_by": row["decided_by"] or None,
        "version": row["version"],
        "created_at": format_datetime(row["created_at"]),
        "updated_at": format_datetime(row["updated_at"]),
    }


def balance_as_dict(balance: Balance) -> dict:
    return {
        "kind": balance.kind,
        "allowance": _number(balance.allowance),
        "used": _number(balance.used),
        "planned": _number(balance.planned),
        "remaining": _number(balance.remaining),
    }
