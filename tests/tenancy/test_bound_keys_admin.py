"""The admin side of API keys that act as one employee: the key's page and list show whom it acts
as (and that it stopped when they left), in the staff user's current workspace environment only;
offboarding through the admin stops the key."""

import pytest
from django.contrib.admin.utils import quote
from django.urls import reverse
from rest_framework.test import APIClient

from employees.models import Employee
from pulsehr.tenancy.models import ApiKey
from pulsehr.tenancy.services import api_key_create

from ..factories import EmployeeFactory, WorkspaceFactory
from ..staff import member_client

pytestmark = pytest.mark.django_db

KEYS = reverse("admin:tenancy_apikey_changelist")


@pytest.fixture
def world():
    mine, rival = WorkspaceFactory(name="Mine Corp"), WorkspaceFactory(name="Rival Corp")
    ada = EmployeeFactory(workspace=mine, full_name="Ada Mine")
    otto = EmployeeFactory(workspace=rival, full_name="Otto Rival")
    tess = EmployeeFactory(workspace=mine, environment="test", full_name="Tess Sandbox")
    keys = {}
    for name, workspace, environment, employee in [
        ("ada", mine, "live", ada),
        ("otto", rival, "live", otto),
        ("tess", mine, "test", tess),
    ]:
        keys[name], _ = api_key_create(
            workspace=workspace, environment=environment, scopes="read:*", name=f"{name} key", employee_id=employee.pk
        )
    keys["ada_secret"] = _secret_of(mine, ada)
    return {"mine": mine, "ada": ada, "keys": keys, "client": member_client(mine, "hr")}


def _secret_of(workspace, employee) -> str:
    _, secret = api_key_create(
        workspace=workspace, environment="live", scopes="read:*", name="ada second", employee_id=employee.pk
    )
    return secret


def test_the_key_list_shows_whom_each_key_acts_as_in_the_current_tenant_only(world):
    page = world["client"].get(KEYS)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Ada Mine ({world['ada'].pk})" in html
    assert "Otto Rival" not in html and "Tess Sandbox" not in html
    # The filter by employee offers the people the listed keys act as, no one else.
    (employee_filter,) = [spec for spec in page.context["cl"].filter_specs if spec.field_path == "employee"]
    assert [label for _, label in employee_filter.lookup_choices] == ["Ada Mine"]
    filtered = world["client"].get(KEYS, {"employee__id__exact": world["ada"].pk})
    assert filtered.context["cl"].result_count == 2


def test_the_key_page_shows_its_employee(world):
    key = world["keys"]["ada"]
    page = world["client"].get(reverse("admin:tenancy_apikey_change", args=[quote(key.pk)]))
    assert page.status_code == 200
    assert "Ada Mine" in page.content.decode()


def test_another_tenants_key_page_is_not_reachable(world):
    for name in ("otto", "tess"):
        key = world["keys"][name]
        page = world["client"].get(reverse("admin:tenancy_apikey_change", args=[quote(key.pk)]))
        assert page.status_code in (302, 403, 404), name
        assert "Otto Rival" not in page.content.decode() and "Tess Sandbox" not in page.content.decode()


def test_offboarding_in_the_admin_stops_the_key_and_the_list_says_so(world, django_capture_on_commit_callbacks):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['keys']['ada_secret']}")
    assert client.get("/v1/employees").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        world["client"].post(
            reverse("admin:employees_employee_changelist"),
            {"action": "offboard", "_selected_action": [world["ada"].pk]},
        )
    assert Employee.objects.get(pk=world["ada"].pk).end_date is not None

    refused = client.get("/v1/employees")
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "unauthenticated")
    assert "was offboarded on" in refused.json()["error"]["message"]
    assert "offboarded: the key no longer works" in world["client"].get(KEYS).content.decode()


def test_an_end_date_set_in_the_employees_admin_form_stops_the_key_too(world, django_capture_on_commit_callbacks):
    from tests.employees.test_admin import form_data

    ada = world["ada"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {world['keys']['ada_secret']}")
    assert client.get("/v1/employees").status_code == 200
    change = reverse("admin:employees_employee_change", args=[quote(ada.pk)])
    data = form_data(ada, full_name=ada.full_name, email=ada.email, start_date="2022-03-01", end_date="2024-06-28")
    with django_capture_on_commit_callbacks(execute=True):
        assert world["client"].post(change, data).status_code == 302

    refused = client.get("/v1/employees")
    assert refused.status_code == 401 and "offboarded on 2024-06-28" in refused.json()["error"]["message"]
    assert ApiKey.objects.filter(employee=ada, revoked_at=None).count() == 2  # stopped, not revoked


def test_the_event_list_shows_whom_a_bound_key_acted_as(world):
    from django.db import transaction

    from pulsehr.tenancy.context import Actor, Tenant
    from webhooks.outbox import event_record

    key = world["keys"]["ada"]
    with transaction.atomic():
        event_record(tenant=Tenant.of(key), type="ping", data={}, actor=Actor.for_key(key))
    html = world["client"].get(reverse("admin:webhooks_event_changelist")).content.decode()
    assert f"api_key:{key.pk}" in html and world["ada"].pk in html
