"""A sample workload check-in for the /ecosystem event catalogue: an unsaved model shown
through workload_checkin_as_dict, as workload.recorded carries it."""

from datetime import timedelta

from employees.samples import SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

from .choices import WorkloadLevel
from .models import WorkloadCheckin
from .representations import workload_checkin_as_dict


def workload_recorded() -> dict:
    today = SAMPLE_TIME.date()
    checkin = WorkloadCheckin(
        id="wl_01JP9ZTDE03KZMG98D1AH52Z3H",
        employee_id=SAMPLE_EMPLOYEE_ID,
        week_start=today - timedelta(days=today.weekday()),
        level=WorkloadLevel.BALANCED,
        created_at=SAMPLE_TIME,
    )
    return workload_checkin_as_dict(checkin)


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    sample = workload_recorded()
    return {
        "WorkloadCheckin": sample,
        "WorkloadCheckinCreateRequest": {key: sample[key] for key in ("employee_id", "week_start", "level")},
    }
