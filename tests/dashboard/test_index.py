"""The admin index opens on a dashboard of the workspace environment the staff user works in."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext

from dashboard.workspace import dashboard_for
from employees.models import Employee
from kudos.services import kudos_award
from leave.services import leave_log
from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.models import Workspace
from statuslog.services import status_log_entry_post
from workload.services import workload_checkin_record

from ..conftest import Api
from ..factories import EmployeeFactory, WorkspaceFactory
from .conftest import work_in

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def dashboard_of(response):
    assert response.status_code == 200
    return response.context["dashboard"]


@pytest.fixture
def live_dashboard(superuser_client, org, noise):
    """The seeded workspace's live dashboard, as a superuser who works in it sees it."""
    work_in(superuser_client, org.tenant.workspace)
    return dashboard_of(superuser_client.get(INDEX))


def names(entries):
    return [entry.leave.employee.full_name for entry in entries]


def test_headcount_counts_people_active_today_and_this_months_arrivals_and_departures(live_dashboard):
    headcount = live_dashboard.headcount

    assert (headcount.active, headcount.joined_this_month, headcount.left_this_month) == (6, 1, 1)


def test_the_headcount_and_the_api_apply_one_rule_of_who_is_active(live_dashboard, org):
    """Someone hired with a start date ahead is active (the API's status) and not yet at work
    (the dashboard's "Active now"): the dashboard shows them apart, and the two add up."""
    headcount = live_dashboard.headcount
    api = Api(org.tenant.workspace, "live")
    active = api.get("/v1/employees", {"status": "active"}).json()
    assert headcount.starting_later == 1
    assert headcount.active + headcount.starting_later == active["total_count"]
    today = org.tenant.today()
    not_started = [row for row in active["data"] if row["start_date"] > today.isoformat()]
    assert len(not_started) == headcount.starting_later and not_started[0]["status"] == "active"
    admin_filtered = Employee.objects.filter(workspace=org.tenant.workspace, environment="live").active_on(today)
    assert admin_filtered.count() == active["total_count"]


def test_on_leave_lists_today_and_this_week_without_cancelled_or_next_weeks_leave(live_dashboard):
    dashboard = live_dashboard

    assert names(dashboard.away_today) == ["Alice Analyst", "Mario Manager"]
    assert sorted(names(dashboard.away)) == ["Alice Analyst", "Bob Builder", "Mario Manager"]
    assert dashboard.week_start == date(2024, 5, 13)


def test_pending_approvals_are_counted_and_listed_oldest_first(live_dashboard):
    dashboard = live_dashboard

    assert dashboard.pending_count == 2
    assert [leave.employee.full_name for leave in dashboard.pending] == ["Mario Manager", "Bea Boss"]


def test_workload_distribution_for_this_week_and_a_twelve_week_trend(live_dashboard):
    dashboard = live_dashboard

    assert dashboard.this_week_load.counts == {"light": 0, "balanced": 1, "heavy": 1, "overloaded": 1}
    assert dashboard.without_checkin == 3
    weeks = dashboard.workload_weeks
    assert len(weeks) == 12
    assert (weeks[0].week_start, weeks[-1].week_start) == (date(2024, 2, 26), date(2024, 5, 13))
    assert weeks[-2].counts == {"light": 1, "balanced": 0, "heavy": 1, "overloaded": 0}
    assert sum(week.total for week in weeks) == 5  # February's check-in is outside


def test_status_log_participation_per_working_day_of_the_last_two_weeks(live_dashboard):
    participation = {day.day: day for day in live_dashboard.participation}

    # 2 to 15 May: 1 May (a public holiday in Italy) and the weekends are not working days.
    assert len(participation) == 10
    assert date(2024, 5, 11) not in participation
    today, yesterday, newbies_first = (
        participation[date(2024, 5, 15)],
        participation[date(2024, 5, 14)],
        participation[date(2024, 5, 6)],
    )
    assert (today.posted, today.active, today.percent) == (2, 6, 33)
    assert (yesterday.posted, yesterday.active) == (2, 6)
    # The leaver was still there on the 6th; the newbie's first day.
    assert (newbies_first.posted, newbies_first.active, newbies_first.percent) == (1, 7, 14)
    assert participation[date(2024, 5, 3)].posted == 0


