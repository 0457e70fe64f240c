"""The Content-Security-Policy in a real browser: every page family PulseHR serves (the admin's
dashboard, lists and change pages, /developers, /ecosystem, the collaboration demo with its live
socket, the API reference) works under the enforced policy with no violation reported, while an
inline script injected into the same page is refused. And the admin's sign-in pause after
repeated wrong passwords, through the real login form."""

import re
import time

from playwright.sync_api import Page, expect

from .browser import login
from .stack import unique

VIOLATION_WAIT_SECONDS = 10
INJECTED = "window.__injectedInlineScriptRan = true;"


def assert_enforced_without_violations(page: Page, violations: list[str], path: str) -> None:
    """The page at `path` carries the policy, broke none of it while it loaded and ran, and
    refuses an inline script: the control proves the policy is enforced and that violations
    reach `violations` (they arrive as events, so wait for the control's before judging)."""
    header = page.evaluate("() => window.__pageCsp || null") or ""
    assert header, f"{path}: no Content-Security-Policy header"
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header, header
    ran = page.evaluate(
        """(code) => { const s = document.createElement("script"); s.textContent = code;
        document.head.appendChild(s); return window.__injectedInlineScriptRan === true; }""",
        INJECTED,
    )
    assert ran is False, f"{path}: an injected inline script ran"
    deadline = time.monotonic() + VIOLATION_WAIT_SECONDS
    while not any("script-src-elem refused inline" in line for line in violations):
        assert time.monotonic() < deadline, f"{path}: the injected script's violation was never reported"
        page.wait_for_timeout(50)
    others = [line for line in violations if "script-src-elem refused inline" not in line]
    assert others == [], f"{path}: violations of the policy:\n" + "\n".join(others)
    violations.clear()


def visit(page: Page, path: str):
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    page.evaluate("(header) => { window.__pageCsp = header; }", response.headers.get("content-security-policy"))
    return response


def test_every_page_family_runs_under_the_policy_with_no_violation(stack, page, csp_violations, shot):
    workspace = stack.create_workspace(name="Alpha Policy Co")
    api = stack.api(workspace)
    person = api.post("/v1/employees", {"full_name": "Pia Policy", "start_date": "2024-01-02"}).json()
    other = stack.create_workspace(name="Beta Policy Co")
    login(page, stack.create_staff_user(memberships={workspace: "hr", other: "viewer"}))

    # The header's workspace switch submits on change through the static admin.js (it was an
    # onchange attribute, which the policy refuses).
    page.goto("/admin/")
    page.select_option("#pulsehr-workspace", str(other.id))
    expect(page.locator(".pulse-dashboard-header h2")).to_contain_text("Beta Policy Co")
    expect(page.locator(".pulsehr-role")).to_contain_text(re.compile("viewer", re.IGNORECASE))
    page.select_option("#pulsehr-workspace", str(workspace.id))
    expect(page.locator(".pulse-dashboard-header h2")).to_contain_text("Alpha Policy Co")

    visit(page, "/admin/")
    expect(page.locator(".pulsehr-role")).to_contain_text(re.compile("hr", re.IGNORECASE))
    shot(page, "dashboard")
    assert_enforced_without_violations(page, csp_violations, "/admin/")

    visit(page, "/admin/employees/employee/")
    expect(page.locator("#result_list")).to_contain_text("Pia Policy")
    shot(page, "employee-list")
    assert_enforced_without_violations(page, csp_violations, "employee list")

    visit(page, f"/admin/employees/employee/{person['id']}/change/")
    expect(page.locator("#id_full_name")).to_have_value("Pia Policy")
    shot(page, "employee-change")
    assert_enforced_without_violations(page, csp_violations, "employee change page")

    for path, ready in [
        ("/developers", ".dev-tabs"),
        ("/developers/webhooks", ".dev-tabs"),
        ("/ecosystem", ".dev-event"),
    ]:
        visit(page, path)
        expect(page.locator(ready).first).to_be_visible()
        shot(page, path)
        assert_enforced_without_violations(page, csp_violations, path)
    # The copy buttons are shown by developers.js: the static script ran under the policy.
    expect(page.locator(".dev-copy-button").first).to_be_visible()

    visit(page, f"/collab/demo/?room={unique('policy')}&as={person['id']}")
    # The widget's REST calls and its WebSocket on the page's own host, both allowed by connect-src.
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "live")
    shot(page, "collab-demo")
    assert_enforced_without_violations(page, csp_violations, "collab demo")

    visit(page, "/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PulseHR API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    shot(page, "api-reference")
    assert_enforced_without_violations(page, csp_violations, "/v1/docs")


def test_repeated_wrong_passwords_pause_signing_in_with_a_page_that_says_so(stack, page, csp_violations, shot):
    user = stack.create_staff_user(stack.create_workspace(name="Paused Co"), "hr")
    statuses = []
    for password in ["wrong"] * 5 + [user.password]:
        page.goto("/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        with page.expect_response(re.compile(r"/admin/login/")) as answer:
            page.click("input[type=submit]")
        statuses.append(answer.value.status)
    # Four wrong passwords get the form back; the fifth pauses signing in, even with the right password.
    assert statuses == [200, 200, 200, 200, 429, 429]
    expect(page.get_by_test_id("locked-out")).to_contain_text("Too many failed sign-ins")
    expect(page.get_by_test_id("locked-out")).to_contain_text("15 minutes")
    expect(page.locator("#user-tools")).to_have_count(0)
    shot(page, "locked-out")
    assert csp_violations == []
