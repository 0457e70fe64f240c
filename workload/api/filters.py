import django_filters

from ..choices import WorkloadLevel
from ..models import WorkloadCheckin


class WorkloadCheckinFilter(django_filters.FilterSet):
    employee_id = django_filters.CharFilter(field_name="employee_id", help_text="Check-ins by this employee.")
    level = django_filters.ChoiceFilter(choices=WorkloadLevel.choices, help_text="Check-ins at this level.")
    week_start = django_filters.DateFilter(help_text="Check-ins for the week starting on this Monday.")
    week_from = django_filters.DateFilter(
        field_name="week_start", lookup_expr="gte", help_text="Check-ins for weeks starting on or after this date."
    )
    week_to = django_filters.DateFilter(
        field_name="week_start", lookup_expr="lte", help_text="Check-ins for weeks starting on or before this date."
    )

    class Meta:
        model = WorkloadCheckin
        fields = ["employee_id", "level", "week_start", "week_from", "week_to"]
