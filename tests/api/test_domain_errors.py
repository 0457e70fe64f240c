"""Domain errors know nothing of HTTP: each app's typed errors derive from one of the kinds in
pulsehr/errors.py, and the API's one table (ERROR_KINDS, DOMAIN_STATUS) gives each kind its
status and code, which the handler answers with and the OpenAPI document describes."""

import importlib
import inspect
from datetime import date

import pytest

from employees.errors import EmailTaken
from employees.services import employee_create
from kudos.errors import KudosAllowanceExceeded, KudosToSelf
from kudos.services import kudos_award
from leave.errors import LeaveOverlaps
from leave.services import leave_log
from pulsehr import errors
from pulsehr.api.exceptions import DOMAIN_STATUS, ERROR_KINDS, domain_status
from pulsehr.api.schema import ERROR_CODES
from pulsehr.tenancy.context import SYSTEM, Tenant
from statuslog.errors import DuplicateStatusLogDay
from statuslog.services import status_log_entry_post
from workload.errors import DuplicateCheckin
from workload.services import workload_checkin_record

from ..factories import EmployeeFactory

APPS_WITH_ERRORS = ["employees", "leave", "kudos", "statuslog", "workload", "webhooks", "collab", "pulsehr.tenancy"]


def typed_errors():
    for app in APPS_WITH_ERRORS:
        module = importlib.import_module(f"{app}.errors")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, errors.PulseError) and value.__module__ == module.__name__:
                yield value


def test_every_typed_error_is_of_a_kind_the_api_maps():
    found = list(typed_errors())
    assert len(found) > 20
    for error in found:
        kinds = [kind for kind in DOMAIN_STATUS if issubclass(error, kind)]
        assert kinds, f"{error.__module__}.{error.__name__} is of no kind in DOMAIN_STATUS: it would be a 500"


def test_the_error_table_feeds_the_handler_and_the_document():
    assert {str(status) for status in DOMAIN_STATUS.values()} <= set(ERROR_CODES)
    assert ERROR_CODES == {str(status): kind.code for status, kind in ERROR_KINDS.items()}
    assert domain_status(errors.StaleVersion("x")) == 409
    assert domain_status(LeaveOverlaps("x")) == 422
    assert domain_status(errors.PulseError("x")) == 500


@pytest.fixture
def tenant(workspace):
    return Tenant(workspace, "live")


@pytest.mark.django_db
def test_services_raise_their_typed_errors(tenant):
    ada = employee_create(
        tenant=tenant, actor=SYSTEM, full_name="Ada", email="ada@example.com", start_date=date(2024, 1, 1)
    )
    grace = EmployeeFactory(workspace=tenant.workspace, environment="live", start_date=date(2024, 1, 1))
    with pytest.raises(EmailTaken):
        employee_create(
            tenant=tenant, actor=SYSTEM, full_name="Ada 2", email="ada@example.com", start_date=date(2024, 1, 1)
        )
    leave_log(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, kind="vacation", start_date=date(2024, 5, 15))
    with pytest.raises(LeaveOverlaps):
        leave_log(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, kind="vacation", start_date=date(2024, 5, 15))
    with pytest.raises(KudosToSelf):
        kudos_award(tenant=tenant, actor=SYSTEM, from_employee_id=ada.pk, to_employee_id=ada.pk, coins=1)
    with pytest.raises(KudosAllowanceExceeded):
        kudos_award(tenant=tenant, actor=SYSTEM, from_employee_id=ada.pk, to_employee_id=grace.pk, coins=10_000)
    status_log_entry_post(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, lines=["Shipped"])
    with pytest.raises(DuplicateStatusLogDay):
        status_log_entry_post(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, lines=["Again"])
    workload_checkin_record(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, level="balanced")
    with pytest.raises(DuplicateCheckin):
        workload_checkin_record(tenant=tenant, actor=SYSTEM, employee_id=ada.pk, level="heavy")
