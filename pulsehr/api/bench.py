"""The floor `make bench` measures the API against: the same 50 rows with the least work
Django can do. Mounted only when PULSEHR_BENCH_FLOOR is set."""

from django.http import JsonResponse

from employees.models import Employee


def floor(request):
    rows = list(
        Employee.objects.order_by("pk").values(
            "id", "full_name", "email", "role", "department", "manager_id", "start_date", "end_date", "location"
        )[:50]
    )
    return JsonResponse({"data": rows})
