from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer, StrictSerializer

from ..choices import LeaveKind, LeaveStatus
from ..representations import LEAVE_ROW_FIELDS, leave_as_dict
from ..selectors import MAX_YEAR, MIN_YEAR
from ..services import MAX_LEAVE_DAYS

NOTE_MAX_LENGTH = 2000
KIND_HELP = "The kind of leave; each kind has its own yearly allowance, or none (unlimited)."


@extend_schema_field({"type": "number", "minimum": 0, "multipleOf": 0.5})
class DaysField(serializers.FloatField):
    """A number of days in 0.5 steps."""


@extend_schema_field({"type": "number", "minimum": 0})
class AllowanceField(serializers.FloatField):
    """Days of allowance, as the workspace sets them (prorated ones are in 0.5 steps)."""


@extend_schema_field({"type": "number"})
class RemainingField(serializers.FloatField):
    """Days left; negative when overdrawn."""


# The read shape: the fields document it, while rendering goes through leave_as_dict.
class LeaveSerializer(RowSerializer):
    """An entry in an employee's leave journal: a date range (or half a day) of one kind, and the
    working days it costs. Leave is never deleted: cancelling sets its status to `cancelled`."""

    row_fields = LEAVE_ROW_FIELDS

    id = serializers.CharField(help_text="`lv_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee on leave (an `emp_` id).")
    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text=KIND_HELP)
    start_date = serializers.DateField(help_text="First day of leave.")
    end_date = serializers.DateField(help_text="Last day of leave (equal to start_date for a single day).")
    half_day = serializers.BooleanField(
        help_text="Whether the leave is half of a single working day (start_date equals end_date, and days is 0.5)."
    )
    days = DaysField(
        help_text="Working days taken, computed by the server when the leave is logged: the days of the "
        "workspace's work week in the range, minus public holidays of its country (and region) and company "
        "days off. 0.5 for a half day. Fixed once logged."
    )
    note = serializers.CharField(allow_blank=True, help_text="Free-text note; empty when none.")
    status = serializers.ChoiceField(
        choices=LeaveStatus.choices,
        help_text="`approved` at once, or `pending` until HR staff decide when the workspace requires approval; "
        "`rejected` by HR staff; `cancelled` through DELETE.",
    )
    decided_at = serializers.DateTimeField(
        allow_null=True, help_text="When HR staff approved or rejected it; null when approved automatically."
    )
    decided_by = serializers.CharField(
        allow_null=True, help_text="Who approved or rejected it (`user:<id>`); null when approved automatically."
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField(help_text="When the leave was logged, ISO 8601 in UTC.")
    updated_at = serializers.DateTimeField(
        help_text="When the leave last changed (approved, rejected or cancelled), ISO 8601 in UTC."
    )

    @classmethod
    def represent(cls, row, context):
        return leave_as_dict(row)


class LeaveCreateSerializer(StrictSerializer):
    """Leave to log. Unknown keys are refused with 400."""

    employee_id = serializers.CharField(
        max_length=40,
        help_text="The employee taking leave (an `emp_` id); the leave must fall within their employment.",
    )
    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text=KIND_HELP)
    start_date = serializers.DateField(help_text=f"First day of leave, in the years {MIN_YEAR}–{MAX_YEAR}.")
    end_date = serializers.DateField(
        required=False,
        help_text="Last day of leave, included; defaults to start_date (a single day). A leave spans at most "
        f"{MAX_LEAVE_DAYS} calendar days.",
    )
    half_day = serializers.BooleanField(
        required=False, default=False, help_text="Half of a single working day (start_date = end_date): 0.5 days."
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=f"Free-text note, up to {NOTE_MAX_LENGTH:,} characters.",
    )

    def validate(self, attrs):
        attrs.setdefault("end_date", attrs["start_date"])
        return attrs


class BalanceSerializer(serializers.Serializer):
    """One leave kind's days in the year: the allowance, what is used and planned, and what remains."""

    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text="The leave kind these figures are for.")
    allowance = AllowanceField(
        allow_null=True,
        help_text="Days for the year, prorated by the days employed in it (nearest half day); null when the "
        "kind has no allowance (unlimited).",
    )
    used = DaysField(help_text="Approved days on or before today.")
    planned = DaysField(help_text="Approved days after today, plus pending days awaiting a decision.")
    remaining = RemainingField(
        allow_null=True, help_text="allowance − used − planned; negative when overdrawn, null when unlimited."
    )


class LeaveBalanceSerializer(serializers.Serializer):
    """An employee's leave per kind in one calendar year."""

    employee_id = serializers.CharField(help_text="The employee (an `emp_` id).")
    year = serializers.IntegerField(help_text="The calendar year the figures cover.")
    balances = BalanceSerializer(many=True, help_text="One entry per leave kind, all five always present.")
