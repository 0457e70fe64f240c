"""Simultaneous kudos from one giver must not together exceed the monthly allowance: the
service locks the giver's row (PostgreSQL) or runs inside SQLite's single writer."""

import pytest

from kudos.models import Kudos
from tests.conftest import Api
from tests.factories import EmployeeFactory, WorkspaceFactory
from tests.helpers import race
from webhooks.models import Event

pytestmark = pytest.mark.django_db(transaction=True)


def give_at_once(clients, giver, receivers, coins):
    return race(
        [
            lambda c=c, r=r: c.post("/v1/kudos", {"from_employee_id": giver.pk, "to_employee_id": r.pk, "coins": coins})
            for c, r in zip(clients, receivers, strict=True)
        ]
    )


@pytest.mark.parametrize("coins,expected", [(60, [201, 422, 422, 422]), (30, [201, 201, 201, 422, 422])])
def test_simultaneous_kudos_from_one_giver_never_exceed_the_allowance(coins, expected):
    workspace = WorkspaceFactory()
    giver = EmployeeFactory(workspace=workspace)
    receivers = [EmployeeFactory(workspace=workspace) for _ in expected]
    clients = [Api(workspace) for _ in expected]
    responses = give_at_once(clients, giver, receivers, coins)
    assert sorted(r.status_code for r in responses) == expected, [r.content for r in responses]
    refused = [r.json()["error"] for r in responses if r.status_code == 422]
    assert all(error["fields"] == ["coins"] and "left this month" in error["message"] for error in refused)
    given = list(Kudos.objects.filter(from_employee=giver).values_list("coins", flat=True))
    assert len(given) == expected.count(201) and sum(given) <= 100
    assert Event.objects.filter(type="kudos.awarded").count() == len(given)


def test_simultaneous_kudos_from_different_givers_all_succeed():
    workspace = WorkspaceFactory()
    givers = [EmployeeFactory(workspace=workspace) for _ in range(4)]
    receiver = EmployeeFactory(workspace=workspace)
    clients = [Api(workspace) for _ in givers]
    responses = race(
        [
            lambda c=c, g=g: c.post(
                "/v1/kudos", {"from_employee_id": g.pk, "to_employee_id": receiver.pk, "coins": 100}
            )
            for c, g in zip(clients, givers, strict=True)
        ]
    )
    assert [r.status_code for r in responses] == [201] * 4
    assert Kudos.objects.count() == 4


def test_two_people_thanking_each_other_at_once_do_not_deadlock():
    """Each kudos locks its giver; inserting it also takes a key-share lock on the receiver
    (the foreign key). A FOR UPDATE lock on the giver would block the other kudos's key-share
    lock on the same row and deadlock; the giver's lock is FOR NO KEY UPDATE for that reason."""
    workspace = WorkspaceFactory()
    pairs = [(EmployeeFactory(workspace=workspace), EmployeeFactory(workspace=workspace)) for _ in range(3)]
    calls = []
    for a, b in pairs:
        for giver, receiver in ((a, b), (b, a)):
            client = Api(workspace)
            body = {"from_employee_id": giver.pk, "to_employee_id": receiver.pk, "coins": 5}
            calls.append(lambda c=client, body=body: c.post("/v1/kudos", body))
    responses = race(calls)
    assert [r.status_code for r in responses] == [201] * len(calls), [r.content for r in responses]
