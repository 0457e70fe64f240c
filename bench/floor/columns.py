"""The columns the floor reads: those /v1/employees reads for its rows
(employees.representations.EMPLOYEE_ROW_FIELDS; tests/bench checks they stay equal). Kept apart
from the model so a test can read them without the floor's settings."""

EMPLOYEE_COLUMNS = (
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
