"""{% employee_profile original %}: the summary at the top of an employee's admin page
(templates/admin/employees/employee/change_form.html)."""

from django import template

from dashboard.charts import sparkline
from dashboard.profile import employee_profile
from employees.models import Employee
from workload.choices import WorkloadLevel

register = template.Library()


@register.inclusion_tag("dashboard/employee_profile.html")
def employee_profile_panel(employee: Employee):
    profile = employee_profile(employee=employee)
    points = [(f"Week of {week.week_start:%d %b}: {week.label}", week.rank) for week in profile.workload]
    chart = sparkline(
        points,
        levels=len(WorkloadLevel.values),
        level_names=[label for _, label in WorkloadLevel.choices],
        week_names=[f"{week.week_start.day} {week.week_start:%b}" for week in profile.workload],
    )
    return {"profile": profile, "sparkline": chart, "levels": WorkloadLevel.choices}
