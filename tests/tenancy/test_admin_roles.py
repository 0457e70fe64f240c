"""A staff user's role in the current workspace decides what the admin lets them do, with no
Django model permissions needed: viewers read, HR staff change HR data, owners also change
the workspace itself. The header switches workspace and environment."""

from datetime import date

import pytest
from django.contrib.admin.utils import quote
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from employees.models import Employee
from leave import services as leave_services
from leave.models import Leave
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import ApiKey, Membership, Workspace
from webhooks.models import Event, WebhookEndpoint

from ..factories import WorkspaceFactory
from ..helpers import key_value_rows
from ..staff import logged_in, member_client, staff_user, superuser_client, switch_to
from .admin_rows import rows_in, workspace_owned_admins

pytestmark = pytest.mark.django_db

ADMINS = {model_admin.model._meta.label: model_admin for model_admin in workspace_owned_admins()}
INDEX = reverse("admin:index")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def change_url(row, view: str = "change") -> str:
    return url(type(row), view, quote(row.pk))


@pytest.fixture
def rows(workspace):
    return rows_in(workspace, "live", "Mine Live")


@pytest.fixture
def viewer(workspace):
    return member_client(workspace, "viewer")


@pytest.fixture
def hr(workspace):
    return member_client(workspace, "hr")


@pytest.fixture
def owner(workspace):
    return member_client(workspace, "owner")


def snapshot(rows) -> dict:
    return {(type(row), row.pk): model_to_dict(type(row)._default_manager.get(pk=row.pk)) for row in rows.values()}


