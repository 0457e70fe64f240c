"""HR approve and reject pending leave from the request's own page, with a reason, in a real
browser: the page shows the balance with the request applied, the decision, who made it, when
(in the workspace's time zone, named) and why; the API and the events carry the same."""

from playwright.sync_api import expect

from .browser import login

SAVED = ".messagelist li"


def test_approving_and_rejecting_with_a_reason_from_the_leave_page(stack, page, shot):
    workspace = stack.create_workspace(
        name="Approvals Co", leave_approval_required=True, timezone="Europe/Rome", leave_policies={"approvers": "hr"}
    )
    api = stack.api(workspace)
    ada = api.post("/v1/employees", {"full_name": "Ada Lovelace", "start_date": "2024-01-08"}).json()
    ask = {"employee_id": ada["id"], "kind": "vacation"}
    first = api.post("/v1/leave", {**ask, "start_date": "2026-03-02", "end_date": "2026-03-03"}).json()
    second = api.post("/v1/leave", {**ask, "start_date": "2026-04-13", "end_date": "2026-04-14"}).json()
    assert first["status"] == second["status"] == "pending"
    hr = stack.create_staff_user(workspace, "hr")
    login(page, hr)

    page.goto(f"/admin/leave/leave/{first['id']}/change/")
    review = page.locator("#leave-review")
    expect(review).to_contain_text("Available with it applied")
    page.fill("#decision-reason", "Covered by Grace")
    shot(page, "before-approval")
    review.get_by_role("button", name="Approve").click()
    expect(page.locator(SAVED)).to_be_visible()
    expect(page.locator("#leave-review")).to_contain_text(f"Approved by {hr.username}")
    expect(page.locator("#leave-review")).to_contain_text("“Covered by Grace”")
    expect(page.locator("#leave-review")).to_contain_text("CET")  # when, in the workspace's zone, named
    shot(page, "approved")

    page.goto(f"/admin/leave/leave/{second['id']}/change/")
    page.fill("#decision-reason", "Release week")
    page.locator("#leave-review").get_by_role("button", name="Reject").click()
    expect(page.locator(SAVED)).to_be_visible()
    expect(page.locator("#leave-review")).to_contain_text("“Release week”")
    shot(page, "rejected")

    approved, rejected = api.get(f"/v1/leave/{first['id']}"), api.get(f"/v1/leave/{second['id']}")
    assert (approved["status"], approved["decision_reason"]) == ("approved", "Covered by Grace")
    assert (rejected["status"], rejected["decision_reason"]) == ("rejected", "Release week")
    assert approved["decided_by"]["type"] == "user" and approved["decided_by"]["name"] == hr.username
    events = {event["type"]: event for event in api.get("/v1/events", params={"limit": 50})["data"]}
    assert events["leave.approved"]["data"]["decision_reason"] == "Covered by Grace"
    assert events["leave.rejected"]["data"]["decision_reason"] == "Release week"
