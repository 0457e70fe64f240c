"""Every workspace-owned admin works on the staff user's current workspace environment only:
editing a URL or forging a form never reaches another workspace's rows, nor the other
environment's. Walks every registered ModelAdmin, so an admin that forgets the scoping fails."""

import csv
import io

import pytest
from django.contrib.admin.utils import quote
from django.forms.models import model_to_dict
from django.urls import reverse

from employees.models import Employee
from pulsehr.tenancy.admin_base import WorkspaceScopedAdminMixin

from ..factories import WorkspaceFactory
from ..staff import member_client, superuser_client_in, switch_to
from .admin_rows import rows_in, workspace_owned_admins

pytestmark = pytest.mark.django_db

ADMINS = {model_admin.model._meta.label: model_admin for model_admin in workspace_owned_admins()}
FOREIGN_LABELS = ("Theirs Live", "Sandboxed", "Rival Secret Corp")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_url(row, view: str = "change") -> str:
    return url(type(row), view, quote(row.pk))


@pytest.fixture
def world():
    """Workspace `mine` (live and test data) and a rival workspace; the client is an owner of
    `mine` working on its live data."""
    mine = WorkspaceFactory(name="Mine Corp")
    rival = WorkspaceFactory(name="Rival Secret Corp")
    world = {
        "mine": mine,
        "live": rows_in(mine, "live", "Mine Live"),
        "test": rows_in(mine, "test", "Sandboxed"),
        "rival": rows_in(rival, "live", "Theirs Live"),
    }
    world["client"] = member_client(mine, "owner")
    return world


def foreign_rows(world, model) -> list:
    return [rows[model] for rows in (world["test"], world["rival"]) if model in rows]


def snapshot(world) -> dict:
    """Every field of every row outside the current tenant, to prove nothing touched them."""
    rows = [row for key in ("test", "rival") for row in world[key].values()]
    return {(type(row), row.pk): model_to_dict(type(row)._default_manager.get(pk=row.pk)) for row in rows}


def live_rows_of_mine(world, model):
    rows = model._default_manager.filter(workspace=world["mine"])
    return rows.filter(environment="live") if any(f.name == "environment" for f in model._meta.fields) else rows


def assert_shows_no_other_tenant(content: str, world, model) -> None:
    for label in FOREIGN_LABELS:
        assert label not in content, label
    for row in foreign_rows(world, model):
        assert change_url(row) not in content


@pytest.mark.parametrize("label", ADMINS)
def test_every_workspace_owned_admin_is_scoped_and_covered_here(label):
    model_admin = ADMINS[label]
    assert isinstance(model_admin, WorkspaceScopedAdminMixin), f"{label}'s admin must use WorkspaceScopedAdminMixin"
    for inline in model_admin.inlines:
        assert hasattr(inline, "can_write"), f"{label}'s inline {inline.__name__} must use TenantInlineMixin"


@pytest.mark.parametrize("label", ADMINS)
def test_the_list_shows_only_the_current_workspace_environment(world, label):
    model = ADMINS[label].model
    assert model in world["live"], f"tests/tenancy/admin_rows.py must make a {label} row"
    response = world["client"].get(url(model, "changelist"))
    assert response.status_code == 200
    content = response.content.decode()
    assert change_url(world["live"][model]) in content
    assert_shows_no_other_tenant(content, world, model)


@pytest.mark.parametrize("label", ADMINS)
def test_pages_of_another_tenants_row_do_not_exist(world, label):
    model = ADMINS[label].model
    client, before = world["client"], snapshot(world)
    for row in foreign_rows(world, model):
        for view in ("change", "history"):
            response = client.get(change_url(row, view), follow=True)
            assert response.redirect_chain[0][0] == reverse("admin:index"), (view, row.pk)
            assert "doesn’t exist" in response.content.decode()
        # Delete: the same redirect where deleting is allowed at all, else a plain refusal.
        assert client.get(change_url(row, "delete")).status_code in (302, 403)
        assert client.post(change_url(row, "delete"), {"post": "yes"}).status_code in (302, 403)
        assert client.post(change_url(row), {"note": "forged"}).status_code in (302, 403)
    assert snapshot(world) == before


@pytest.mark.parametrize("label", ADMINS)
def test_actions_on_another_tenants_rows_do_nothing(world, label):
    model = ADMINS[label].model
    client, changelist, before = world["client"], url(model, "changelist"), snapshot(world)
    action_form = client.get(changelist).context["action_form"]
    actions = [name for name, _ in action_form.fields["action"].choices if name] if action_form else []
    foreign_ids = [row.pk for row in foreign_rows(world, model)]
    for action in actions:
        data = {"action": action, "_selected_action": foreign_ids}
        confirmation = client.post(changelist, data)  # delete_selected asks first: it must list nothing foreign
        assert_shows_no_other_tenant(confirmation.content.decode(), world, model)
        client.post(changelist, {**data, "post": "yes"})
    assert snapshot(world) == before


