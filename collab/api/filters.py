import django_filters

from employees.models import Employee


class CollabUserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="full_name", lookup_expr="icontains", help_text="People whose name contains this, any case."
    )

    class Meta:
        model = Employee
        fields = ["q"]
