"""The employees app's side of API keys that act as one employee (pulsehr/tenancy/bound_keys.py):
who a key may act as, and when a bound key stops working. Registered from EmployeesConfig.ready()."""

from pulsehr.tenancy.context import Tenant

from .choices import EmployeeStatus
from .errors import FormerEmployee, UnknownEmployee
from .models import Employee


def api_key_employee_check(*, tenant: Tenant, employee_id: str) -> None:
    """A key acts as an active employee of its own workspace environment only."""
    employee = tenant.scope(Employee.objects).filter(pk=employee_id).first()
    if employee is None:
        raise UnknownEmployee(
            f"{employee_id} is not an employee of {tenant.workspace.name} ({tenant.environment}); "
            "a key acts as an employee of its own workspace environment.",
            fields=["employee_id"],
        )
    if employee.status_on(tenant.today()) != EmployeeStatus.ACTIVE:
        raise FormerEmployee(
            f"{employee.full_name} ({employee.pk}) was offboarded on {employee.end_date.isoformat()}; "
            "a key cannot act as a former employee.",
            fields=["employee_id"],
        )


def api_key_employee_lapsed(*, api_key) -> str:
    """Why a bound key no longer works: its employee is no longer active (offboarded through the
    API or the admin, or an end date that has passed). Reads the employee the key lookup joined."""
    employee = api_key.employee
    if employee.status_on(Tenant.of(api_key).today()) == EmployeeStatus.ACTIVE:
        return ""
    return (
        f"This API key acts as {employee.pk}, who was offboarded on {employee.end_date.isoformat()}; "
        "the key no longer works."
    )
