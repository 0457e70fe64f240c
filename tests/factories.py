"""Factories for setting up data. They write rows directly (fast); behaviour under test
always goes through the API or the services."""

from datetime import date

import factory

from employees.models import Employee
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
