"""The Employee Score on an employee's admin page (a change-page panel, scores/apps.py), shown
only to staff the workspace's privacy setting lets see it (scores/privacy.py)."""

from datetime import timedelta

from employees.models import Employee
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.staff import staff_tenant_role

from .constants import WORKLOAD_WEEKS
from .models import ScoreSnapshot
from .privacy import individual_score_visible
from .selectors import employee_score, score_settings, week_start

FACTOR_LABELS = {
    "recognition": "Recognition",
    "participation": "Participation",
    "workload": "Workload balance",
    "time_off": "Time off",
}
TREND_WEEKS = WORKLOAD_WEEKS


def score_panel_context(tenant: Tenant, employee_id: str, *, request) -> dict:
    settings = score_settings(tenant=tenant)
    _, role = staff_tenant_role(request)
    visible, reason = individual_score_visible(
        tenant=tenant, privacy=settings.privacy, role=role, user=request.user, employee_id=employee_id
    )
    if not visible:
        return {"score_panel": {"hidden": reason}}
    employee = tenant.scope(Employee.objects).filter(pk=employee_id).first()
    if employee is None:
        return {}
    _, score = employee_score(tenant=tenant, employee=employee, settings=settings)
    first_week = week_start(score.as_of) - timedelta(weeks=TREND_WEEKS - 1)
    snapshots = dict(
        tenant.scope(ScoreSnapshot.objects)
        .filter(employee_id=employee.pk, week_start__gte=first_week)
        .values_list("week_start", "score")
    )
    trend = [
        {"week": week, "score": snapshots.get(week)}
        for week in (first_week + timedelta(weeks=n) for n in range(TREND_WEEKS))
    ]
    return {
        "score_panel": {
            "score": score,
            "factors": [{"label": FACTOR_LABELS[f.key], "factor": f} for f in score.factors],
            "trend": trend,
            "has_trend": any(point["score"] is not None for point in trend),
        }
    }
