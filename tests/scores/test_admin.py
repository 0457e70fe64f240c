"""The Employee Score in the admin: the panel on an employee's page, shown as the workspace's
privacy setting and the viewer's role allow, and the team-health page."""

import pytest
from django.urls import reverse

from pulsehr.tenancy.context import SYSTEM
from pulsehr.tenancy.services import workspace_update
from tests.factories import EmployeeFactory
from tests.staff import logged_in, member_client, staff_user

pytestmark = pytest.mark.django_db

SHOWN = "pulse-score-factors"  # the table of factors


def page(client, employee) -> str:
    response = client.get(reverse("admin:employees_employee_change", args=[employee.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def people(workspace):
    boss = EmployeeFactory(workspace=workspace, email="boss@example.test")
    lead = EmployeeFactory(workspace=workspace, manager=boss, email="lead@example.test")
    person = EmployeeFactory(workspace=workspace, manager=lead)
    return {"boss": boss, "lead": lead, "person": person}


@pytest.mark.parametrize("role", ["owner", "hr"])
def test_hr_staff_see_the_score_with_each_factor_explained(workspace, people, role):
    html = page(member_client(workspace, role), people["person"])
    assert 'id="pulse-score"' in html and SHOWN in html and "No check-ins in 12 weeks." in html
    assert "Team health" in html


def test_viewers_do_not_see_individual_scores_by_default(workspace, people):
    html = page(member_client(workspace, "viewer"), people["person"])
    assert 'id="pulse-score"' in html and SHOWN not in html
    assert "Only HR staff see individual scores" in html


def test_the_manager_chain_sees_the_score_when_the_workspace_allows_it(workspace, people):
    workspace_update(workspace=workspace, actor=SYSTEM, score_privacy="hr_and_manager_chain")
    for email in ("boss@example.test", "LEAD@example.test"):
        user = staff_user((workspace, "viewer"))
        user.email = email
        user.save()
        assert SHOWN in page(logged_in(user), people["person"]), email
    outsider = staff_user((workspace, "viewer"))
    html = page(logged_in(outsider), people["person"])
    assert SHOWN not in html and "this person&#x27;s managers" in html
    # a report does not see their manager's score
    report = staff_user((workspace, "viewer"))
    report.email = people["person"].email
    report.save()
    assert SHOWN not in page(logged_in(report), people["lead"])


def test_nobody_sees_individual_scores_when_the_workspace_says_so(workspace, people):
    workspace_update(workspace=workspace, actor=SYSTEM, score_privacy="nobody")
    html = page(member_client(workspace, "owner"), people["person"])
    assert SHOWN not in html and "privacy: nobody" in html


def test_team_health_shows_groups_and_marks_the_suppressed(workspace, people):
    client = member_client(workspace, "viewer")
    response = client.get(reverse("admin_team_health"), {"by": "manager"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Team health" in html and "Groups × factors" in html
    assert "Nobody has a score yet" in html or "Hidden: too few people" in html


def test_team_health_needs_a_staff_member(client, workspace):
    response = client.get(reverse("admin_team_health"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_team_health_heatmap_marks_the_suppressed_and_shows_the_visible(workspace):
    from datetime import timedelta

    from pulsehr.tenancy.context import Tenant
    from scores.services import score_snapshots_take
    from statuslog.models import StatusLogEntry
    from workload.models import WorkloadCheckin

    tenant = Tenant(workspace, "live")
    monday = tenant.today() - timedelta(days=tenant.today().weekday())
    for department, size in (("Engineering", 6), ("Legal", 5), ("Sales", 2)):
        for _ in range(size):
            person = EmployeeFactory(workspace=workspace, department=department)
            WorkloadCheckin.objects.create(
                workspace=workspace, environment="live", employee=person, week_start=monday, level="balanced"
            )
            StatusLogEntry.objects.create(
                workspace=workspace, environment="live", employee=person, date=monday, lines=["Hi"]
            )
    score_snapshots_take(tenant=tenant, day=monday)
    html = member_client(workspace, "viewer").get(reverse("admin_team_health")).content.decode()
    assert html.count("Hidden: too few people to show without identifying them.") == 2  # Sales, and Legal with it
    assert "Engineering" in html and "pulse-heat-" in html
    assert '<svg class="pulse-score-trend"' in html
