"""The floor `make bench` measures the API against: the same 50 rows, with the same
columns the API reads, fetched with the least work Django can do (`.values()` into a
JsonResponse, no auth, no middleware work of ours). Mounted only when PULSEHR_BENCH_FLOOR
is set."""

from django.http import JsonResponse

from employees.api.serializers import EMPLOYEE_ROW_FIELDS
from employees.models import Employee


def floor(request):
    return JsonResponse({"data": list(Employee.objects.order_by("pk").values(*EMPLOYEE_ROW_FIELDS)[:50])})
