"""Leave rows written directly, for tests about reading (lists, filters, balances, query
counts). Behaviour under test always goes through the API, the admin or the services."""

from datetime import date
from decimal import Decimal

import factory

from leave.models import CompanyDayOff, Leave

from ..factories import EmployeeFactory


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave

    employee = factory.SubFactory(EmployeeFactory)
    workspace = factory.SelfAttribute("employee.workspace")
    environment = factory.SelfAttribute("employee.environment")
    kind = "vacation"
    start_date = date(2026, 3, 2)
    end_date = factory.SelfAttribute("start_date")
    days = Decimal(1)
    status = "approved"


class CompanyDayOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyDayOff

    date = date(2026, 8, 14)
    name = "Summer shutdown"
