from datetime import date

import pytest

from pulsehr.tenancy.context import Tenant


@pytest.fixture
def set_today(monkeypatch):
    """Fix "today" in every workspace's time zone, which decides used vs planned leave."""

    def set_to(day: date) -> None:
        monkeypatch.setattr(Tenant, "today", lambda self: day)

    return set_to


@pytest.fixture
def log_leave(api, employee):
    """POST /v1/leave for the default employee; asserts nothing, returns the response."""

    def post(start_date, end_date=None, *, kind="vacation", client=None, **extra):
        body = {"employee_id": employee.pk, "kind": kind, "start_date": str(start_date), **extra}
        if end_date is not None:
            body["end_date"] = str(end_date)
        return (client or api).post("/v1/leave", body)

    return post
