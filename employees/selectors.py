from pulsehr.tenancy.context import Tenant

from .choices import EmployeeStatus
from .errors import EmployeeNotFound, FormerEmployee, UnknownEmployee
from .models import Employee


def employee_get(*, tenant: Tenant, employee_id: str) -> Employee:
    """An employee named in a URL: 404 when unknown or outside the tenant."""
    employee = tenant.scope(Employee.objects).filter(pk=employee_id).first()
    if employee is None:
        raise EmployeeNotFound(f"No employee {employee_id}.")
    return employee


def employee_named_in(*, tenant: Tenant, employee_id: str, field: str, must_be_active: bool = False) -> Employee:
    """An employee named in a request body: 422 naming the field when unknown, outside the
    tenant or (when asked) no longer active."""
    employee = tenant.scope(Employee.objects).filter(pk=employee_id).first()
    if employee is None:
        raise UnknownEmployee(f"{field} {employee_id} is not an employee of this workspace.", fields=[field])
    if must_be_active and employee.status_on(tenant.today()) != EmployeeStatus.ACTIVE:
        raise FormerEmployee(f"{employee.full_name} is a former employee.", fields=[field])
    return employee
