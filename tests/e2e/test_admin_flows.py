"""HR staff's everyday flows in the admin, in a real browser against a live server: signing in,
adding a person, and logging and approving leave. What the pages show is checked against the
API, and another workspace's staff must see none of it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from ..live.webhook_stack import verify_both
from .browser import DESKTOP, MOBILE, login

SAVED = ".messagelist .success"


def next_monday(after_days: int = 14) -> date:
    """A Monday some weeks ahead in the workspace's time zone: leave there is plainly in the future
    and spans working days (the test workspaces have no country, so no public holidays)."""
    day = datetime.now(ZoneInfo("Europe/Rome")).date() + timedelta(days=after_days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def test_staff_sign_in_through_the_login_form_and_a_wrong_password_is_refused(stack, page, shot):
    workspace = stack.create_workspace(name="Sign-in Co")
    hr = stack.create_staff_user(workspace, "hr")

    page.goto("/admin/")
    expect(page).to_have_url(f"{stack.url}/admin/login/?next=/admin/")
    shot(page, "login-form")
    page.fill("#id_username", hr.username)
    page.fill("#id_password", hr.password + "-wrong")
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("Please enter the correct username and password")
    shot(page, "wrong-password")

    login(page, hr)
    expect(page.locator("#content h1")).to_have_text("Dashboard")
    expect(page.locator("#nav-sidebar")).to_contain_text("Employees")
    expect(page.locator("#nav-sidebar")).to_contain_text("Leave requests")
    shot(page, "admin-home")


def test_hr_adds_an_employee_through_the_admin_form_and_only_their_workspace_sees_it(stack, browser, page, shot):
    workspace = stack.create_workspace(name="Add Person Co")
    elsewhere = stack.create_workspace(name="Elsewhere Co")
    hr = stack.create_staff_user(workspace, "hr")
    login(page, hr)

    # A new person goes into the workspace and environment the header shows: the member's own, live.
    page.goto("/admin/employees/employee/add/")
    page.fill("#id_full_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.test")
    page.fill("#id_role", "Analyst")
    page.fill("#id_department", "Engineering")
    page.fill("#id_location", "London")
    page.fill("#id_start_date", "2024-03-01")
    shot(page, "add-form-filled")
    page.click("input[name=_save]")

    expect(page.locator(SAVED)).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text="Ada Lovelace")
    expect(row).to_contain_text("ada@example.test")
    expect(row).to_contain_text("Engineering")
    shot(page, "employee-list")

    # The browser's save went through the one write path: the API sees the person, with the event.
    api = stack.api(workspace)
    [employee] = api.get("/v1/employees")["data"]
    assert (employee["full_name"], employee["email"], employee["department"], employee["start_date"]) == (
        "Ada Lovelace",
        "ada@example.test",
        "Engineering",
        "2024-03-01",
    )
    [event] = api.get("/v1/events", params={"type": "employee.created"})["data"]
    assert event["data"]["id"] == employee["id"]
    assert stack.api(workspace, "test").get("/v1/employees")["data"] == []

    page.click("#result_list a:text-is('Ada Lovelace')")
    expect(page.locator("#id_full_name")).to_have_value("Ada Lovelace")
    shot(page, "employee-page")

    # HR staff of another workspace, signed in at the same time, see nobody.
    outsider_context = browser.new_context(base_url=stack.url, viewport=DESKTOP)
    try:
        outsider_page = outsider_context.new_page()
        login(outsider_page, stack.create_staff_user(elsewhere, "hr"))
        outsider_page.goto("/admin/employees/employee/")
        expect(outsider_page.locator("#changelist")).to_contain_text("0 employees")
        expect(outsider_page.locator("#changelist")).not_to_contain_text("Ada Lovelace")
        shot(outsider_page, "other-workspace-employee-list")
        outsider_page.goto(f"/admin/employees/employee/{employee['id']}/change/")
        expect(outsider_page.locator(".messagelist")).to_contain_text("doesn’t exist")
        shot(outsider_page, "other-workspace-employee-page")
    finally:
        outsider_context.close()


def test_hr_logs_leave_in_approval_mode_and_approves_it_from_the_list_and_webhooks_tell_integrators(stack, page, shot):
    workspace = stack.create_workspace(name="Approvals Co", leave_approval_required=True)
    api = stack.api(workspace)
    hooks = stack.webhooks(api)
    endpoint, path = hooks.endpoint(events=("leave.logged", "leave.approved"))
    employee = api.post("/v1/employees", {"full_name": "Grace Hopper", "start_date": "2024-01-02"}).json()
    hr = stack.create_staff_user(workspace, "hr")
    first_day = next_monday()
    login(page, hr)

    page.goto("/admin/leave/leave/add/")
    page.click(".field-employee .select2-selection")
    page.fill(".select2-search__field", "Grace")
    page.click(".select2-results__option:has-text('Grace Hopper')")
    page.select_option("#id_kind", "vacation")
    page.fill("#id_start_date", first_day.isoformat())
    page.fill("#id_end_date", (first_day + timedelta(days=1)).isoformat())
    page.fill("#id_note", "Conference")
    shot(page, "add-leave-form-filled")
    page.click("input[name=_save]")

    expect(page.locator(SAVED)).to_contain_text("was added successfully")
    row = page.locator("#result_list tbody tr", has_text="Grace Hopper")
    expect(row).to_have_count(1)
    expect(row.locator(".field-status")).to_have_text("Pending")
    expect(row.locator(".field-days_taken")).to_have_text("2.0")
    shot(page, "leave-list-pending")

    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve")
    shot(page, "leave-list-approve-selected")
    page.click("button[name=index]")

    expect(page.locator(SAVED)).to_contain_text("Approved 1 leave record(s).")
    expect(row.locator(".field-status")).to_have_text("Approved")
    shot(page, "leave-list-approved")

    row.locator("th a").click()
    expect(page.locator(".field-status .readonly")).to_have_text("Approved")
    shot(page, "leave-page-approved")

    [leave] = api.get("/v1/leave", params={"employee_id": employee["id"]})["data"]
    assert (leave["status"], leave["start_date"], leave["kind"]) == ("approved", first_day.isoformat(), "vacation")
    types = [event["type"] for event in api.get("/v1/events")["data"] if event["data"].get("id") == leave["id"]]
    assert sorted(types) == ["leave.approved", "leave.logged"], types

    # The worker sent both, signed with the endpoint's secret, the leave as the API shows it.
    # Deliveries are concurrent and at least once, never ordered: compare them as a set.
    sent = [verify_both(request, endpoint["secret"]) for request in hooks.wait_for(path, 2)]
    assert sorted((event["type"], event["data"]["status"]) for event in sent) == [
        ("leave.approved", "approved"),
        ("leave.logged", "pending"),
    ]
    assert {event["data"]["id"] for event in sent} == {leave["id"]}


def test_on_a_phone_the_admin_pages_fit_the_screen_width(stack, mobile_page, shot):
    workspace = stack.create_workspace(name="Pocket Co")
    stack.api(workspace).post("/v1/employees", {"full_name": "Grace Hopper", "start_date": "2024-01-02"})
    login(mobile_page, stack.create_staff_user(workspace, "hr"))

    for path, name in [("/admin/", "admin-home"), ("/admin/employees/employee/", "employee-list")]:
        mobile_page.goto(path)
        expect(mobile_page.locator("#content")).to_be_visible()
        shot(mobile_page, name)
        # Wide tables may scroll inside their own box; the page itself must not scroll sideways.
        page_width = mobile_page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= MOBILE["width"], f"{path} is {page_width}px wide on a {MOBILE['width']}px screen"
