"""The admin's team-health page: the Employee Score by group, groups × factors as a heatmap with
suppressed cells marked, and each group's weekly trend from the snapshots. Group figures only,
so every member of the workspace may see it whatever the privacy setting."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Avg, Count
from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse

from pulsehr.tenancy.staff import staff_tenant_role

from .constants import FACTOR_KEYS, GROUP_DIMENSIONS
from .model import band_of, rounded, suppressed_groups
from .models import ScoreSnapshot
from .panels import FACTOR_LABELS, TREND_WEEKS, bar
from .selectors import GROUP_FIELD, score_groups, week_start


def heat(score: int | None) -> str:
    """The heatmap tone of a figure: the bands collapsed to four."""
    if score is None:
        return ""
    return f"pulse-heat-{0 if score < 30 else 1 if score < 50 else 2 if score < 65 else 3}"


def group_trends(*, tenant, by: str, last_week, min_size: int) -> dict[str, list[int | None]]:
    """Each group's mean snapshot score per week (people grouped as they are now), with the same
    complementary suppression each week: one GROUP BY over the snapshots."""
    weeks = [last_week - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    rows = (
        tenant.scope(ScoreSnapshot.objects)
        .filter(week_start__range=(weeks[0], weeks[-1]), score__isnull=False)
        .values_list("week_start", f"employee__{GROUP_FIELD[by]}")
        .annotate(mean=Avg("score"), size=Count("id"))
        .order_by()
    )
    by_week: dict = {}
    for week, key, mean, size in rows:
        by_week.setdefault(week, {})[key or ""] = (mean, size)
    trends: dict[str, list[int | None]] = {}
    for index, week in enumerate(weeks):
        figures = by_week.get(week, {})
        hidden = suppressed_groups({key: size for key, (_, size) in figures.items()}, min_size)
        for key, (mean, _) in figures.items():
            trends.setdefault(key, [None] * len(weeks))[index] = None if key in hidden else rounded(mean)
    return trends


def team_health(request):
    tenant, role = staff_tenant_role(request)
    if tenant is None or role is None:
        return HttpResponseForbidden("You are not a member of any workspace.")
    by = request.GET.get("by") if request.GET.get("by") in GROUP_DIMENSIONS else "department"
    report = score_groups(tenant=tenant, by=by)
    trends = group_trends(tenant=tenant, by=by, last_week=week_start(report.as_of), min_size=report.min_group_size)
    rows = [
        {
            "label": label,
            "group": group,
            "band": band_of(group.score),
            "heat": heat(group.score),
            "cells": [{"score": group.factors.get(k), "heat": heat(group.factors.get(k))} for k in FACTOR_KEYS],
            "trend": [bar(index, score) for index, score in enumerate(trends.get(group.key, []))],
        }
        for group, label in report.groups
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Team health",
        "tenant": tenant,
        "by": by,
        "dimensions": GROUP_DIMENSIONS,
        "report": report,
        "rows": rows,
        "factor_labels": [FACTOR_LABELS[k] for k in FACTOR_KEYS],
        "total": report.total,
        "total_cells": [
            {"score": report.total.factors.get(k), "heat": heat(report.total.factors.get(k))} for k in FACTOR_KEYS
        ],
    }
    return TemplateResponse(request, "scores/team_health.html", context)
