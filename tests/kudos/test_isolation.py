"""Kudos tenancy beyond the contract every resource keeps (tests/api/test_resource_contract.py):
other tenants' people cannot be named, and kudos belong to the key's tenant."""

import pytest

from kudos.models import Kudos
from webhooks.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["from_employee_id", "to_employee_id"])
def test_another_tenants_employee_cannot_be_named(outsiders, body, make_employee, field):
    for name, outsider in outsiders.items():
        # A colleague of the outsider's own, so only the named field is at fault.
        home = make_employee(workspace=outsider.workspace, environment=outsider.environment)
        other = "to_employee_id" if field == "from_employee_id" else "from_employee_id"
        response = outsider.post("/v1/kudos", body(**{other: home.pk}))
        assert response.status_code == 422, name
        assert response.json()["error"]["fields"] == [field], name
    assert not Kudos.objects.exists()
    assert not Event.objects.exists()


def test_kudos_belong_to_the_keys_workspace_and_environment(make_api, workspace, make_employee):
    test_api = make_api(workspace, "test")
    a, b = make_employee(environment="test"), make_employee(environment="test")
    created = test_api.post("/v1/kudos", {"from_employee_id": a.pk, "to_employee_id": b.pk, "coins": 3}).json()
    row = Kudos.objects.get(pk=created["id"])
    assert (row.workspace_id, row.environment) == (workspace.pk, "test")
    event = Event.objects.get()
    assert (event.workspace_id, event.environment) == (workspace.pk, "test")
    assert make_api(workspace, "live").get("/v1/kudos").json()["total_count"] == 0
