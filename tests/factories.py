"""Factories for setting up data. They write rows directly (fast); behaviour under test
always goes through the API or the services."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from employees.models import Employee
from kudos.models import Kudos
from leave.models import CompanyDayOff, Leave
from pulsehr.tenancy.models import Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace

    slug = factory.Sequence(lambda n: f"ws-{n}")
    name = factory.Sequence(lambda n: f"Workspace {n}")
    country = "IT"
    timezone = "Europe/Rome"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    workspace = factory.SubFactory(WorkspaceFactory)
    environment = "live"
    full_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    role = "Engineer"
    department = "Engineering"
    location = "Milan"
    start_date = date(2022, 3, 1)


class KudosFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kudos

    workspace = factory.LazyAttribute(lambda o: o.from_employee.workspace)
    environment = factory.LazyAttribute(lambda o: o.from_employee.environment)
    coins = 5
    tag = "craft"
    note = "Thanks!"
    created_at = factory.LazyFunction(timezone.now)


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave
        skip_postgeneration_save = True  # the ledger hook writes entries, not the leave

    employee = factory.SubFactory(EmployeeFactory)
    employee_name = factory.SelfAttribute("employee.full_name")
    employee_department = factory.SelfAttribute("employee.department")
    employee_location = factory.SelfAttribute("employee.location")
    workspace = factory.SelfAttribute("employee.workspace")
    environment = factory.SelfAttribute("employee.environment")
    kind = "vacation"
    start_date = date(2026, 3, 2)
    end_date = factory.SelfAttribute("start_date")
    days = Decimal(1)
    status = "approved"

    @factory.post_generation
    def ledger(obj, create, extracted, **kwargs):
        """Approved leave takes its days in the ledger, as the service's approval does."""
        if create and obj.status == "approved":
            from leave.services import ledger_usage_record
            from pulsehr.tenancy.context import Tenant

            obj.refresh_from_db()  # dates given as strings come back as dates
            ledger_usage_record(tenant=Tenant.of(obj), leave=obj)


class CompanyDayOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyDayOff

    date = date(2026, 8, 14)
    name = "Summer shutdown"
