"""A small organisation seeded through the services (so the rules and events are real), with a
fixed clock: Wednesday 15 May 2024 in Rome. The week runs Monday 13 to Sunday 19 May."""

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from employees.models import Employee
from kudos.services import kudos_award
from leave.services import leave_cancel, leave_log
from pulsehr.tenancy.context import SYSTEM, Tenant
from pulsehr.tenancy.models import Membership, Workspace
from pulsehr.tenancy.staff import SESSION_ENVIRONMENT, SESSION_WORKSPACE
from statuslog.services import status_log_entry_post
from workload.services import workload_checkin_record

from ..factories import EmployeeFactory, KudosFactory
from ..helpers import DEFAULT_NOW, freeze_workspace_clock

TODAY = date(2024, 5, 15)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Today is 15 May 2024 for every workspace, and kudos are given at that instant."""
    freeze_workspace_clock(monkeypatch)
    monkeypatch.setattr("kudos.services.timezone", SimpleNamespace(now=lambda: DEFAULT_NOW))


@dataclass
class Org:
    tenant: Tenant
    boss: Employee
    manager: Employee
    alice: Employee
    bob: Employee
    carol: Employee
    newbie: Employee
    leaver: Employee


def seed_org(workspace: Workspace, environment: str = "live", *, prefix: str = "") -> Org:
    """Six people active today (one joined this month), one who left this month, one who has
    not started and one who left last month; leave, status log, workload and kudos around them."""
    tenant = Tenant(workspace, environment)

    def person(name, **fields):
        return EmployeeFactory(workspace=workspace, environment=environment, full_name=f"{prefix}{name}", **fields)

    boss = person("Bea Boss")
    manager = person("Mario Manager", manager=boss)
    alice = person("Alice Analyst", manager=manager)
    bob = person("Bob Builder", manager=manager)
    carol = person("Carol Coder", manager=manager)
    newbie = person("Nina Newbie", start_date=date(2024, 5, 6))
    leaver = person("Leo Leaver", end_date=date(2024, 5, 10))
    person("Fred Future", start_date=date(2024, 6, 1))
    person("Olga Oldtimer", end_date=date(2024, 4, 30))

    def leave(employee, start, end=None, **extra):
        return leave_log(tenant=tenant, actor=SYSTEM, employee_id=employee.pk, start_date=start, end_date=end, **extra)

    leave(alice, date(2024, 5, 14), date(2024, 5, 16), kind="vacation")  # away today
    leave(bob, date(2024, 5, 17), kind="sick")  # away on Friday
    leave(carol, date(2024, 5, 20), date(2024, 5, 21), kind="vacation")  # next week
    cancelled = leave(carol, date(2024, 5, 15), kind="personal")
    leave_cancel(tenant=tenant, leave=cancelled, actor=SYSTEM)
    Workspace.objects.filter(pk=workspace.pk).update(leave_approval_required=True)
    leave(manager, date(2024, 5, 15), kind="personal", half_day=True)  # pending, today
    leave(boss, date(2024, 6, 3), date(2024, 6, 4), kind="vacation")  # pending, later

    def post(employee, day):
        status_log_entry_post(tenant=tenant, actor=SYSTEM, employee_id=employee.pk, lines=["Shipped it"], date=day)

    post(alice, date(2024, 5, 15))
    post(bob, date(2024, 5, 15))
    post(alice, date(2024, 5, 14))
    post(carol, date(2024, 5, 14))
    post(newbie, date(2024, 5, 6))
    post(bob, date(2024, 5, 11))  # a Saturday: not a working day, so not on the chart

    def check_in(employee, monday, level):
        workload_checkin_record(tenant=tenant, actor=SYSTEM, employee_id=employee.pk, week_start=monday, level=level)

    check_in(alice, date(2024, 5, 13), "heavy")
    check_in(bob, date(2024, 5, 13), "overloaded")
    check_in(carol, date(2024, 5, 13), "balanced")
    check_in(alice, date(2024, 5, 6), "light")
    check_in(bob, date(2024, 5, 6), "heavy")
    check_in(alice, date(2024, 2, 19), "balanced")  # twelve weeks before this one: outside the trend

    def thank(giver, receiver, coins):
        kudos_award(tenant=tenant, actor=SYSTEM, from_employee_id=giver.pk, to_employee_id=receiver.pk, coins=coins)

    thank(alice, bob, 10)
    thank(carol, bob, 5)
    thank(bob, alice, 20)
    # 23:30 on 30 April in Rome: April's. 00:30 on 1 May in Rome (still April in UTC): May's.
    KudosFactory(from_employee=bob, to_employee=carol, coins=50, created_at=datetime.fromisoformat("2024-04-30T21:30Z"))
    KudosFactory(from_employee=bob, to_employee=carol, coins=7, created_at=datetime.fromisoformat("2024-04-30T22:30Z"))
    workspace.refresh_from_db()
    return Org(tenant, boss, manager, alice, bob, carol, newbie, leaver)


@pytest.fixture
def org(workspace):
    return seed_org(workspace)


@pytest.fixture
def noise(workspace, other_workspace):
    """The same organisation in the other environment and in another workspace: none of it may
    show in `workspace`'s live figures."""
    return [seed_org(workspace, "test", prefix="Test "), seed_org(other_workspace, prefix="Other ")]


@pytest.fixture
def superuser_client(db):
    user = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member_client(db):
    """A staff user of one workspace (HR role) who can view people and leave."""

    def make(workspace, username="hr", role="hr"):
        user = get_user_model().objects.create_user(username, f"{username}@example.test", "pw", is_staff=True)
        user.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["employees", "leave", "kudos", "statuslog", "workload"]
            )
        )
        Membership.objects.create(user=user, workspace=workspace, role=role)
        client = Client()
        client.force_login(user)
        return client

    return make


def work_in(client, workspace, environment="live"):
    """Switch the session to a workspace environment, as the admin's switcher does."""
    session = client.session
    session[SESSION_WORKSPACE] = workspace.pk
    session[SESSION_ENVIRONMENT] = environment
    session.save()
