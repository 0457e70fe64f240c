"""An employee's admin page opens with their profile: where they sit, their leave balance,
what they posted, the kudos they gave and got, and how loaded they have felt."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from dashboard.profile import employee_profile
from kudos.services import kudos_award
from leave.representations import balance_as_dict
from pulsehr.tenancy.context import SYSTEM

from ..conftest import Api
from ..factories import EmployeeFactory
from .conftest import work_in

pytestmark = pytest.mark.django_db


def page_of(employee) -> str:
    return f"/admin/employees/employee/{employee.pk}/change/"


@pytest.fixture
def open_page(superuser_client, org, noise):
    """An employee's page as a superuser working in the seeded live workspace sees it."""
    work_in(superuser_client, org.tenant.workspace)

    def get(employee):
        response = superuser_client.get(page_of(employee))
        assert response.status_code == 200
        return response

    return get


def test_the_manager_chain_runs_up_to_the_top_with_links(open_page, org):
    response = open_page(org.alice)
    html = response.content.decode()

    assert response.context["profile"].managers == [org.manager, org.boss]
    chain = html.split('class="pulse-chain"')[1].split("</ol>")[0]
    assert chain.index(page_of(org.boss)) < chain.index(page_of(org.manager)) < chain.index("Alice Analyst")
    assert "reports to nobody" in open_page(org.boss).content.decode()


def test_direct_reports_are_listed_with_links(open_page, org):
    response = open_page(org.manager)

    assert [p.full_name for p in response.context["profile"].reports] == ["Alice Analyst", "Bob Builder", "Carol Coder"]
    assert f'href="{page_of(org.bob)}"' in response.content.decode()


def test_the_leave_balance_is_the_one_the_api_returns(open_page, org):
    profile = open_page(org.alice).context["profile"]
    from_api = Api(org.tenant.workspace).get(f"/v1/leave/balance/{org.alice.pk}").json()

    assert profile.year == from_api["year"] == 2024
    assert [balance_as_dict(balance) for balance in profile.balances] == from_api["balances"]
    vacation = next(balance for balance in profile.balances if balance.kind == "vacation")
    assert (vacation.used, vacation.planned, vacation.remaining) == (2, 1, 22)  # 14–15 May taken, the 16th to come


def test_recent_status_log_entries_newest_first(open_page, org):
    response = open_page(org.bob)

    assert [entry.date for entry in response.context["profile"].entries] == [date(2024, 5, 15), date(2024, 5, 11)]
    assert "Shipped it" in response.content.decode()


def test_kudos_given_and_received_with_totals(open_page, org):
    profile = open_page(org.bob).context["profile"]

    assert (profile.received.kudos, profile.received.coins) == (2, 15)
    assert (profile.given.kudos, profile.given.coins) == (3, 77)
    assert {k.from_employee.full_name for k in profile.kudos_received} == {"Alice Analyst", "Carol Coder"}
    assert [k.coins for k in profile.kudos_given][0] == 20  # the newest: 15 May, to Alice


def test_workload_history_of_the_last_twelve_weeks_with_a_sparkline(open_page, org):
    response = open_page(org.alice)
    weeks = response.context["profile"].workload
    html = response.content.decode()

    assert len(weeks) == 12
    assert [(w.week_start, w.level) for w in weeks[-2:]] == [(date(2024, 5, 6), "light"), (date(2024, 5, 13), "heavy")]
    assert all(w.level is None for w in weeks[:-2])  # February's check-in is older than twelve weeks
    sparkline = html.split('class="pulse-sparkline"')[1].split("</svg>")[0]
    assert 'role="img"' in sparkline and "<title" in sparkline and "<desc" in sparkline
    assert sparkline.count("<circle") == 2
    # Axes: the levels named up the left, the weeks (Mondays) along the bottom; and a legend.
    axis = re.findall(r'<text class="pulse-axis"[^>]*>([^<]+)</text>', sparkline)
    assert axis[:4] == ["Light", "Balanced", "Heavy", "Overloaded"]
    assert axis[4] == f"{weeks[2].week_start.day} {weeks[2].week_start:%b}" and axis[-1] == "13 May"
    assert "A week's check-in, at its level" in html and "a gap is a week without a check-in" in html
    parse_html(html)


def test_a_member_sees_the_profile_of_someone_in_their_workspace(member_client, org):
    response = member_client(org.tenant.workspace).get(page_of(org.alice))

    assert response.status_code == 200
    assert response.context["profile"].managers == [org.manager, org.boss]


def test_another_workspaces_member_gets_no_profile(member_client, org, other_workspace):
    response = member_client(other_workspace, username="other-hr").get(page_of(org.alice), follow=True)

    assert "profile" not in (response.context or {})
    assert "Alice Analyst" not in response.content.decode()


def test_the_add_form_has_no_profile(superuser_client, org):
    work_in(superuser_client, org.tenant.workspace)
    response = superuser_client.get("/admin/employees/employee/add/")

    assert response.status_code == 200
    assert "pulse-profile" not in response.content.decode()


def test_someone_with_no_history_reads_well(open_page, org):
    html = open_page(org.newbie).content.decode()

    for message in (
        "reports to nobody",
        "No direct reports.",
        "None received yet.",
        "None given yet.",
        "No workload check-ins in the last 12 weeks.",
    ):
        assert message in html
    assert "No status-log entries yet." not in html  # the newbie posted on their first day
    parse_html(html)


def test_a_deep_chain_is_followed_to_the_top(open_page, org):
    """Twenty chiefs above Bea Boss: more levels than one query loads."""
    above = None
    chiefs = []
    for level in range(20):
        above = EmployeeFactory(workspace=org.tenant.workspace, full_name=f"Chief {level}", manager=above)
        chiefs.append(above)
    org.boss.manager = above
    org.boss.save(update_fields=["manager"])

    managers = open_page(org.alice).context["profile"].managers

    assert [m.full_name for m in managers] == ["Mario Manager", "Bea Boss", *(c.full_name for c in reversed(chiefs))]


def page_queries(client, employee) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_of(employee)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_however_long_the_history(superuser_client, org, django_assert_max_num_queries):
    work_in(superuser_client, org.tenant.workspace)
    before = page_queries(superuser_client, org.manager)
    for n in range(20):
        report = EmployeeFactory(workspace=org.tenant.workspace, full_name=f"Report {n}", manager=org.manager)
        kudos_award(tenant=org.tenant, actor=SYSTEM, from_employee_id=report.pk, to_employee_id=org.manager.pk, coins=1)

    with django_assert_max_num_queries(before):
        superuser_client.get(page_of(org.manager))
    # The profile's own share: a query per section, the leave balance taking three (the employee,
    # their ledger, their pending leave).
    with django_assert_max_num_queries(10):
        employee_profile(employee=org.manager)
