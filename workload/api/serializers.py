from rest_framework import serializers

from pulsehr.api.serializers import ACTING_EMPLOYEE_HELP, RowSerializer, StrictSerializer

from ..choices import WorkloadLevel
from ..representations import WORKLOAD_CHECKIN_ROW_FIELDS, workload_checkin_as_dict

LEVEL_HELP = "How the week feels: light, balanced, heavy or overloaded."


class WorkloadCheckinSerializer(RowSerializer):
    """One person's self-reported load for one week, named by its Monday. Immutable once recorded."""

    # The fields document the read shape for the schema; rendering goes through workload_checkin_as_dict.
    row_fields = WORKLOAD_CHECKIN_ROW_FIELDS

    id = serializers.CharField(help_text="`wl_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee who checked in (an `emp_` id).")
    week_start = serializers.DateField(help_text="The Monday of the week the check-in is about.")
    level = serializers.ChoiceField(choices=WorkloadLevel.choices, help_text=LEVEL_HELP)
    created_at = serializers.DateTimeField(help_text="When the check-in was recorded, ISO 8601 in UTC.")

    @classmethod
    def represent(cls, row, context):
        return workload_checkin_as_dict(row)


class WorkloadCheckinCreateSerializer(StrictSerializer):
    """A new workload check-in. Unknown keys are refused with 400."""

    actor_fields = ("employee_id",)

    employee_id = serializers.CharField(
        max_length=40,
        required=False,
        help_text="The employee checking in (an `emp_` id); must be active, and have started by the end of the week."
        + ACTING_EMPLOYEE_HELP,
    )
    week_start = serializers.DateField(
        required=False,
        help_text="A Monday. Defaults to the current week (Monday of today in the workspace's time zone); may not "
        "be a future week. One check-in per employee per week.",
    )
    level = serializers.ChoiceField(choices=WorkloadLevel.choices, help_text=LEVEL_HELP)
