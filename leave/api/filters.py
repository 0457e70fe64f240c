import django_filters

from ..choices import LeaveKind, LeaveStatus, LedgerEntryKind
from ..models import Leave, LeaveLedgerEntry


class LeaveFilter(django_filters.FilterSet):
    employee_id = django_filters.CharFilter(field_name="employee_id", help_text="Leave of this employee.")
    kind = django_filters.ChoiceFilter(choices=LeaveKind.choices, help_text="Leave of this kind.")
    status = django_filters.ChoiceFilter(choices=LeaveStatus.choices, help_text="Leave in this status.")
    date_from = django_filters.DateFilter(
        field_name="end_date",
        lookup_expr="gte",
        help_text="Leave that ends on or after this date. With date_to: leave overlapping the window.",
    )
    date_to = django_filters.DateFilter(
        field_name="start_date",
        lookup_expr="lte",
        help_text="Leave that starts on or before this date. With date_from: leave overlapping the window.",
    )

    class Meta:
        model = Leave
        fields = ["employee_id", "kind", "status", "date_from", "date_to"]


class _LedgerMeta:
    model = LeaveLedgerEntry
    fields = ["employee_id", "kind", "entry_type", "from", "to"]


# Built with type(): the issue names its date filters `from` and `to`, which are Python keywords.
LedgerFilter = type(
    "LedgerFilter",
    (django_filters.FilterSet,),
    {
        "employee_id": django_filters.CharFilter(field_name="employee_id", help_text="Entries of this employee."),
        "kind": django_filters.ChoiceFilter(choices=LeaveKind.choices, help_text="Entries of this leave kind."),
        "entry_type": django_filters.ChoiceFilter(
            choices=LedgerEntryKind.choices, help_text="Entries of this type (grant, accrual, taken, …)."
        ),
        "from": django_filters.DateFilter(
            field_name="effective_date", lookup_expr="gte", help_text="Entries effective on or after this date."
        ),
        "to": django_filters.DateFilter(
            field_name="effective_date", lookup_expr="lte", help_text="Entries effective on or before this date."
        ),
        "Meta": _LedgerMeta,
        "__doc__": "Filters of the leave ledger.",
    },
)
