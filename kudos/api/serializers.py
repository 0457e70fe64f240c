from rest_framework import serializers

from pulsehr.api.serializers import ACTING_EMPLOYEE_HELP, RowSerializer, StrictSerializer

from ..constants import MAX_COINS, MIN_COINS, NOTE_MAX_LENGTH, TAG_MAX_LENGTH, TAG_PATTERN, TAG_RULE
from ..representations import KUDOS_ROW_FIELDS, kudos_as_dict


class KudosSerializer(RowSerializer):
    """A kudos: one employee thanking another with coins. Immutable once given."""

    # The read shape, declared for the OpenAPI schema; rendering goes through kudos_as_dict.
    row_fields = KUDOS_ROW_FIELDS

    id = serializers.CharField(help_text="`kud_` followed by a ULID.")
    from_employee_id = serializers.CharField(help_text="The employee who gave thanks (an `emp_` id).")
    to_employee_id = serializers.CharField(help_text="The employee thanked (an `emp_` id).")
    coins = serializers.IntegerField(
        min_value=MIN_COINS,
        max_value=MAX_COINS,
        help_text=f"Coins given, {MIN_COINS} to {MAX_COINS}; they count against the giver's monthly allowance.",
    )
    tag = serializers.CharField(
        allow_null=True, help_text="A short lowercase slug such as `above-and-beyond`, or null when none."
    )
    note = serializers.CharField(allow_blank=True, help_text="Why, in the giver's words; empty when none.")
    created_at = serializers.DateTimeField(
        help_text="When the kudos was given, ISO 8601 in UTC; it counts against the allowance of that month in the "
        "workspace's time zone."
    )

    @classmethod
    def represent(cls, row, context):
        return kudos_as_dict(row)


COINS_RULE = f"A whole number of coins from {MIN_COINS} to {MAX_COINS}."


class KudosCreateSerializer(StrictSerializer):
    """A kudos to give. Unknown keys are refused with 400."""

    actor_fields = ("from_employee_id",)

    from_employee_id = serializers.CharField(
        max_length=40,
        required=False,
        help_text="The employee giving thanks (an `emp_` id); must be active." + ACTING_EMPLOYEE_HELP,
    )
    to_employee_id = serializers.CharField(
        max_length=40, help_text="The employee thanked (an `emp_` id); must be active and not the giver."
    )
    coins = serializers.IntegerField(
        min_value=MIN_COINS,
        max_value=MAX_COINS,
        error_messages={"invalid": COINS_RULE, "min_value": COINS_RULE, "max_value": COINS_RULE},
        help_text=f"{COINS_RULE} Counted against the giver's monthly allowance (set per workspace, 100 coins by "
        "default) for the calendar month in the workspace's time zone; going over is a 422 whose message says how "
        "many coins are left.",
    )
    tag = serializers.RegexField(
        TAG_PATTERN,
        max_length=TAG_MAX_LENGTH,
        required=False,
        allow_null=True,
        error_messages={"invalid": TAG_RULE},
        help_text=f"{TAG_RULE} Up to {TAG_MAX_LENGTH} characters; omit or send null for none.",
    )
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=f"Why, in up to {NOTE_MAX_LENGTH} characters; omit, or send null or an empty string, for none.",
    )
