from rest_framework import serializers

from pulsehr.api.serializers import JSONObjectField, RowSerializer, StrictSerializer

from ..choices import EmployeeStatus
from ..representations import EMPLOYEE_ROW_FIELDS, employee_as_dict

CUSTOM_FIELDS_MAX_KEYS = 100

FULL_NAME_HELP = "The person's full name, up to 200 characters; surrounding whitespace is trimmed."
START_DATE_HELP = "First day of employment."
CUSTOM_FIELDS_HELP = f"Free-form JSON object for the workspace's own fields, up to {CUSTOM_FIELDS_MAX_KEYS} keys."


# The read shape: the fields document it, while rendering goes through employee_as_dict.
class EmployeeSerializer(RowSerializer):
    """A person in the workspace environment, active or former. Employees are never deleted:
    offboarding sets `end_date`, and `status` follows from it."""

    row_fields = EMPLOYEE_ROW_FIELDS

    id = serializers.CharField(help_text="`emp_` followed by a ULID.")
    full_name = serializers.CharField(help_text="The person's full name.")
    email = serializers.EmailField(
        allow_null=True, help_text="Email address, lowercase; unique within the workspace environment. Null when none."
    )
    role = serializers.CharField(allow_blank=True, help_text="Job title; empty when not set.")
    department = serializers.CharField(allow_blank=True, help_text="Department; empty when not set.")
    manager_id = serializers.CharField(
        allow_null=True, help_text="The employee's manager (an `emp_` id); null when they have none."
    )
    start_date = serializers.DateField(help_text=START_DATE_HELP)
    end_date = serializers.DateField(
        allow_null=True,
        help_text="Last day of employment; null when no end is set. Offboarding sets it to today; it may also be "
        "set ahead of time.",
    )
    location = serializers.CharField(allow_blank=True, help_text="Where the person works; empty when not set.")
    custom_fields = serializers.DictField(help_text="Free-form JSON object for the workspace's own fields.")
    status = serializers.ChoiceField(
        choices=EmployeeStatus.choices,
        help_text="`former` once end_date is today or earlier in the workspace's time zone; `active` until then "
        "(including before start_date).",
    )
    version = serializers.IntegerField(help_text="Increments on every change; send it back as If-Match.")
    created_at = serializers.DateTimeField(help_text="When the employee was added, ISO 8601 in UTC.")
    updated_at = serializers.DateTimeField(help_text="When the employee last changed, ISO 8601 in UTC.")

    @classmethod
    def represent(cls, row, context):
        return employee_as_dict(row, context["today"])


class EmployeeWriteSerializer(StrictSerializer):
    full_name = serializers.CharField(max_length=200, help_text=FULL_NAME_HELP)
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Email address, stored lowercase; must be unique within the workspace environment (422 "
        "otherwise). Null or empty for none.",
    )
    role = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Job title, up to 120 characters."
    )
    department = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Department, up to 120 characters."
    )
    location = serializers.CharField(
        max_length=120, required=False, allow_blank=True, help_text="Where the person works, up to 120 characters."
    )
    manager_id = serializers.CharField(
        max_length=40,
        required=False,
        allow_null=True,
        help_text="The manager (an `emp_` id), or null for none. Must be an employee of this workspace environment "
        "and must not make a reporting cycle (422 otherwise).",
    )
    start_date = serializers.DateField(help_text=START_DATE_HELP)
    end_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Last day of employment, not before start_date; null for none. From this date on the status is "
        "`former`.",
    )
    custom_fields = JSONObjectField(required=False, max_keys=CUSTOM_FIELDS_MAX_KEYS, help_text=CUSTOM_FIELDS_HELP)


class EmployeeCreateSerializer(EmployeeWriteSerializer):
    """A new employee. Unknown keys are refused with 400."""


class EmployeeUpdateSerializer(EmployeeWriteSerializer):
    """The fields to change; those left out keep their values. full_name and start_date cannot be
    cleared. Unknown keys are refused with 400."""

    full_name = serializers.CharField(max_length=200, required=False, help_text=FULL_NAME_HELP)
    start_date = serializers.DateField(required=False, help_text=START_DATE_HELP)
    custom_fields = JSONObjectField(
        required=False,
        max_keys=CUSTOM_FIELDS_MAX_KEYS,
        help_text=CUSTOM_FIELDS_HELP + " Replaces the stored object whole; `{}` clears it.",
    )
