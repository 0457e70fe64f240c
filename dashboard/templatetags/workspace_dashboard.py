"""{% workspace_dashboard %}: the admin index's dashboard for the workspace environment the
staff user is working in (templates/admin/index.html)."""

from django import template

from dashboard.charts import column_chart
from dashboard.workspace import Dashboard, dashboard_for
from pulsehr.tenancy.staff import WRITE_ROLES, staff_tenant_role
from workload.choices import WorkloadLevel

register = template.Library()


def workload_trend_chart(dashboard: Dashboard):
    bars = []
    for week in dashboard.workload_weeks:
        segments = [(level, label, week.counts[level]) for level, label in WorkloadLevel.choices]
        summary = ", ".join(f"{label} {value}" for _, label, value in segments)
        bars.append((f"{week.week_start:%d %b}", f"Week of {week.week_start:%d %b %Y}: {summary}", segments))
    return column_chart(bars)


def participation_chart(dashboard: Dashboard):
    bars = [
        (
            f"{day.day:%a %d}",
            f"{day.day:%A %d %b}: {day.posted} of {day.active} posted ({day.percent}%)",
            [("posted", "Posted", day.percent)],
        )
        for day in dashboard.participation
    ]
    return column_chart(bars, maximum=100, unit="%")


@register.inclusion_tag("dashboard/dashboard.html", takes_context=True)
def workspace_dashboard(context):
    # The admin's permission checks have already looked the tenant and role up for this request.
    tenant, role = staff_tenant_role(context["request"])
    if tenant is None:
        return {"tenant": None}
    dashboard = dashboard_for(tenant=tenant)
    this_week = dashboard.this_week_load
    return {
        "tenant": tenant,
        "dashboard": dashboard,
        "can_decide": role in WRITE_ROLES,
        "levels": [(level, label, this_week.counts[level]) for level, label in WorkloadLevel.choices],
        "workload_trend": workload_trend_chart(dashboard),
        "participation_chart": participation_chart(dashboard),
    }
