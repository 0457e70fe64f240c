"""A sample kudos for the /ecosystem event catalogue: an unsaved model shown through
kudos_as_dict, as kudos.awarded carries it."""

from employees.samples import SAMPLE_COLLEAGUE_ID, SAMPLE_EMPLOYEE_ID
from webhooks.samples import SAMPLE_TIME

from .models import Kudos
from .representations import kudos_as_dict


def kudos_awarded() -> dict:
    kudos = Kudos(
        id="kud_01JP9ZTDE03KZMG98D1AH52Z3G",
        from_employee_id=SAMPLE_COLLEAGUE_ID,
        to_employee_id=SAMPLE_EMPLOYEE_ID,
        coins=10,
        tag="teamwork",
        note="Thanks for pairing on the release!",
        created_at=SAMPLE_TIME,
    )
    return kudos_as_dict(kudos)


def api_examples() -> dict:
    """Examples for /v1/openapi.json (pulsehr/api/examples.py)."""
    return {
        "Kudos": kudos_awarded(),
        "KudosCreateRequest": {
            "from_employee_id": SAMPLE_COLLEAGUE_ID,
            "to_employee_id": SAMPLE_EMPLOYEE_ID,
            "coins": 10,
            "tag": "teamwork",
            "note": "Thanks for pairing on the release!",
        },
        "kudos_create.422": {
            "message": "Only 4 coins left this month (allowance 100). It renews on 2025-04-01.",
            "fields": ["coins"],
        },
    }
