"""Who sees what of a workspace, in a real browser: staff of another workspace see nothing of it,
not even by typing its URLs, and a viewer reads everything but is offered no way to change it.
Both look at one workspace filled through the API, which neither test changes."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from .browser import login
from .pages import dashboard_figures
from .stack import Workspace


@dataclass(frozen=True)
class Filled:
    """A workspace with people, pending leave, an API key, and an endpoint with a delivery."""

    workspace: Workspace
    employee_ids: list[str]
    endpoint_id: str
    delivery_id: str


@pytest.fixture(scope="module")
def filled(stack) -> Filled:
    workspace = stack.create_workspace(name="Guarded Co", leave_approval_required=True)
    api = stack.api(workspace)
    receiver_path = stack.receiver.new_path()
    endpoint = api.post(
        "/v1/webhook-endpoints", {"url": stack.receiver.url(receiver_path), "enabled_events": ["employee.created"]}
    ).json()
    people = [
        api.post("/v1/employees", {"full_name": name, "start_date": "2024-01-02"}).json()
        for name in ("Greta Guarded", "Hugo Hidden")
    ]
    in_a_month = date.today() + timedelta(days=30)
    first_day = in_a_month + timedelta(days=(7 - in_a_month.weekday()) % 7)  # a Monday: a working day
    api.post(
        "/v1/leave",
        {
            "employee_id": people[0]["id"],
            "kind": "vacation",
            "start_date": first_day.isoformat(),
            "end_date": first_day.isoformat(),
        },
    )
    [created] = [
        event
        for event in api.get("/v1/events", params={"type": "employee.created"})["data"]
        if event["data"]["id"] == people[0]["id"]
    ]
    [delivery] = api.get(f"/v1/events/{created['id']}")["deliveries"]
    return Filled(
        workspace=workspace,
        employee_ids=[person["id"] for person in people],
        endpoint_id=endpoint["id"],
        delivery_id=delivery["id"],
    )


def test_staff_of_another_workspace_see_none_of_it_even_by_its_urls(stack, page, shot, filled):
    login(page, stack.create_staff_user(stack.create_workspace(name="Outsider Co"), "owner"))

    assert dashboard_figures(page) == {
        "Active now": 0,
        "Starting later": 0,
        "Joined this month": 0,
        "Left this month": 0,
        "Awaiting approval": 0,
    }
    expect(page.locator(".pulse-dashboard-header h2")).to_contain_text("Outsider Co")
    expect(page.locator(".pulse-empty-note")).to_contain_text("Nobody works in this live environment yet.")
    expect(page.locator("#pulsehr-workspace option")).to_have_text(["Outsider Co"])  # nothing else to switch to
    shot(page, "own-empty-dashboard")

    page.goto("/admin/employees/employee/")
    expect(page.locator("#changelist")).to_contain_text("0 employees")
    shot(page, "no-employees")
    page.goto("/admin/leave/leave/")
    expect(page.locator("#changelist")).to_contain_text("0 leave")
    shot(page, "no-leave")
    page.goto("/developers")
    expect(page.locator("#keys-heading ~ .dev-empty")).to_have_text("No API keys yet.")
    shot(page, "no-keys")
    page.goto("/developers/webhooks")
    expect(page.locator(".dev-empty")).to_have_text("No webhook endpoints yet.")
    shot(page, "no-endpoints")

    page.goto(f"/admin/employees/employee/{filled.employee_ids[0]}/change/")
    expect(page).to_have_url(f"{stack.url}/admin/")
    expect(page.locator(".messagelist")).to_contain_text("doesn’t exist")
    shot(page, "foreign-employee")
    for name, path in [
        ("foreign-endpoint", f"/developers/webhooks/{filled.endpoint_id}"),
        ("foreign-endpoint-edit", f"/developers/webhooks/{filled.endpoint_id}/edit"),
        ("foreign-delivery", f"/developers/webhooks/{filled.endpoint_id}/deliveries/{filled.delivery_id}"),
    ]:
        response = page.goto(path)
        assert response.status == 404, (path, response.status)
        assert "Guarded Co" not in page.content() and filled.endpoint_id not in page.content()
        shot(page, name)

    # Forging the workspace in the header's switch changes nothing.
    page.goto("/admin/")
    page.evaluate(
        "id => { const o = document.createElement('option'); o.value = id; o.selected = true;"
        " document.querySelector('#pulsehr-workspace').append(o); }",
        filled.workspace.id,
    )
    with page.expect_response(lambda response: response.url.endswith("/admin/switch/")) as switched:
        page.locator("#pulsehr-workspace").dispatch_event("change")
    assert switched.value.status == 302
    page.wait_for_url(f"{stack.url}/admin/")
    expect(page.locator(".pulse-dashboard-header h2")).to_contain_text("Outsider Co")
    assert dashboard_figures(page)["Active now"] == 0


def test_a_viewer_reads_the_dashboard_lists_and_developer_pages_but_is_offered_no_change(stack, page, shot, filled):
    login(page, stack.create_staff_user(filled.workspace, "viewer"))

    figures = dashboard_figures(page)
    assert (figures["Active now"], figures["Awaiting approval"]) == (2, 1)
    expect(page.locator("#pulse-pending")).to_contain_text("Greta Guarded")
    expect(page.locator("#pulse-pending a:text-is('All pending leave')")).to_be_visible()
    expect(page.locator(".pulsehr-role")).to_have_text("Viewer (read-only)")
    expect(page.locator("#content-main .addlink")).to_have_count(0)
    shot(page, "dashboard")

    page.goto("/admin/employees/employee/")
    expect(page.locator("#changelist")).to_contain_text("2 employees")
    tools = page.locator(".object-tools")
    expect(tools.locator("a:text-is('Export')")).to_be_visible()
    expect(tools.locator("a.addlink")).to_have_count(0)
    expect(tools.locator("a:text-is('Import')")).to_have_count(0)
    expect(page.locator("select[name=action]")).to_have_count(0)
    shot(page, "employee-list")
    page.click("#result_list a:text-is('Greta Guarded')")
    expect(page.locator("#content")).to_contain_text("Greta Guarded")
    expect(page.locator("input[name=_save], input[name=_continue], input[name=_addanother]")).to_have_count(0)
    expect(page.locator("#id_full_name")).to_have_count(0)  # shown as text, not as a field
    shot(page, "employee-page")
    assert page.goto("/admin/employees/employee/add/").status == 403
    shot(page, "add-refused")
    assert page.goto("/admin/employees/employee/import/").status == 403
    shot(page, "import-refused")

    page.goto("/admin/leave/leave/")
    expect(page.locator("#result_list")).to_contain_text("Greta Guarded")
    expect(page.locator("select[name=action]")).to_have_count(0)
    expect(page.locator(".object-tools a.addlink")).to_have_count(0)
    shot(page, "leave-list")

    page.goto("/developers")
    expect(page.locator(".dev-workspace .dev-badge")).to_have_text("read-only")
    expect(page.locator(".dev-table tbody tr")).to_have_count(1)  # the fixture's key, listed
    expect(page.locator("#new-key-heading")).to_have_count(0)
    expect(page.locator("a.button:has-text('Revoke')")).to_have_count(0)
    shot(page, "keys")
    page.goto("/developers/webhooks")
    expect(page.locator(".dev-table tbody tr")).to_have_count(1)
    expect(page.locator("a.button:text-is('Add an endpoint')")).to_have_count(0)
    shot(page, "endpoints")
    page.goto(f"/developers/webhooks/{filled.endpoint_id}")
    expect(page.locator(".dev-actions")).to_have_count(0)
    expect(page.locator("#log-heading ~ .dev-table-wrap tbody tr")).to_have_count(2)  # one per person
    shot(page, "endpoint")
    page.goto(f"/developers/webhooks/{filled.endpoint_id}/deliveries/{filled.delivery_id}")
    expect(page.locator("#payload-heading")).to_be_visible()
    expect(page.locator("button:text-is('Replay to this endpoint')")).to_have_count(0)
    shot(page, "delivery")
    response = page.goto("/developers/webhooks/new")
    assert response.status == 403
    expect(page.locator(".errornote")).to_contain_text("read-only")
    shot(page, "create-refused")
