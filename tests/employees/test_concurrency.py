"""Two writers racing on one employee: If-Match lets exactly one win."""

import pytest

from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_patches_with_the_same_if_match_let_exactly_one_win():
    workspace = WorkspaceFactory()
    employee = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in range(4)]
    responses = race(
        [
            lambda c=c, n=n: c.patch(f"/v1/employees/{employee.pk}", {"role": f"R{n}"}, headers={"If-Match": '"1"'})
            for n, c in enumerate(clients)
        ]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409, 409, 409], statuses
    employee.refresh_from_db()
    assert employee.version == 2
    assert employee.role == next(r.json()["role"] for r in responses if r.status_code == 200)
