"""The Employee Score on an employee's admin page (a change-page panel, scores/apps.py), shown
only to staff the workspace's privacy setting lets see it (scores/privacy.py)."""

from datetime import timedelta

from employees.models import Employee
from pulsehr.tenancy.context import Tenant
from pulsehr.tenancy.staff import staff_tenant_role

from .constants import WORKLOAD_WEEKS
from .models import ScoreSnapshot
from .privacy import individual_score_visible
from .selectors import employee_score, person_of, score_settings, week_start

FACTOR_LABELS = {
    "recognition": "Recognition",
    "participation": "Participation",
    "workload": "Workload balance",
    "time_off": "Time off",
}
TREND_WEEKS = WORKLOAD_WEEKS
# The trend is drawn as SVG bars (the Content-Security-Policy allows no style attributes):
# TREND_WEEKS bars of BAR_STEP user units each, in a box BAR_HEIGHT tall.
BAR_STEP, BAR_WIDTH, BAR_HEIGHT = 10, 8, 40


def bar(index: int, score: int | None) -> dict:
    """One week's bar: its score and where the SVG draws it."""
    height = 0 if score is None else max(1, round(score * BAR_HEIGHT / 100))
    return {"score": score, "x": index * BAR_STEP, "y": BAR_HEIGHT - height, "height": height}


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
    _, score = employee_score(tenant=tenant, person=person_of(employee), settings=settings)
    first_week = week_start(score.as_of) - timedelta(weeks=TREND_WEEKS - 1)
    snapshots = dict(
        tenant.scope(ScoreSnapshot.objects)
        .filter(employee_id=employee.pk, week_start__gte=first_week)
        .values_list("week_start", "score")
    )
    weeks = [first_week + timedelta(weeks=n) for n in range(TREND_WEEKS)]
    trend = [{"week": week, **bar(index, snapshots.get(week))} for index, week in enumerate(weeks)]
    return {
        "score_panel": {
            "score": score,
            "factors": [{"label": FACTOR_LABELS[f.key], "factor": f} for f in score.factors],
            "trend": trend,
            "has_trend": any(point["score"] is not None for point in trend),
        }
    }
