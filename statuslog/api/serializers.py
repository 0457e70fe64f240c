from rest_framework import serializers

from pulsehr.api.serializers import ACTING_EMPLOYEE_HELP, RowSerializer, StrictSerializer

from ..constants import MAX_LINE_LENGTH, MAX_LINES, MAX_TOPIC_LENGTH, MIN_LINES
from ..representations import STATUS_LOG_ENTRY_ROW_FIELDS, status_log_entry_as_dict

LINES_HELP = (
    f"{MIN_LINES} to {MAX_LINES} lines, each a non-empty string of at most {MAX_LINE_LENGTH} characters "
    "(surrounding whitespace is trimmed)."
)


class StatusLogEntrySerializer(RowSerializer):
    """An async-standup entry: one to three short lines one person posted about one day.
    Immutable once posted."""

    # The fields document the read shape for the schema; rendering goes through status_log_entry_as_dict.
    row_fields = STATUS_LOG_ENTRY_ROW_FIELDS

    id = serializers.CharField(help_text="`sl_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee who posted the entry (an `emp_` id).")
    date = serializers.DateField(help_text="The day the entry is about, in the workspace's time zone.")
    lines = serializers.ListField(
        child=serializers.CharField(max_length=MAX_LINE_LENGTH),
        min_length=MIN_LINES,
        max_length=MAX_LINES,
        help_text=f"{MIN_LINES} to {MAX_LINES} lines of at most {MAX_LINE_LENGTH} characters each.",
    )
    topic = serializers.CharField(allow_null=True, help_text="Optional short label, e.g. a project; null if none.")
    created_at = serializers.DateTimeField(help_text="When the entry was posted, ISO 8601 in UTC.")

    @classmethod
    def represent(cls, row, context):
        return status_log_entry_as_dict(row)


class LinesField(serializers.ListField):
    """A list of lines whose errors all name `lines`, never `lines.0`: the API reports the
    field at fault, and for a line that is the list."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError(
                [f"Line {int(index) + 1}: {message}" for index, messages in exc.detail.items() for message in messages]
            ) from exc


class StatusLogEntryCreateSerializer(StrictSerializer):
    """A new status-log entry. Unknown keys are refused with 400."""

    actor_fields = ("employee_id",)

    employee_id = serializers.CharField(
        max_length=40,
        required=False,
        help_text="The employee posting the entry (an `emp_` id); must be active, and the date may not be before "
        "their start_date." + ACTING_EMPLOYEE_HELP,
    )
    date = serializers.DateField(
        required=False,
        help_text="The day the entry is about. Defaults to today in the workspace's time zone; may not be in the "
        "future. One entry per employee per date.",
    )
    lines = LinesField(
        child=serializers.CharField(max_length=MAX_LINE_LENGTH),
        min_length=MIN_LINES,
        max_length=MAX_LINES,
        help_text=LINES_HELP,
    )
    topic = serializers.CharField(
        max_length=MAX_TOPIC_LENGTH,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=f"Optional short label, up to {MAX_TOPIC_LENGTH} characters; blank means none.",
    )
