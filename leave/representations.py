"""The one representation of leave and of a balance: what the API answers and what events carry."""

from decimal import Decimal

from pulsehr.timestamps import format_datetime

from .ledger import KindBalance
from .models import Leave, LeaveLedgerEntry
from .policies import KindPolicy


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
    "decided_by_name",
    "decision_reason",
    "hours",
    "version",
    "created_at",
    "updated_at",
)


def actor_as_dict(recorded: str, name: str) -> dict | None:
    """Who did something, resolvable: `{"type": "user"|"api_key", "id", "name"}` from the recorded
    `user:42` or `api_key:key_…` and the name kept with it; None when nobody (or the system) did."""
    kind, _, actor_id = recorded.partition(":")
    if kind not in ("user", "api_key") or not actor_id:
        return None
    return {"type": kind, "id": actor_id, "name": name or recorded}


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
        "hours": _number(row["hours"]),
        "note": row["note"],
        "status": row["status"],
        "decided_at": format_datetime(decided_at) if decided_at else None,
        "decided_by": actor_as_dict(row["decided_by"], row["decided_by_name"]),
        "decision_reason": row["decision_reason"] or None,
        "version": row["version"],
        "created_at": format_datetime(row["created_at"]),
        "updated_at": format_datetime(row["updated_at"]),
    }


def balance_as_dict(balance: KindBalance) -> dict:
    """One kind's figures. allowance/used/planned/remaining keep their meaning from before the
    ledger; unit/entitled/pending/available/projected_year_end/expires are the ledger's."""
    return {
        "kind": balance.kind,
        "allowance": _number(balance.allowance),
        "used": _number(balance.used),
        "planned": _number(balance.planned),
        "remaining": _number(balance.remaining),
        "unit": balance.unit,
        "entitled": _number(balance.entitled),
        "pending": _number(balance.pending),
        "available": _number(balance.available),
        "projected_year_end": _number(balance.projected_year_end),
        "expires": [{"amount": _number(amount), "date": day.isoformat()} for amount, day in balance.expires],
        "policy": None if balance.policy is None else policy_as_dict(balance.policy),
    }


def policy_as_dict(policy: KindPolicy) -> dict:
    """The workspace's policy for a kind, as the balance shows it."""
    until = policy.carry_over_until
    return {
        "accrual": policy.accrual,
        "carry_over": policy.carry_over,
        "carry_over_max": _number(policy.carry_over_max),
        "carry_over_until": None if until is None else f"{until[0]:02d}-{until[1]:02d}",
        "hours_per_day": _number(policy.hours_per_day),
        "step": _number(policy.step),
        "negative_limit": _number(policy.negative_limit),
    }


LEDGER_ROW_FIELDS = (
    "id",
    "employee_id",
    "kind",
    "entry_type",
    "amount",
    "unit",
    "effective_date",
    "period",
    "leave_id",
    "reason",
    "actor",
    "actor_name",
    "created_at",
)


def ledger_entry_as_dict(entry: LeaveLedgerEntry | dict) -> dict:
    """A ledger entry as the API and the leave.balance_adjusted event show it."""
    row = entry if isinstance(entry, dict) else vars(entry)
    return {
        "id": row["id"],
        "employee_id": row["employee_id"],
        "kind": row["kind"],
        "entry_type": row["entry_type"],
        "amount": _number(row["amount"]),
        "unit": row["unit"],
        "effective_date": row["effective_date"].isoformat(),
        "period": row["period"] or None,
        "leave_id": row["leave_id"],
        "reason": row["reason"] or None,
        "created_by": actor_as_dict(row["actor"], row["actor_name"]),
        "created_at": format_datetime(row["created_at"]),
    }
