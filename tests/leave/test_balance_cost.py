"""The balance stays cheap: a constant number of queries, however long the journal."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leave.calendar import public_holidays

from ..factories import LeaveFactory

pytestmark = pytest.mark.django_db


def journal(employee, count):
    """`count` one-day leave records over the years, plus one straddling today, so that the
    split by day (and the company days off it needs) is part of what is measured."""
    day = date(2019, 1, 7)
    for n in range(count):
        LeaveFactory(employee=employee, start_date=day, kind=("vacation", "sick", "personal")[n % 3])
        day += timedelta(days=7 if day.weekday() < 4 else 10)
    LeaveFactory(employee=employee, start_date=date(2026, 6, 1), end_date=date(2026, 6, 12), days=Decimal(9))


def measure(api, employee):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/v1/leave/balance/{employee.pk}", {"year": 2026})
    assert response.status_code == 200
    return [q["sql"] for q in queries]


def test_balance_costs_the_same_few_queries_for_10_or_200_leave_records(api, make_employee, set_today):
    set_today(date(2026, 6, 5))
    few, many = make_employee(), make_employee(start_date=date(2019, 1, 1))
    journal(few, 10)
    journal(many, 200)
    api.get("/v1/leave", {"limit": 1})  # warms the key: last_used_at is written once
    cost_few, cost_many = measure(api, few), measure(api, many)
    # the key, the employee, their leave touching the year, and company days off for the split
    assert len(cost_many) == len(cost_few) <= 4, cost_many


def test_without_a_leave_to_split_company_days_off_are_not_read(api, employee, set_today):
    set_today(date(2026, 6, 5))
    LeaveFactory(employee=employee, start_date=date(2026, 3, 2))
    api.get("/v1/leave", {"limit": 1})
    assert len(measure(api, employee)) <= 3


def test_public_holidays_are_computed_once_per_country_region_and_year(api, employee, set_today):
    """Approved leave is in the ledger by day, so only pending leave crossing the year is split."""
    set_today(date(2026, 6, 5))
    LeaveFactory(employee=employee, start_date=date(2026, 6, 1), end_date=date(2026, 6, 12), days=Decimal(9))
    LeaveFactory(
        employee=employee, status="pending", start_date=date(2026, 12, 28), end_date=date(2027, 1, 8), days=Decimal(8)
    )
    public_holidays.cache_clear()
    for _ in range(3):
        measure(api, employee)
    info = public_holidays.cache_info()
    assert (info.misses, info.hits) == (2, 4)  # 2026 and 2027, once each
