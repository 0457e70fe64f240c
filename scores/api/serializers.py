"""The Employee Score's read shapes, for the OpenAPI document: rendering goes through
scores/representations.py."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pulsehr.api.serializers import RowSerializer

from ..constants import BANDS, FACTOR_KEYS, GROUP_DIMENSIONS
from ..representations import SNAPSHOT_ROW_FIELDS, snapshot_as_dict

BAND_CHOICES = [name for name, _ in BANDS]
BAND_HELP = (
    "The band of the score: "
    + ", ".join(f"`{name}` from {lowest}" for name, lowest in BANDS)
    + "; null when there is no score."
)
SCORE_HELP = "0–100, null when fewer than two factors have data (see `factors` for why)."


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 100})
class ScoreField(serializers.IntegerField):
    """A score from 0 to 100, or null."""


@extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
class InputsField(serializers.JSONField):
    """The figures a factor was computed from, by name."""


class ScoreFactorSerializer(serializers.Serializer):
    """One factor of the score: its figure, how much it weighs, what it says and what it used."""

    key = serializers.ChoiceField(
        choices=FACTOR_KEYS,
        help_text="`recognition` (kudos received), `participation` (status-log days), `workload` (weekly "
        "check-ins) or `time_off` (leave taken and the longest stretch without).",
    )
    score = ScoreField(allow_null=True, help_text="0–100; null when there is no data, and `explanation` says why.")
    weight = serializers.FloatField(help_text="The factor's weight in the overall score (the workspace's setting).")
    explanation = serializers.CharField(help_text="One sentence: what the figure says, or why there is none.")
    inputs = InputsField(help_text="The figures the factor was computed from, by name (counts, days, medians).")


class EmployeeScoreSerializer(serializers.Serializer):
    """An employee's Employee Score on one day: the weighted mean of four explained factors."""

    employee_id = serializers.CharField(help_text="The employee scored (an `emp_` id).")
    as_of = serializers.DateField(help_text="The day the score is computed for.")
    window_days = serializers.IntegerField(
        help_text="Days recognition and participation look back (the workspace's setting, default 90)."
    )
    score = ScoreField(allow_null=True, help_text=SCORE_HELP)
    band = serializers.ChoiceField(choices=BAND_CHOICES, allow_null=True, help_text=BAND_HELP)
    factors = ScoreFactorSerializer(many=True, help_text="The four factors, always in the same order.")


class ScoreSnapshotSerializer(RowSerializer):
    """An employee's score as the weekly snapshot recorded it (Mondays, in the workspace's time zone)."""

    row_fields = SNAPSHOT_ROW_FIELDS

    id = serializers.CharField(help_text="`scr_` followed by a ULID.")
    employee_id = serializers.CharField(help_text="The employee scored (an `emp_` id).")
    week_start = serializers.DateField(help_text="The Monday of the week the snapshot belongs to.")
    as_of = serializers.DateField(help_text="The day the score was computed for.")
    window_days = serializers.IntegerField(help_text="Days recognition and participation looked back.")
    score = ScoreField(allow_null=True, help_text=SCORE_HELP)
    band = serializers.ChoiceField(choices=BAND_CHOICES, allow_null=True, help_text=BAND_HELP)
    factors = ScoreFactorSerializer(many=True, help_text="The four factors as they stood that week.")
    created_at = serializers.DateTimeField(help_text="When the snapshot was taken, ISO 8601 in UTC.")

    @classmethod
    def represent(cls, row, context):
        return snapshot_as_dict(row)


class ScoreGroupFactorsSerializer(serializers.Serializer):
    """Each factor's mean over the group's people who have it; null when fewer than the minimum group size do."""

    recognition = ScoreField(allow_null=True, help_text="Mean Recognition.")
    participation = ScoreField(allow_null=True, help_text="Mean Participation.")
    workload = ScoreField(allow_null=True, help_text="Mean Workload balance.")
    time_off = ScoreField(allow_null=True, help_text="Mean Time off.")


class ScoreGroupSerializer(serializers.Serializer):
    """One group's figures, or `suppressed: true` and no figures when it is too small to show."""

    key = serializers.CharField(
        allow_null=True,
        help_text="The department or location, or the manager's `emp_` id; null for people without one.",
    )
    label = serializers.CharField(help_text="What to show: the department, location or manager's name.")
    suppressed = serializers.BooleanField(
        help_text="True when the group has fewer scored people than the workspace's `min_group_size`, or is hidden "
        "with it so that it cannot be worked out from the total and the other groups."
    )
    size = serializers.IntegerField(
        allow_null=True, help_text="People with a score in the group; null when suppressed."
    )
    score = ScoreField(allow_null=True, help_text="The mean of the people's scores; null when suppressed.")
    band = serializers.ChoiceField(choices=BAND_CHOICES, allow_null=True, help_text=BAND_HELP)
    factors = ScoreGroupFactorsSerializer(allow_null=True, help_text="Factor means; null when suppressed.")


class ScoreGroupsSerializer(serializers.Serializer):
    """The Employee Score by group, people weighing equally, small groups suppressed."""

    by = serializers.ChoiceField(choices=GROUP_DIMENSIONS, help_text="How people are grouped.")
    as_of = serializers.DateField(help_text="The day the scores are computed for.")
    min_group_size = serializers.IntegerField(help_text="Groups with fewer scored people are suppressed (3–10).")
    groups = ScoreGroupSerializer(many=True, help_text="Every group with at least one scored person, by key.")
    total = ScoreGroupSerializer(help_text="Everyone scored, as one group (suppressed when too few).")
