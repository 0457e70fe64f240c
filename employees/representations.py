"""The one representation of an employee: what the API answers and what its events carry.
Plain dict-building: list pages are the hot path, several times faster than a ModelSerializer."""

from datetime import date

from pulsehr.timestamps import format_datetime

from .models import Employee, status_on

# The columns the representation reads (list pages fetch exactly these with .values()).
EMPLOYEE_ROW_FIELDS = (
    "id",
    "full_name",
    "email",
    "role",
    "department",
    "manager_id",
    "start_date",
    "end_date",
    "location",
    "custom_fields",
    "version",
    "created_at",
    "updated_at",
)


def employee_as_dict(employee: Employee | dict, today: date) -> dict:
    """The employee as the API and its events show it, from a model or a `.values()` row.
    Plain dict-building: list pages are the hot path, and this is several times faster
    than a ModelSerializer."""
    row = employee if isinstance(employee, dict) else vars(employee)
    end_date = row["end_date"]
    return {
        "id": row["id"],
        "full_name": row["full_name"],
        "email": row["email"],
        "role": row["role"],
        "department": row["department"],
        "manager_id": row["manager_id"],
        "start_date": row["start_date"].isoformat(),
        "end_date": end_date.isoformat() if end_date else None,
        "location": row["location"],
        "custom_fields": row["custom_fields"],
        "status": status_on(end_date, today),
        "version": row["version"],
        "created_at": format_datetime(row["created_at"]),
        "updated_at": format_datetime(row["updated_at"]),
    }
