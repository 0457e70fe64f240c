"""The admin's leave pages (issue 18): a request's page shows the balance with it applied and the
team's overlapping leave, and approves or rejects with a reason; the ledger's list and its
adjustments; who may decide is the workspace's setting."""

import re
from datetime import date

import pytest
from django.urls import reverse

from leave.models import Leave, LeaveLedgerEntry
from webhooks.models import Event

from ..staff import superuser_client_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(api, workspace, make_employee, set_today):
    set_today(date(2026, 3, 1))
    workspace.leave_approval_required = True
    workspace.save()
    boss = make_employee(full_name="Boss")
    ada = make_employee(full_name="Ada Lovelace", department="Engineering", manager=boss)
    bob = make_employee(full_name="Bob Builder", department="Engineering", manager=boss)
    api.post("/v1/leave", {"employee_id": bob.pk, "kind": "vacation", "start_date": "2026-03-04"})
    leave = api.post(
        "/v1/leave", {"employee_id": ada.pk, "kind": "vacation", "start_date": "2026-03-02", "end_date": "2026-03-06"}
    ).json()
    return Leave.objects.get(pk=leave["id"])


def test_a_requests_page_shows_the_balance_with_it_applied_and_the_teams_overlapping_leave(workspace, pending):
    client = superuser_client_in(workspace)
    page = client.get(reverse("admin:leave_leave_change", args=[pending.pk])).content.decode()
    assert "Available without it" in page and "Available with it applied" in page
    assert '<td class="pulse-num">25</td>' in page and '<td class="pulse-num">20</td>' in page
    assert "Bob Builder" in page  # same department, overlapping
    assert 'name="decision" value="approve"' in page


def test_approving_from_the_page_keeps_the_reason_and_names_the_user(workspace, pending):
    client = superuser_client_in(workspace)
    url = reverse("admin:leave_leave_decide", args=[pending.pk])
    response = client.post(url, {"decision": "approve", "reason": "Have fun"}, follow=True)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert (pending.status, pending.decision_reason) == ("approved", "Have fun")
    assert Event.objects.get(type="leave.approved").data["decided_by"]["type"] == "user"
    assert LeaveLedgerEntry.objects.filter(leave=pending, entry_type="taken").count() == 5
    again = client.post(url, {"decision": "reject"}, follow=True)
    assert any("only pending leave" in str(m) for m in again.context["messages"])
    assert client.get(url).status_code == 405


def test_hr_staff_add_an_adjustment_in_the_admin_and_the_ledger_lists_it(workspace, pending):
    client = superuser_client_in(workspace)
    response = client.post(
        reverse("admin:leave_leaveledgerentry_add"),
        {"employee": pending.employee_id, "kind": "vacation", "amount": "1.5", "reason": "Overtime"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LeaveLedgerEntry.objects.get(entry_type="adjustment")
    assert (entry.amount, entry.reason, entry.actor.startswith("user:")) == (1.5, "Overtime", True)
    assert Event.objects.filter(type="leave.balance_adjusted").count() == 1
    listing = client.get(
        reverse("admin:leave_leaveledgerentry_changelist"), {"entry_type__exact": "adjustment"}
    ).content.decode()
    assert "Overtime" in listing


def test_the_team_calendar_shows_a_month_of_who_is_out_by_department(workspace, pending, api):
    api.post(f"/v1/leave/{pending.pk}/approve", {})
    client = superuser_client_in(workspace)
    url = reverse("admin:leave_leave_team_calendar")
    page = client.get(url, {"month": "2026-03"}).content.decode()
    assert "Who is out: March 2026" in page and "Ada Lovelace" in page and "Bob Builder" not in page
    pending_too = client.get(url, {"month": "2026-03", "include_pending": "true"}).content.decode()
    assert "Bob Builder" in pending_too
    other = client.get(url, {"month": "2026-03", "department": "Sales"}).content.decode()
    assert "Nobody is out this month." in other


def test_the_leave_list_links_to_the_team_calendar(workspace):
    page = superuser_client_in(workspace).get(reverse("admin:leave_leave_changelist")).content.decode()
    assert reverse("admin:leave_leave_team_calendar") in page


def test_a_request_that_would_overdraw_says_so_before_the_decision(workspace, pending, api):
    """The allowance was lowered after this request was logged (other leave approved since
    would do the same): the page warns, in words, before HR approves."""
    workspace.leave_allowances = {"vacation": 4}  # against the 5 days requested
    workspace.save()
    client = superuser_client_in(workspace)
    page = client.get(reverse("admin:leave_leave_change", args=[pending.pk])).content.decode()
    assert 'role="alert">Approving it leaves -1 days: more than Ada Lovelace has available.' in page


def test_a_decided_request_shows_the_decision_who_made_it_and_when(workspace, pending):
    client = superuser_client_in(workspace)
    client.post(reverse("admin:leave_leave_decide", args=[pending.pk]), {"decision": "reject"})
    page = client.get(reverse("admin:leave_leave_change", args=[pending.pk])).content.decode()
    decided = r"<p>Rejected by \w+ on \d+ \w+ 2026, \d\d:\d\d [A-Z]{3,4}, with no reason given\.</p>"
    assert re.search(decided, page), page
