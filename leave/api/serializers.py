from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer, StrictSerializer

from ..choices import AccrualMethod, CarryOver, LeaveKind, LeaveStatus, LeaveUnit, LedgerEntryKind
from ..representations import LEAVE_ROW_FIELDS, LEDGER_ROW_FIELDS, leave_as_dict, ledger_entry_as_dict
from ..selectors import MAX_YEAR, MIN_YEAR
from ..services import MAX_LEAVE_DAYS

NOTE_MAX_LENGTH = 2000
# A year of hours, with room: far beyond any real adjustment, well inside the ledger's column.
MAX_ADJUSTMENT = 10_000
KIND_HELP = "The kind of leave; each kind has its own yearly allowance, or none (unlimited)."


@extend_schema_field({"type": "number", "minimum": 0, "multipleOf": 0.5})
class DaysField(serializers.FloatField):
    """A number of days in 0.5 steps."""


@extend_schema_field({"type": "number", "minimum": 0})
class LeaveDaysField(serializers.FloatField):
    """Days of a leave: 0.5 steps, or a fraction of a working day for hourly leave."""


@extend_schema_field({"type": "number", "exclusiveMinimum": 0})
class HoursField(serializers.FloatField):
    """Hours of a single day."""


@extend_schema_field({"type": "number"})
class AmountField(serializers.FloatField):
    """An amount in the kind's unit (days or hours); negative takes away."""


@extend_schema_field({"type": "number"})
class NullableAmountField(serializers.FloatField):
    """An amount in the kind's unit; null when the kind is unlimited."""


@extend_schema_field({"type": "number", "minimum": 0})
class UsageField(serializers.FloatField):
    """A non-negative amount in the kind's unit."""


