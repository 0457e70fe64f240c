import orjson
from django.conf import settings
from django.http import HttpResponse

from .columns import EMPLOYEE_COLUMNS
from .models import Employee


def employees(request):
    """The first 50 employees of the bench tenant, by id as the API pages them, as JSON."""
    rows = Employee.objects.filter(
        workspace_id=settings.FLOOR_WORKSPACE_ID, environment=settings.FLOOR_ENVIRONMENT
    ).order_by("pk")
    body = orjson.dumps({"data": list(rows.values(*EMPLOYEE_COLUMNS)[:50])})
    return HttpResponse(body, content_type="application/json")
