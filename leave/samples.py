"""Sample leave for the /ecosystem event catalogue: unsaved models shown through
leave_as_dict, as the leave.* events carry them."""

from datetime import date
from decimal import Decimal

from employees.samples import SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

from .balances import Balance
from .choices import LeaveKind, LeaveStatus
from .models import Leave
from .representations import balance_as_dict, leave_as_dict

SAMPLE_DECIDER = "user:7"


def _sample_leave(**changes) -> Leave:
    values = {
        "id": "lv_01JP9ZTDE03KZMG98D1AH52Z3J",
        "employee_id": SAMPLE_EMPLOYEE_ID,
        "kind": LeaveKind.VACATION,
        "start_date": date(2025, 4, 14),
        "end_date": date(2025, 4, 18),
        "half_day": False,
        "days": Decimal("5.0"),
        "note": "Spring break",
        "status": LeaveStatus.APPROVED,
        "decided_at": None,
        "decided_by": "",
        "version": 1,
        "created_at": SAMPLE_TIME,
        "updated_at": SAMPLE_TIME,
    }
    return Leave(**(values | changes))


def leave_logged() -> dict:
    return leave_as_dict(_sample_leave())


def leave_cancelled() -> dict:
    return leave_as_dict(_sample_leave(status=LeaveStatus.CANCELLED, version=2))


def leave_approved() -> dict:
    return leave_as_dict(
        _sample_leave(status=LeaveStatus.APPROVED, decided_at=SAMPLE_TIME, decided_by=SAMPLE_DECIDER, version=2)
    )


def leave_rejected() -> dict:
    return leave_as_dict(
        _sample_leave(status=LeaveStatus.REJECTED, decided_at=SAMPLE_TIME, decided_by=SAMPLE_DECIDER, version=2)
    )


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    balances = [
        Balance(kind=LeaveKind.VACATION, allowance=Decimal("25"), used=Decimal("3"), planned=Decimal("5")),
        Balance(kind=LeaveKind.SICK, allowance=None, used=Decimal("1.5"), planned=Decimal("0")),
    ]
    return {
        "Leave": leave_logged(),
        "LeaveCreateRequest": {
            "employee_id": SAMPLE_EMPLOYEE_ID,
            "kind": "vacation",
            "start_date": "2025-04-14",
            "end_date": "2025-04-18",
            "note": "Spring break",
        },
        "LeaveBalance": {
            "employee_id": SAMPLE_EMPLOYEE_ID,
            "year": 2025,
            "balances": [balance_as_dict(balance) for balance in balances],
        },
        "leave_create.422": {
            "message": "This overlaps lv_01JP9ZTDE03KZMG98D1AH52Z3K (Vacation 2025-04-16 – 2025-04-17, approved); "
            "cancel it or choose other dates.",
            "fields": ["start_date", "end_date"],
        },
    }
