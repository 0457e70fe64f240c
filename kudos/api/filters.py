from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField

from ..models import Kudos


class InstantField(IsoDateTimeField):
    """An ISO 8601 datetime (UTC when it carries no offset) that must map to a UTC instant:
    '0001-01-01T00:00:00+01:00' parses but falls before year 1 in UTC, which the database
    adapters cannot store; that is the caller's bad parameter, not our 500."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError as exc:
                raise forms.ValidationError("This date/time is out of range.", code="invalid") from exc
        return value


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class KudosFilter(django_filters.FilterSet):
    from_employee_id = django_filters.CharFilter(
        field_name="from_employee_id", help_text="Kudos given by this employee."
    )
    to_employee_id = django_filters.CharFilter(field_name="to_employee_id", help_text="Kudos given to this employee.")
    tag = django_filters.CharFilter(help_text="Exact tag.")
    created_after = InstantFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="ISO 8601 datetime; kudos created at or after it. Without an offset, UTC is assumed.",
    )
    created_before = InstantFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text="ISO 8601 datetime; kudos created strictly before it. Without an offset, UTC is assumed.",
    )

    class Meta:
        model = Kudos
        fields = ["from_employee_id", "to_employee_id", "tag", "created_after", "created_before"]
