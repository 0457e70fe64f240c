import django_filters

from pulsehr.api.filters import InstantFilter

from ..models import Kudos


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