class ActorSerializer(serializers.Serializer):
    """Who did it, resolvable through the API (`api_key`) or the admin (`user`)."""

    type = serializers.ChoiceField(
        choices=[("user", "user"), ("api_key", "api_key")], help_text="A staff user (admin) or an API key."
    )
    id = serializers.CharField(help_text="The user's id, or the key's `key_` id.")
    name = serializers.CharField(help_text="The user's name, or the key's name, when they acted.")


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
    days = LeaveDaysField(
        help_text="Working days taken, computed by the server when the leave is logged: the days of the "
        "workspace's work week in the range, minus public holidays of its country (and region) and company "
        "days off. 0.5 for a half day; for hourly leave, its hours as a fraction of a working day. Fixed once logged."
    )
    hours = HoursField(
        allow_null=True,
        help_text="Hours taken on its one day, for a kind counted in hours; null for whole or half days.",
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
    decided_by = ActorSerializer(
        allow_null=True, help_text="Who approved or rejected it; null when approved automatically."
    )
    decision_reason = serializers.CharField(
        allow_null=True, help_text="The reason given with the approval or rejection; null when none."
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
    hours = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=24,
        help_text="For a kind counted in hours: the hours taken on a single day (start_date = end_date), a "
        "positive multiple of the step (one hour) up to the workspace's working hours per day.",
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
        if "hours" in attrs:
            attrs["hours"] = Decimal(str(attrs["hours"]))
        return attrs


class DecisionSerializer(StrictSerializer):
    """An approval or rejection. Unknown keys are refused with 400."""

    reason = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=f"Why, shown on the leave as decision_reason; up to {NOTE_MAX_LENGTH:,} characters.",
    )


class ExpirySerializer(serializers.Serializer):
    """A carried-over amount not yet used, and the day after which it lapses."""

    amount = UsageField(help_text="What lapses unless used, in the kind's unit.")
    date = serializers.DateField(help_text="The last day it may be used.")


class KindPolicySerializer(serializers.Serializer):
    """How the kind behaves in this workspace (set by HR staff in the admin)."""

    accrual = serializers.ChoiceField(
        choices=AccrualMethod.choices,
        help_text="`upfront` (the year's allowance on 1 January, prorated for joiners and leavers), `monthly` "
        "(1/12 on the first of each month) or `anniversary` (1/12 monthly on the hire date's day).",
    )
    carry_over = serializers.ChoiceField(
        choices=CarryOver.choices,
        help_text="What is left at the year's end moves into the next: `none`, `all`, or `capped` (up to "
        "carry_over_max).",
    )
    carry_over_max = NullableAmountField(allow_null=True, help_text="The cap when capped, in the unit; else null.")
    carry_over_until = serializers.CharField(
        allow_null=True, help_text='The last day ("MM-DD") carried-over amounts may be used; null: they do not lapse.'
    )
    hours_per_day = UsageField(help_text="The workspace's working hours per day (what a day of an hours kind costs).")
    step = UsageField(help_text="The smallest amount requests and adjustments move in: 0.5 (days) or 1 (hours).")
    negative_limit = UsageField(
        help_text="How far below zero a request may take the balance; 0 refuses any request beyond what is available."
    )


class BalanceSerializer(serializers.Serializer):
    """One leave kind's figures, summed from the ledger.

    `allowance`, `used`, `planned` and `remaining` keep their meaning from before the ledger (for
    one major version); `entitled`, `pending`, `available`, `projected_year_end` and `expires` are
    the ledger's. The mapping: `available` = `entitled` − `used` − `planned`, where `planned` counts
    approved leave after the date plus `pending` (so approved-after-the-date alone is
    `planned` − `pending`); `remaining` is the same sum over the whole year's `allowance`."""

    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text="The leave kind these figures are for.")
    allowance = AllowanceField(
        allow_null=True,
        help_text="The year's entitlement in the kind's unit: grants (prorated by the days employed in the year, "
        "to the nearest step) or accruals (those still to come included), carry-over, adjustments and expiry; "
        "null when the kind has no allowance (unlimited).",
    )
    used = UsageField(help_text="Approved leave in the year on or before the as-of date (today by default).")
    planned = UsageField(help_text="Approved leave in the year after the as-of date, plus pending leave.")
    remaining = RemainingField(
        allow_null=True, help_text="allowance − used − planned; negative when overdrawn, null when unlimited."
    )
    unit = serializers.ChoiceField(
        choices=LeaveUnit.choices, help_text="What the figures of this kind count: days, or hours."
    )
    entitled = NullableAmountField(
        allow_null=True,
        help_text="Granted + accrued + carried over + adjusted − expired in the year, up to the as-of date; null "
        "when unlimited.",
    )
    pending = UsageField(help_text="Leave in the year awaiting a decision (also counted in planned).")
    available = NullableAmountField(
        allow_null=True,
        help_text="entitled − used − planned: what a new request may take on the as-of date; null when unlimited.",
    )
    projected_year_end = NullableAmountField(
        allow_null=True,
        help_text="What will be left at the end of the year with the accruals still to come, once approved and "
        "pending leave is taken: allowance − used − planned; null when unlimited.",
    )
    expires = ExpirySerializer(
        many=True, help_text="Carried-over amounts still unused that lapse after the as-of date, with their date."
    )
    policy = KindPolicySerializer(help_text="The workspace's policy for this kind, which the figures follow.")


class LeaveBalanceSerializer(serializers.Serializer):
    """An employee's leave per kind in one calendar year."""

    employee_id = serializers.CharField(help_text="The employee (an `emp_` id).")
    year = serializers.IntegerField(help_text="The calendar year the figures cover.")
    as_of = serializers.DateField(help_text="The date entitled, used, planned and available are computed for.")
    balances = BalanceSerializer(many=True, help_text="One entry per leave kind, all five always present.")