def test_kudos_leaderboard_counts_coins_received_this_month_in_the_workspace_time_zone(live_dashboard):
    leaderboard = live_dashboard.leaderboard

    assert [(r.full_name, r.coins, r.kudos) for r in leaderboard] == [
        ("Alice Analyst", 20, 1),
        ("Bob Builder", 15, 2),
        ("Carol Coder", 7, 1),
    ]


def test_the_page_renders_sane_html_with_links_accessible_charts_and_figures(superuser_client, org):
    work_in(superuser_client, org.tenant.workspace)
    response = superuser_client.get(INDEX)
    html = response.content.decode()

    parse_html(html)  # raises on unbalanced markup
    assert html.count('role="img"') == 2
    assert '<title id="pulse-workload-chart-title">' in html and '<desc id="pulse-workload-chart-desc">' in html
    assert html.count("<summary>Figures</summary>") == 2
    assert f'href="/admin/employees/employee/{org.alice.pk}/change/"' in html
    assert 'href="/admin/leave/leave/?status=pending"' in html
    assert "Approve or reject pending leave" in html
    assert "dashboard/dashboard.css" in html
    # Beside it the navigation every admin page has, grouped by what HR does; Django's app list is gone.
    assert 'id="nav-sidebar"' in html and 'class="app-people module' in html
    assert 'class="app-employees module' not in html
    dashboard = html.split('class="pulse-dashboard"')[1].split("</section>")[0]
    assert "<script" not in dashboard
    assert not re.search(r"(src|href)=\"https?:", dashboard)  # nothing fetched from elsewhere


def test_a_member_sees_their_own_workspace_and_nothing_of_another(member_client, org, noise, other_workspace):
    ours = dashboard_of(member_client(org.tenant.workspace).get(INDEX))
    theirs_client = member_client(other_workspace, username="other-hr")
    theirs = dashboard_of(theirs_client.get(INDEX))

    assert ours.tenant.workspace == org.tenant.workspace
    assert theirs.tenant.workspace == other_workspace
    assert "Alice Analyst" in names(ours.away) and "Other Alice Analyst" in names(theirs.away)
    # Asking for a workspace they do not belong to changes nothing.
    work_in(theirs_client, org.tenant.workspace)
    again = dashboard_of(theirs_client.get(INDEX))
    assert again.tenant.workspace == other_workspace
    assert "Alice Analyst" not in names(again.away)


def test_the_test_environment_has_its_own_figures(superuser_client, org, noise):
    work_in(superuser_client, org.tenant.workspace, "test")
    dashboard = dashboard_of(superuser_client.get(INDEX))

    assert dashboard.tenant.environment == "test"
    assert names(dashboard.away_today) == ["Test Alice Analyst", "Test Mario Manager"]
    assert dashboard.headcount.active == 6
    # Every leave in the test environment was logged while approval was required.
    assert dashboard.pending_count == 5
    assert "pulse-env-test" in superuser_client.get(INDEX).content.decode()


def test_a_viewer_is_not_offered_to_approve(member_client, org):
    html = member_client(org.tenant.workspace, username="viewer", role="viewer").get(INDEX).content.decode()

    assert "All pending leave" in html
    assert "Approve or reject pending leave" not in html


def test_a_new_workspace_reads_well_with_no_data(superuser_client):
    workspace = WorkspaceFactory(name="Fresh Start")
    work_in(superuser_client, workspace)
    response = superuser_client.get(INDEX)
    html = response.content.decode()

    parse_html(html)
    dashboard = response.context["dashboard"]
    assert dashboard.is_empty
    for message in (
        "Nobody works in this live environment yet",
        "Nobody is on leave today.",
        "No leave is waiting for a decision.",
        "No kudos given this month yet.",
        "No workload check-ins in the last 12 weeks.",
        "No working days with people to post yet.",
    ):
        assert message in html
    assert 'role="img"' not in html


