"""The exact-match short cut must filter exactly as django-filter does."""

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from employees.api.filters import EmployeeFilter
from employees.models import Employee
from pulsehr.api.filters import FilterBackend, plain_exact_filters
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


class View:
    filterset_class = EmployeeFilter


def both_ways(query: str, workspace):
    request = Request(RequestFactory().get(f"/v1/employees?{query}"))
    queryset = Employee.objects.filter(workspace=workspace)
    fast = FilterBackend().filter_queryset(request, queryset, View())
    slow = EmployeeFilter(request.query_params, queryset=queryset, request=request).qs
    return sorted(fast.values_list("pk", flat=True)), sorted(slow.values_list("pk", flat=True))


def test_plain_exact_filters_are_the_column_matches_only():
    assert plain_exact_filters(EmployeeFilter) == {
        "department": "department",
        "location": "location",
        "manager_id": "manager_id",
    }


@pytest.mark.parametrize(
    "query",
    [
        "department=Sales",
        "department=Sales&location=Milan",
        "department=",
        "department=Ops&department=Sales",
        "manager_id=nobody",
        "limit=5&location=Milan",
        "department=sales",
        "department=%20Sales%20",
        "department=%20",
    ],
)
def test_the_short_cut_matches_django_filter(workspace, query):
    boss = EmployeeFactory(workspace=workspace, department="Sales", location="Milan")
    EmployeeFactory(workspace=workspace, department="Sales", location="Berlin", manager=boss)
    EmployeeFactory(workspace=workspace, department="Ops", location="Milan", manager=boss)
    fast, slow = both_ways(query, workspace)
    assert fast == slow
