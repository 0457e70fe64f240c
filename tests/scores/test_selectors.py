"""The reads behind scores: one person's and the whole tenant's agree."""

from datetime import date, timedelta

import pytest

from pulsehr.tenancy.context import Tenant
from scores.model import WorkloadSummary
from scores.selectors import _workload
from tests.factories import EmployeeFactory
from workload.models import WorkloadCheckin

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
WINDOW_START = MONDAY - timedelta(weeks=11)


def test_one_persons_workload_is_what_the_tenant_wide_group_by_counts(workspace):
    """Per person the weeks are summed in Python, for the tenant by one GROUP BY: an overloaded
    week just before the 12-week window still makes the window's first overloaded week a streak,
    and weeks outside the window and the other environment count for nothing."""
    tenant = Tenant(workspace, "live")
    streak_at_edge, scattered, none = (EmployeeFactory(workspace=workspace) for _ in range(3))
    levels = {
        streak_at_edge: {-1: "overloaded", 0: "overloaded", 1: "overloaded", 2: "balanced", 11: "heavy", 12: "light"},
        scattered: {-3: "overloaded", 0: "light", 2: "overloaded", 4: "overloaded", 5: "overloaded", 7: "balanced"},
    }
    for person, weeks in levels.items():
        for offset, level in weeks.items():
            WorkloadCheckin.objects.create(
                workspace=workspace,
                environment="live",
                employee=person,
                week_start=WINDOW_START + timedelta(weeks=offset),
                level=level,
            )
    WorkloadCheckin.objects.create(
        workspace=workspace,
        environment="test",
        employee=EmployeeFactory(workspace=workspace, environment="test"),
        week_start=MONDAY,
        level="overloaded",
    )
    ids = [streak_at_edge.pk, scattered.pk, none.pk]
    each = {pk: _workload(tenant, MONDAY + timedelta(days=2), [pk]) for pk in ids}
    everyone = _workload(tenant, MONDAY + timedelta(days=2), None)
    assert each[streak_at_edge.pk] == {streak_at_edge.pk: WorkloadSummary(0, 1, 1, 2, 2)}
    assert each[scattered.pk] == {scattered.pk: WorkloadSummary(1, 1, 0, 3, 1)}
    assert each[none.pk] == {}
    assert everyone == {pk: summary for one in each.values() for pk, summary in one.items()}
