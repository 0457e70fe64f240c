"""The floor `make bench` measures the API against: the same 50 rows of the bench
workspace's live environment, with the same columns the API reads, fetched with the least
work Django can do (`.values()` into a JsonResponse, no auth). Mounted only when
PULSEHR_BENCH_FLOOR is set, which production never does: it serves data without a key."""

from functools import cache

from django.http import Http404, JsonResponse

from employees.api.serializers import EMPLOYEE_ROW_FIELDS
from employees.models import Employee
from pulsehr.tenancy.models import Workspace

BENCH_WORKSPACE = "bench"


@cache
def _bench_workspace_id() -> str:
    # Looked up once per process, as the API's key cache does for its workspace.
    workspace_id = Workspace.objects.filter(slug=BENCH_WORKSPACE).values_list("pk", flat=True).first()
    if workspace_id is None:
        raise Http404("No bench workspace.")
    return workspace_id


def floor(request):
    rows = Employee.objects.filter(workspace_id=_bench_workspace_id(), environment="live").order_by("pk")
    return JsonResponse({"data": list(rows.values(*EMPLOYEE_ROW_FIELDS)[:50])})
