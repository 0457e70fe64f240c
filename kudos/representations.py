"""The one representation of kudos: what the API answers and what events carry."""

from pulsehr.timestamps import format_datetime

from .models import Kudos

# The columns the representation reads (list pages fetch exactly these with .values()).
KUDOS_ROW_FIELDS = ("id", "from_employee_id", "to_employee_id", "coins", "tag", "note", "created_at")


def kudos_as_dict(kudos: Kudos | dict) -> dict:
    """The kudos as the API and its events show it, from a model or a `.values()` row."""
    row = kudos if isinstance(kudos, dict) else vars(kudos)
    return {
        "id": row["id"],
        "from_employee_id": row["from_employee_id"],
        "to_employee_id": row["to_employee_id"],
        "coins": row["coins"],
        "tag": row["tag"],
        "note": row["note"],
        "created_at": format_datetime(row["created_at"]),
    }
