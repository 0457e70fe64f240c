import django_filters

from ..models import StatusLogEntry


class StatusLogEntryFilter(django_filters.FilterSet):
    employee_id = django_filters.CharFilter(field_name="employee_id", help_text="Entries posted by this employee.")
    date = django_filters.DateFilter(help_text="Entries for exactly this date (YYYY-MM-DD).")
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", help_text="Entries on or after this date."
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", help_text="Entries on or before this date."
    )
    topic = django_filters.CharFilter(help_text="Entries with exactly this topic (case-sensitive).")

    class Meta:
        model = StatusLogEntry
        fields = ["employee_id", "date", "date_from", "date_to", "topic"]