def test_two_weeks_without_a_status_log_post_say_so_instead_of_an_empty_chart(superuser_client):
    workspace = WorkspaceFactory(name="Quiet Team")
    EmployeeFactory(workspace=workspace, full_name="Silent Sam")
    work_in(superuser_client, workspace)
    response = superuser_client.get(INDEX)
    html = response.content.decode()

    assert response.context["dashboard"].headcount.active == 1
    assert "Nobody posted a status-log entry in the last two weeks." in html
    assert "pulse-participation-chart" not in html


def test_a_staff_user_of_no_workspace_is_told_so(client):
    loner = get_user_model().objects.create_user("loner", "l@example.test", "pw", is_staff=True)
    client.force_login(loner)
    html = client.get(INDEX).content.decode()

    assert "You are not a member of any workspace yet" in html


def index_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_queries_for_ten_people_or_seventy(
    superuser_client, org, django_assert_max_num_queries
):
    work_in(superuser_client, org.tenant.workspace)
    small = index_queries(superuser_client)
    for n in range(60):
        person = EmployeeFactory(workspace=org.tenant.workspace, full_name=f"Extra {n}")
        status_log_entry_post(
            tenant=org.tenant, actor=SYSTEM, employee_id=person.pk, lines=["Here"], date=date(2024, 5, 15)
        )
        workload_checkin_record(tenant=org.tenant, actor=SYSTEM, employee_id=person.pk, level="balanced")
        kudos_award(tenant=org.tenant, actor=SYSTEM, from_employee_id=person.pk, to_employee_id=org.alice.pk, coins=1)
        leave_log(tenant=org.tenant, actor=SYSTEM, employee_id=person.pk, kind="sick", start_date=date(2024, 5, 15))
    assert Employee.objects.count() > 60

    with django_assert_max_num_queries(small):
        superuser_client.get(INDEX)
    # The dashboard's own share: one query per figure.
    with django_assert_max_num_queries(7):
        dashboard = dashboard_for(tenant=org.tenant)
    assert dashboard.headcount.active == 66 and dashboard.pending_count == 62 and dashboard.away_more == 13


def test_long_lists_are_cut_keeping_today_and_say_how_many_more_there_are(superuser_client, org, monkeypatch):
    monkeypatch.setattr("dashboard.workspace.AWAY_SHOWN", 2)
    monkeypatch.setattr("dashboard.workspace.PENDING_SHOWN", 1)
    Workspace.objects.filter(pk=org.tenant.workspace.pk).update(leave_approval_required=False)
    leave_log(tenant=org.tenant, actor=SYSTEM, employee_id=org.newbie.pk, kind="sick", start_date=date(2024, 5, 13))
    work_in(superuser_client, org.tenant.workspace)
    response = superuser_client.get(INDEX)
    dashboard = dashboard_of(response)

    # Monday's sick day started first, but those away today come first.
    assert names(dashboard.away) == ["Alice Analyst", "Mario Manager"]
    assert dashboard.away_more == 2
    assert (len(dashboard.pending), dashboard.pending_count) == (1, 2)
    assert "and 2 more" in response.content.decode()


def test_the_dashboard_links_to_the_team_calendar_and_team_health(superuser_client, org):
    work_in(superuser_client, org.tenant.workspace)
    page = superuser_client.get(INDEX).content.decode()
    nav = re.search(r'<nav class="pulse-dashboard-links".*?</nav>', page, re.S).group(0)
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav))
    assert links == {"Team calendar": "/admin/leave/leave/team-calendar/", "Team health": "/admin/team-health/"}
    for href in links.values():
        assert superuser_client.get(href).status_code == 200