# --- viewers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ADMINS)
def test_viewers_read_lists_pages_and_exports_but_cannot_change_anything(viewer, rows, label):
    model = ADMINS[label].model
    row, before = rows[model], snapshot(rows)
    changelist = viewer.get(url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["action_form"] is None  # no actions at all, not even harmless-looking ones
    page = viewer.get(change_url(row))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert viewer.get(url(model, "export")).status_code == 200
    assert viewer.post(change_url(row), {"note": "changed"}).status_code == 403
    assert viewer.get(url(model, "add")).status_code == 403
    assert viewer.post(url(model, "add"), {}).status_code == 403
    assert viewer.get(change_url(row, "delete")).status_code == 403
    for action in ADMINS[label].actions or []:
        viewer.post(url(model, "changelist"), {"action": action, "_selected_action": [row.pk], "post": "yes"})
    viewer.post(url(model, "changelist"), {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"})
    assert snapshot(rows) == before


def test_viewers_see_the_apps_on_the_index_without_any_django_permission(viewer):
    page = viewer.get(INDEX).content.decode()
    assert url(Employee, "changelist") in page and url(Leave, "changelist") in page


def test_a_viewer_cannot_offboard_nor_revoke_a_key(viewer, rows):
    person, key = rows[Employee], rows[ApiKey]
    viewer.post(url(Employee, "changelist"), {"action": "offboard", "_selected_action": [person.pk]})
    viewer.post(url(ApiKey, "changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    person.refresh_from_db()
    key.refresh_from_db()
    assert person.end_date is None and key.revoked_at is None


# --- HR staff ---------------------------------------------------------------------------------


def test_hr_staff_add_and_edit_people_without_django_permissions(hr, workspace):
    data = {
        "full_name": "Grace Hopper",
        "start_date": "2024-01-02",
        "custom_fields": "{}",
        "direct_reports-TOTAL_FORMS": "0",
        "direct_reports-INITIAL_FORMS": "0",
    }
    assert hr.post(url(Employee, "add"), data).status_code == 302
    person = Employee.objects.get(full_name="Grace Hopper")
    assert hr.post(change_url(person), {**data, "role": "Rear Admiral"}).status_code == 302
    person.refresh_from_db()
    assert person.role == "Rear Admiral"
    assert [event.type for event in Event.objects.order_by("created_at")] == ["employee.created", "employee.updated"]


def test_hr_staff_approve_leave_and_revoke_keys(hr, workspace, rows):
    workspace.leave_approval_required = True
    workspace.save()
    pending = leave_services.leave_log(
        tenant=Tenant(workspace, "live"),
        actor=SYSTEM,
        employee_id=rows[Employee].pk,
        kind="vacation",
        start_date=date(2026, 4, 6),
        end_date=date(2026, 4, 7),
    )
    hr.post(url(Leave, "changelist"), {"action": "approve", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == "approved"
    key = rows[ApiKey]
    hr.post(url(ApiKey, "changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_hr_staff_manage_webhook_endpoints(hr):
    data = {"url": "https://hooks.example.com/new", "description": "", "enabled_events": ["*"]}
    assert hr.post(url(WebhookEndpoint, "add"), data).status_code == 200  # the page showing its secret once
    assert WebhookEndpoint.objects.filter(url="https://hooks.example.com/new").exists()


def workspace_form(workspace, **overrides) -> dict:
    memberships = list(Membership.objects.filter(workspace=workspace).order_by("pk"))
    data = {
        "name": workspace.name,
        "slug": workspace.slug,
        "timezone": workspace.timezone,
        "country": workspace.country,
        "region": "",
        "work_week": ["1", "2", "3", "4", "5"],
        "kudos_monthly_allowance": "50",
        **key_value_rows("leave_allowances", {"vacation": 30}),
        "score_window_days": "90",
        "score_weights": '{"recognition": 1, "participation": 1, "workload": 1, "time_off": 1}',
        "score_change_threshold": "10",
        "score_min_group_size": "5",
        "score_privacy": "hr_only",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(len(memberships)),
    }
    for number, membership in enumerate(memberships):
        data[f"memberships-{number}-id"] = membership.pk
        data[f"memberships-{number}-workspace"] = workspace.pk
        data[f"memberships-{number}-role"] = membership.role
    return {**data, **overrides}


def test_hr_staff_and_viewers_read_the_workspace_but_cannot_change_it(hr, viewer, workspace):
    for client in (hr, viewer):
        page = client.get(change_url(workspace))
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client.post(change_url(workspace), workspace_form(workspace, name="Taken Over")).status_code == 403
    workspace.refresh_from_db()
    assert workspace.name != "Taken Over" and workspace.kudos_monthly_allowance == 100


# --- owners -----------------------------------------------------------------------------------


def workspaces_in_app_list(client) -> dict:
    app_list = client.get(INDEX).context["app_list"]
    return next(model for app in app_list for model in app["models"] if model["object_name"] == "Workspace")


def test_the_app_list_offers_owners_to_change_workspaces_and_others_to_view_them(owner, hr, viewer):
    assert workspaces_in_app_list(owner)["view_only"] is False
    for client in (hr, viewer):
        assert workspaces_in_app_list(client)["view_only"] is True


def test_owners_edit_their_workspaces_policies_and_its_members_roles(owner, hr, workspace):
    hr_membership = Membership.objects.get(workspace=workspace, role="hr")
    data = workspace_form(workspace)
    number = next(key for key, value in data.items() if value == hr_membership.pk).split("-")[1]
    data[f"memberships-{number}-role"] = "viewer"
    response = owner.post(change_url(workspace), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    workspace.refresh_from_db()
    hr_membership.refresh_from_db()
    assert (workspace.kudos_monthly_allowance, workspace.leave_allowances) == (50, {"vacation": 30})
    assert hr_membership.role == "viewer"
    assert hr.get(url(Employee, "add")).status_code == 403  # the new role holds from the next request


def test_an_owner_of_one_workspace_is_only_what_their_role_says_in_another(workspace):
    other = WorkspaceFactory(name="Other Place")
    client = logged_in(staff_user((workspace, "owner"), (other, "viewer")))
    assert client.post(change_url(other), workspace_form(other, name="Taken Over")).status_code == 403
    switch_to(client, other)
    assert client.get(url(Employee, "add")).status_code == 403
    switch_to(client, workspace)
    assert client.get(url(Employee, "add")).status_code == 200


def test_only_superusers_create_or_delete_workspaces(owner, workspace):
    assert owner.get(url(Workspace, "add")).status_code == 403
    assert owner.get(change_url(workspace, "delete")).status_code == 403
    assert superuser_client().get(url(Workspace, "add")).status_code == 200


def test_the_workspace_list_shows_only_the_users_workspaces(owner, workspace):
    WorkspaceFactory(name="Rival Secret Corp")
    page = owner.get(url(Workspace, "changelist")).content.decode()
    assert workspace.name in page and "Rival Secret Corp" not in page
    assert "Rival Secret Corp" in superuser_client().get(url(Workspace, "changelist")).content.decode()


# --- no membership ----------------------------------------------------------------------------


def test_a_staff_user_in_no_workspace_sees_why_and_no_data(rows):
    client = logged_in(staff_user())
    page = client.get(INDEX).content.decode()
    assert "not a member of any workspace" in page
    assert "Mine Live" not in page
    assert client.get(url(Employee, "changelist")).status_code == 403
    assert client.get(change_url(rows[Employee])).status_code in (302, 403)
    assert client.get(url(Workspace, "changelist")).status_code == 403


# --- the header switch ------------------------------------------------------------------------


def test_the_header_offers_the_users_workspaces_and_both_environments(workspace):
    other = WorkspaceFactory(name="Second Home")
    WorkspaceFactory(name="Rival Secret Corp")
    client = logged_in(staff_user((workspace, "hr"), (other, "viewer")))
    page = client.get(INDEX).content.decode()
    assert reverse("admin_tenant_switch") in page
    assert workspace.name in page and "Second Home" in page and "Rival Secret Corp" not in page
    assert 'value="live" aria-pressed="true"' in page and 'value="test" aria-pressed="false"' in page
    assert "Rival Secret Corp" in superuser_client().get(INDEX).content.decode()  # superusers may pick any


def test_test_data_is_flagged_on_every_admin_page(hr, rows):
    switch_to(hr, environment="test")
    for page_url in (INDEX, url(Employee, "changelist"), url(Employee, "add")):
        page = hr.get(page_url).content.decode()
        assert "pulsehr-test-data" in page and "Test data:" in page, page_url
    switch_to(hr, environment="live")
    assert "Test data:" not in hr.get(INDEX).content.decode()


def test_switching_to_a_workspace_of_someone_else_is_ignored(hr, workspace, rows):
    rival = WorkspaceFactory(name="Rival Secret Corp")
    rows_in(rival, "live", "Theirs Live")
    switch_to(hr, rival)
    page = hr.get(url(Employee, "changelist")).content.decode()
    assert "Mine Live Person" in page and "Theirs Live" not in page and "Rival Secret Corp" not in page


def test_the_switch_is_a_csrf_protected_post_that_returns_to_a_page_of_this_site(workspace):
    user = staff_user((workspace, "hr"))
    client = logged_in(user)
    assert client.get(reverse("admin_tenant_switch")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("admin_tenant_switch"), {"environment": "test"}).status_code == 403
    assert "Test data:" not in strict.get(INDEX).content.decode()
    back = url(Employee, "changelist") + "?department=Sales"
    assert switch_to(client, environment="test", next_url=back)["Location"] == back
    assert switch_to(client, environment="live", next_url="https://evil.example/")["Location"] == INDEX


def test_switching_from_a_rows_page_goes_to_its_list(hr, rows):
    response = switch_to(hr, environment="test", next_url=change_url(rows[Employee]))
    assert response["Location"] == url(Employee, "changelist")


def test_owners_remove_members_through_the_page(owner, hr, workspace):
    hr_membership = Membership.objects.get(workspace=workspace, role="hr")
    data = workspace_form(workspace)
    number = next(key for key, value in data.items() if value == hr_membership.pk).split("-")[1]
    data[f"memberships-{number}-DELETE"] = "on"
    assert owner.post(change_url(workspace), data).status_code == 302
    assert not Membership.objects.filter(pk=hr_membership.pk).exists()
    assert Membership.objects.filter(workspace=workspace, role="owner").exists()


def test_superusers_add_a_workspace_and_its_members(workspace):
    newcomer = staff_user()
    data = {
        **workspace_form(workspace, name="Fresh Start", slug="fresh-start", country="DE", region="by"),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": newcomer.pk,
        "memberships-0-role": "owner",
    }
    response = superuser_client().post(url(Workspace, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Workspace.objects.get(slug="fresh-start")
    assert (created.name, created.country, created.region, created.leave_allowances) == (
        "Fresh Start",
        "DE",
        "BY",
        {"vacation": 30},
    )
    assert created.memberships.get().user == newcomer and created.memberships.get().role == "owner"


def test_a_superuser_puts_someone_else_in_a_members_row(hr, workspace):
    hr_membership = Membership.objects.get(workspace=workspace, role="hr")
    newcomer = staff_user()
    data = workspace_form(workspace)
    number = next(key for key, value in data.items() if value == hr_membership.pk).split("-")[1]
    data[f"memberships-{number}-user"] = newcomer.pk
    assert superuser_client().post(change_url(workspace), data).status_code == 302
    assert Membership.objects.get(workspace=workspace, user=newcomer).role == "hr"
    assert not Membership.objects.filter(workspace=workspace, user=hr_membership.user).exists()
