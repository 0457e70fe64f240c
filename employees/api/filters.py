import django_filters
from django.db.models import Q

from ..choices import EmployeeStatus
from ..models import Employee


class EmployeeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=EmployeeStatus.choices, method="filter_status", help_text="active or former, as of today."
    )
    department = django_filters.CharFilter(help_text="Exact department.")
    location = django_filters.CharFilter(help_text="Exact location.")
    manager_id = django_filters.CharFilter(field_name="manager_id", help_text="Direct reports of this employee.")
    q = django_filters.CharFilter(method="filter_search", help_text="Case-insensitive match on name or email.")

    class Meta:
        model = Employee
        fields = ["status", "department", "location", "manager_id", "q"]

    def filter_status(self, queryset, name, value):
        today = self.request.auth.tenant.today()
        return queryset.active_on(today) if value == EmployeeStatus.ACTIVE else queryset.former_on(today)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(full_name__icontains=value) | Q(email__icontains=value))
