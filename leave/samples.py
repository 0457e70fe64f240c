"""Sample leave for the /ecosystem event catalogue: unsaved models shown through
leave_as_dict, as the leave.* events carry them."""

from datetime import date
from decimal import Decimal

from employees.samples import SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

from .choices import AccrualMethod, CarryOver, LeaveKind, LeaveStatus, LeaveUnit, LedgerEntryKind
from .ledger import KindBalance
from .models import Leave, LeaveLedgerEntry
from .policies import KindPolicy
from .representations import balance_as_dict, leave_as_dict, ledger_entry_as_dict

SAMPLE_DECIDER = "user:7"
SAMPLE_DECIDER_NAME = "Grace Hopper"


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
        "decided_by_name": "",
        "decision_reason": "",
        "hours": None,
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
        _sample_leave(
            status=LeaveStatus.APPROVED,
            decided_at=SAMPLE_TIME,
            decided_by=SAMPLE_DECIDER,
            decided_by_name=SAMPLE_DECIDER_NAME,
            decision_reason="Enjoy the break",
            version=2,
        )
    )


def leave_rejected() -> dict:
    return leave_as_dict(
        _sample_leave(
            status=LeaveStatus.REJECTED,
            decided_at=SAMPLE_TIME,
            decided_by=SAMPLE_DECIDER,
            decided_by_name=SAMPLE_DECIDER_NAME,
            decision_reason="Release week: please pick other dates",
            version=2,
        )
    )


def _sample_entry(**changes) -> LeaveLedgerEntry:
    values = {
        "id": "led_01JP9ZTDE03KZMG98D1AH52Z3M",
        "employee_id": SAMPLE_EMPLOYEE_ID,
        "kind": LeaveKind.VACATION,
        "entry_type": LedgerEntryKind.ADJUSTMENT,
        "amount": Decimal("2"),
        "unit": LeaveUnit.DAYS,
        "effective_date": date(2025, 4, 1),
        "period": "",
        "leave_id": None,
        "reason": "Worked the weekend of the spring release",
        "actor": "api_key:key_01JP9ZTDE03KZMG98D1AH52Z3N",
        "actor_name": "HR system sync",
        "created_at": SAMPLE_TIME,
    }
    return LeaveLedgerEntry(**(values | changes))


def leave_balance_adjusted() -> dict:
    return ledger_entry_as_dict(_sample_entry())


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    vacation = KindBalance(
        kind=LeaveKind.VACATION,
        unit=LeaveUnit.DAYS,
        allowance=Decimal("28"),
        entitled=Decimal("13.5"),
        used=Decimal("3"),
        planned=Decimal("6"),
        pending=Decimal("1"),
        projected_year_end=Decimal("19"),
        expires=((Decimal("1"), date(2025, 3, 31)),),
        policy=KindPolicy(
            kind=LeaveKind.VACATION,
            allowance_days=Decimal("28"),
            accrual=AccrualMethod.MONTHLY,
            carry_over=CarryOver.CAPPED,
            carry_over_max=Decimal("5"),
            carry_over_until=(3, 31),
        ),
    )
    sick = KindBalance(
        kind=LeaveKind.SICK,
        unit=LeaveUnit.DAYS,
        allowance=None,
        entitled=None,
        used=Decimal("1.5"),
        planned=Decimal("0"),
        pending=Decimal("0"),
        projected_year_end=None,
        policy=KindPolicy(kind=LeaveKind.SICK, allowance_days=None),
    )
    ada = {
        "employee_id": SAMPLE_EMPLOYEE_ID,
        "name": "Ada Lovelace",
        "department": "Engineering",
        "leave_id": "lv_01JP9ZTDE03KZMG98D1AH52Z3J",
        "kind": "vacation",
        "status": "approved",
        "half_day": False,
        "hours": None,
    }
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
            "as_of": "2025-02-14",
            "balances": [balance_as_dict(balance) for balance in (vacation, sick)],
        },
        "LedgerEntry": leave_balance_adjusted(),
        "AdjustmentCreateRequest": {
            "employee_id": SAMPLE_EMPLOYEE_ID,
            "kind": "vacation",
            "amount": 2,
            "reason": "Worked the weekend of the spring release",
        },
        "DecisionRequest": {"reason": "Enjoy the break"},
        "WhosOut": {
            "date_from": "2025-04-17",
            "date_to": "2025-04-18",
            "days": [
                {"date": "2025-04-17", "working_day": True, "days_off": [], "out": [ada]},
                {
                    "date": "2025-04-18",
                    "working_day": False,
                    "days_off": [{"name": "Good Friday", "type": "public_holiday"}],
                    "out": [],
                },
            ],
        },
        "leave_create.422": {
            "message": "Only 2 days of vacation are available on 2025-04-18; this request needs 5 days.",
            "fields": ["end_date"],
        },
    }
