"""Racing check-ins for the same person and week: exactly one lands, the rest are 409, never 500."""

import pytest

from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import race
from webhooks.models import Event
from workload.models import WorkloadCheckin

from .conftest import CHECKINS

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_check_ins_for_the_same_week_let_exactly_one_win():
    workspace = WorkspaceFactory()
    employee = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in range(4)]
    levels = ["light", "balanced", "heavy", "overloaded"]
    responses = race(
        [
            lambda c=c, level=level: c.post(CHECKINS, {"employee_id": employee.pk, "level": level})
            for c, level in zip(clients, levels, strict=True)
        ]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.content for r in responses]
    assert WorkloadCheckin.objects.count() == 1 and Event.objects.count() == 1
