import django_filters

from pulsehr.api.filters import InstantFilter

from ..models import Event


class EventFilter(django_filters.FilterSet):
    type = django_filters.CharFilter(help_text="Exact event type, e.g. employee.created.")
    created_after = InstantFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text="ISO 8601 datetime; events at or after it. Without an offset, UTC is assumed.",
    )
    created_before = InstantFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text="ISO 8601 datetime; events strictly before it. Without an offset, UTC is assumed.",
    )

    class Meta:
        model = Event
        fields = ["type", "created_after", "created_before"]
