"""Racing posts for the same person and day: exactly one lands, the rest are 409, never 500."""

import pytest

from statuslog.models import StatusLogEntry
from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import race
from webhooks.models import Event

from .conftest import LINES, STATUS_LOG

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_posts_for_the_same_day_let_exactly_one_win():
    workspace = WorkspaceFactory()
    employee = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in range(4)]
    body = {"employee_id": employee.pk, "lines": LINES, "date": "2024-05-15"}
    responses = race([lambda c=c: c.post(STATUS_LOG, body) for c in clients])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409, 409], [r.content for r in responses]
    assert StatusLogEntry.objects.count() == 1 and Event.objects.count() == 1
