from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer, StrictSerializer

from ..choices import LeaveKind, LeaveStatus
from ..representations import LEAVE_ROW_FIELDS, leave_as_dict

NOTE_MAX_LENGTH = 2000


@extend_schema_field({"type": "number", "minimum": 0, "multipleOf": 0.5})
class DaysField(serializers.FloatField):
    """A number of days in 0.5 steps."""


@extend_schema_field({"type": "number", "minimum": 0})
class AllowanceField(serializers.FloatField):
    """Days of allowance, as the workspace sets them (prorated ones are in 0.5 steps)."""


@extend_schema_field({"type": "number"})
class RemainingField(serializers.FloatField):
    """Days left; negative when overdrawn."""


class LeaveSerializer(RowSerializer):
    """The read shape, declared for the OpenAPI schema; rendering goes through leave_as_dict."""

    row_fields = LEAVE_ROW_FIELDS

    id = serializers.CharField(help_text="`lv_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee on leave.")
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    start_date = serializers.DateField(help_text="First day of leave.")
    end_date = serializers.DateField(help_text="Last day of leave (equal to start_date for a single day).")
    half_day = serializers.BooleanField(help_text="Half of a single working day.")
    days = DaysField(
        help_text="Working days taken, computed by the server when the leave is logged: the days of the "
        "workspace's work week in the range, minus public holidays of its country (and region) and company "
        "days off. 0.5 for a half day. Fixed once logged."
    )
    note = serializers.CharField(allow_blank=True)
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
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @classmethod
    def represent(cls, row, context):
        return leave_as_dict(row)


class LeaveCreateSerializer(StrictSerializer):
    employee_id = serializers.CharField(max_length=40, help_text="The employee taking leave.")
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    start_date = serializers.DateField(help_text="First day of leave.")
    end_date = serializers.DateField(
        required=False, help_text="Last day of leave, included; defaults to start_date (a single day)."
    )
    half_day = serializers.BooleanField(
        required=False, default=False, help_text="Half of a single working day (start_date = end_date): 0.5 days."
    )
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        attrs.setdefault("end_date", attrs["start_date"])
        return attrs


class BalanceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
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

    employee_id = serializers.CharField()
    year = serializers.IntegerField()
    balances = BalanceSerializer(many=True, help_text="One entry per leave kind, all five always present.")