@pytest.mark.parametrize("label", ADMINS)
def test_the_csv_export_holds_only_the_current_workspace_environment(world, label):
    model = ADMINS[label].model
    response = world["client"].get(url(model, "export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    ids = {row["id"] for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert ids == {str(pk) for pk in live_rows_of_mine(world, model).values_list("pk", flat=True)}
    assert str(world["live"][model].pk) in ids


# Rows only ever made elsewhere (API keys in /developers, events and deliveries by the services,
# threads through the API): their admins offer no add page, to anyone.
WITHOUT_ADD_PAGE = {"tenancy.ApiKey", "webhooks.Event", "webhooks.Delivery", "collab.Thread"}


def test_every_admin_without_an_add_page_is_one_we_meant():
    assert WITHOUT_ADD_PAGE <= set(ADMINS)


@pytest.mark.parametrize("label", ADMINS)
def test_add_pages_offer_nothing_of_another_tenant(world, label):
    model = ADMINS[label].model
    response = world["client"].get(url(model, "add"))
    if label in WITHOUT_ADD_PAGE:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert_shows_no_other_tenant(response.content.decode(), world, model)
    assert not {"workspace", "environment"} & set(response.context["adminform"].form.fields)


AUTOCOMPLETES = [
    (model_admin.model, field) for model_admin in ADMINS.values() for field in model_admin.autocomplete_fields
]


@pytest.mark.parametrize("model,field", AUTOCOMPLETES, ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETES])
def test_autocompletes_offer_only_people_of_the_current_workspace_environment(world, model, field):
    query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field}
    response = world["client"].get(reverse("admin:autocomplete"), {**query, "term": ""})
    assert response.status_code == 200
    offered = {result["id"] for result in response.json()["results"]}
    mine = set(Employee.objects.filter(workspace=world["mine"], environment="live").values_list("pk", flat=True))
    assert offered == mine
    for term in ("Theirs", "Sandboxed"):
        assert world["client"].get(reverse("admin:autocomplete"), {**query, "term": term}).json()["results"] == []


def test_lookup_popups_list_only_the_current_workspace_environment(world):
    popup = world["client"].get(url(Employee, "changelist"), {"_to_field": "id", "_popup": "1"})
    assert popup.status_code == 200
    content = popup.content.decode()
    assert "Mine Live Person" in content
    assert_shows_no_other_tenant(content, world, Employee)


def test_switching_to_test_data_shows_test_rows_and_hides_live_ones(world):
    client = world["client"]
    switch_to(client, environment="test")
    content = client.get(url(Employee, "changelist")).content.decode()
    assert "Sandboxed Person" in content and "Mine Live Person" not in content
    follow = client.get(change_url(world["live"][Employee]), follow=True)
    assert "doesn’t exist" in follow.content.decode()
    switch_to(client, environment="live")
    content = client.get(url(Employee, "changelist")).content.decode()
    assert "Mine Live Person" in content and "Sandboxed Person" not in content


def test_superusers_work_on_one_workspace_environment_at_a_time(world):
    client = superuser_client_in(world["mine"])
    listed = client.get(url(Employee, "changelist")).context["cl"].result_list
    assert {person.pk for person in listed} == set(live_rows_of_mine(world, Employee).values_list("pk", flat=True))


def test_a_new_row_goes_to_the_current_tenant_whatever_the_form_says(world):
    client = world["client"]
    rival = world["rival"][Employee].workspace
    forged = {
        "workspace": rival.pk,
        "environment": "test",
        "full_name": "Forged Person",
        "start_date": "2024-01-02",
        "custom_fields": "{}",
        "direct_reports-TOTAL_FORMS": "0",
        "direct_reports-INITIAL_FORMS": "0",
    }
    assert client.post(url(Employee, "add"), forged).status_code == 302
    person = Employee.objects.get(full_name="Forged Person")
    assert (person.workspace, person.environment) == (world["mine"], "live")


def test_a_foreign_manager_is_not_a_valid_choice(world):
    person = world["live"][Employee]
    data = {
        "full_name": person.full_name,
        "start_date": "2024-01-02",
        "manager": world["rival"][Employee].pk,
        "custom_fields": "{}",
        "direct_reports-TOTAL_FORMS": "0",
        "direct_reports-INITIAL_FORMS": "0",
    }
    response = world["client"].post(change_url(person), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["adminform"].form.errors["manager"][0]
    person.refresh_from_db()
    assert person.manager_id is None