class LedgerEntrySerializer(RowSerializer):
    """One change to what an employee may take of a kind: the ledger every balance is a sum of.
    Entries are never changed or deleted."""

    row_fields = LEDGER_ROW_FIELDS

    id = serializers.CharField(help_text="`led_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee (an `emp_` id).")
    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text="The leave kind.")
    entry_type = serializers.ChoiceField(
        choices=LedgerEntryKind.choices,
        help_text="`grant` (a yearly allowance, upfront), `accrual` (monthly), `carry_over` (last year's leftover), "
        "`expiry` (carried-over days lapsing), `adjustment` (by HR or an integration, with a reason), `taken` "
        "(approved leave, one per working day) or `reversed` (cancelled approved leave).",
    )
    amount = AmountField(help_text="In `unit`; positive adds to what may be taken, negative takes from it.")
    unit = serializers.ChoiceField(choices=LeaveUnit.choices, help_text="days or hours.")
    effective_date = serializers.DateField(help_text="The day it counts from.")
    period = serializers.CharField(
        allow_null=True,
        help_text="For scheduled entries, the period it is for (`2026`, `2026-03`, or `2026:fix:1` for a "
        "correction after an allowance or end date changed); each is written once. Null otherwise.",
    )
    leave_id = serializers.CharField(allow_null=True, help_text="The leave a taken or reversed entry belongs to.")
    reason = serializers.CharField(allow_null=True, help_text="Why, for an adjustment; null otherwise.")
    created_by = ActorSerializer(allow_null=True, help_text="Who made an adjustment; null for the others.")
    created_at = serializers.DateTimeField(help_text="When the entry was written, ISO 8601 in UTC.")

    @classmethod
    def represent(cls, row, context):
        return ledger_entry_as_dict(row)


class AdjustmentCreateSerializer(StrictSerializer):
    """An adjustment to an employee's balance of one kind. Unknown keys are refused with 400."""

    employee_id = serializers.CharField(max_length=40, help_text="The employee (an `emp_` id).")
    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text="The leave kind to adjust.")
    amount = serializers.FloatField(
        min_value=-MAX_ADJUSTMENT,
        max_value=MAX_ADJUSTMENT,
        help_text="In the kind's unit: a non-zero multiple of its step (0.5 days, or one hour); negative takes away.",
    )
    reason = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text="Why; kept on the entry and shown to HR staff. Required."
    )
    effective_date = serializers.DateField(
        required=False, help_text="The day it counts from; defaults to today in the workspace's time zone."
    )

    def validate(self, attrs):
        attrs["amount"] = Decimal(str(attrs["amount"]))
        return attrs


class OutPersonSerializer(serializers.Serializer):
    """Someone out on a day."""

    employee_id = serializers.CharField(help_text="The employee (an `emp_` id).")
    name = serializers.CharField(help_text="Their full name.")
    department = serializers.CharField(help_text="Their department; empty when none.")
    leave_id = serializers.CharField(help_text="The leave (an `lv_` id).")
    kind = serializers.ChoiceField(choices=LeaveKind.choices, help_text="The leave kind.")
    status = serializers.ChoiceField(
        choices=[(LeaveStatus.APPROVED, "approved"), (LeaveStatus.PENDING, "pending")],
        help_text="approved, or pending (only with include_pending=true).",
    )
    half_day = serializers.BooleanField(help_text="Out for half the day.")
    hours = HoursField(allow_null=True, help_text="Out for these hours of the day; null when the whole day.")


class DayOffSerializer(serializers.Serializer):
    """A public holiday or company day off."""

    name = serializers.CharField(help_text="What the day is.")
    type = serializers.ChoiceField(
        choices=[("public_holiday", "public_holiday"), ("company_day_off", "company_day_off")],
        help_text="A public holiday of the workspace's country (and region), or a company day off.",
    )


class WhosOutDaySerializer(serializers.Serializer):
    """One day: who is out, and whether the whole company is."""

    date = serializers.DateField(help_text="The day.")
    working_day = serializers.BooleanField(help_text="Whether it is a working day of the workspace.")
    days_off = DayOffSerializer(many=True, help_text="Public holidays and company days off on this day.")
    out = OutPersonSerializer(many=True, help_text="Who is out, by name.")


class WhosOutSerializer(serializers.Serializer):
    """Who is out, day by day."""

    date_from = serializers.DateField(help_text="The first day covered.")
    date_to = serializers.DateField(help_text="The last day covered.")
    days = WhosOutDaySerializer(many=True, help_text="Every day from date_from to date_to.")
