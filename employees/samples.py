"""Sample employees for the /ecosystem event catalogue: unsaved models shown through
employee_as_dict, exactly as the employee.* events carry them."""

from datetime import date

from webhooks.samples import SAMPLE_TIME

from .models import Employee
from .representations import employee_as_dict

SAMPLE_EMPLOYEE_ID = "emp_01JP9ZTDE03KZMG98D1AH52Z3C"
SAMPLE_COLLEAGUE_ID = "emp_01JP9ZTDE03KZMG98D1AH52Z3D"
SAMPLE_MANAGER_ID = "emp_01JP9ZTDE03KZMG98D1AH52Z3E"


def _sample_employee(**changes) -> Employee:
    values = {
        "id": SAMPLE_EMPLOYEE_ID,
        "full_name": "Ada Lovelace",
        "email": "ada@example.com",
        "role": "Software engineer",
        "department": "Engineering",
        "location": "London",
        "manager_id": SAMPLE_MANAGER_ID,
        "start_date": date(2023, 1, 9),
        "end_date": None,
        "custom_fields": {"employee_number": "E-1024"},
        "version": 1,
        "created_at": SAMPLE_TIME,
        "updated_at": SAMPLE_TIME,
    }
    return Employee(**(values | changes))


def employee_created() -> dict:
    return employee_as_dict(_sample_employee(), SAMPLE_TIME.date())


def employee_updated() -> dict:
    return employee_as_dict(_sample_employee(role="Senior software engineer", version=2), SAMPLE_TIME.date())


def employee_offboarded() -> dict:
    return employee_as_dict(_sample_employee(end_date=SAMPLE_TIME.date(), version=3), SAMPLE_TIME.date())


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py): {component or operation.status: example}."""
    return {
        "Employee": employee_created(),
        "EmployeeCreateRequest": {
            "full_name": "Ada Lovelace",
            "email": "ada@example.com",
            "role": "Software engineer",
            "department": "Engineering",
            "location": "London",
            "manager_id": SAMPLE_MANAGER_ID,
            "start_date": "2023-01-09",
            "custom_fields": {"employee_number": "E-1024"},
        },
        "PatchedEmployeeUpdateRequest": {"role": "Senior software engineer"},
        "employees_create.422": {
            "message": "Another employee already uses the email ada@example.com.",
            "fields": ["email"],
        },
    }
