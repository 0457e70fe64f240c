"""The one write path for employees, used by the API, the admin and management commands.
Each function checks the rules, saves, and records its event in one transaction."""

from collections.abc import Callable
from datetime import date
from functools import partial

from django.db import IntegrityError, transaction

from pulsehr.locking import locked_at_version
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace
from pulsehr.tenancy.selectors import forget_cached_keys_acting_as
from webhooks.outbox import event_record

from .choices import EmployeeStatus
from .errors import EmailTaken, EndBeforeStart, InvalidManager, NotStartedYet, UnknownEmployee
from .models import Employee
from .representations import employee_as_dict

EDITABLE_FIELDS = (
    "full_name",
    "email",
    "role",
    "department",
    "location",
    "manager_id",
    "start_date",
    "end_date",
    "custom_fields",
)
# Guards the manager walk against a corrupted chain; real org charts are far shallower.
MAX_MANAGER_DEPTH = 1000

# What features above this app do when someone stops being an active employee (collab closes
# their room sockets). Employees sits below the features and may not import them, so they
# register here from their AppConfig.ready, NetBox-registry style; a hook runs after commit
# as `hook(tenant=…, employee_id=…)`. A plain call rather than a signal: the data flow stays
# visible here, and a rolled-back write calls nothing.
OFFBOARDING_HOOKS: list[Callable[..., None]] = []


def employee_offboarding_hook_register(hook: Callable[..., None]) -> None:
    if hook not in OFFBOARDING_HOOKS:
        OFFBOARDING_HOOKS.append(hook)


# The person's fields that features above keep copies of (leave keeps them for who's out), and
# what they do when one changes: `hook(tenant=…, employee=…)`, inside the update's transaction,
# so the change and the copies commit together or not at all.
PROFILE_FIELDS = ("full_name", "department", "location")
PROFILE_HOOKS: list[Callable[..., None]] = []


def employee_profile_hook_register(hook: Callable[..., None]) -> None:
    if hook not in PROFILE_HOOKS:
        PROFILE_HOOKS.append(hook)


def _after_offboarding(tenant: Tenant, employee: Employee) -> None:
    # The keys that act as them stop working (pulsehr/api/authentication.py); this process
    # forgets the copies it reuses, so its next request with one sees the offboarding.
    transaction.on_commit(partial(forget_cached_keys_acting_as, employee.pk), robust=True)
    # robust: the offboarding has committed, so a failing hook is logged rather than a 500.
    for hook in OFFBOARDING_HOOKS:
        transaction.on_commit(partial(hook, tenant=tenant, employee_id=employee.pk), robust=True)


def _normalise_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def employee_check_rules(*, employee: Employee, tenant: Tenant) -> None:
    """The semantic rules, shared by the services and the admin's form validation."""
    if employee.end_date is not None and employee.start_date is not None and employee.end_date < employee.start_date:
        raise EndBeforeStart()
    if employee.manager_id is not None:
        _check_manager(employee, tenant)
    if employee.email:
        clash = tenant.scope(Employee.objects).filter(email=employee.email).exclude(pk=employee.pk).exists()
        if clash:
            raise EmailTaken(employee.email)


def _check_manager(employee: Employee, tenant: Tenant) -> None:
    if employee.manager_id == employee.pk:
        raise InvalidManager("An employee cannot be their own manager.")
    managers = tenant.scope(Employee.objects)
    current = managers.filter(pk=employee.manager_id).values_list("manager_id", flat=True)
    if not current.exists():
        raise UnknownEmployee(
            f"manager_id {employee.manager_id} is not an employee of this workspace.", fields=["manager_id"]
        )
    # Walk up from the new manager: meeting the employee on the way means a cycle.
    next_up = current.first()
    for _ in range(MAX_MANAGER_DEPTH):
        if next_up is None:
            return
        if next_up == employee.pk:
            raise InvalidManager("This manager would create a reporting cycle.")
        next_up = managers.filter(pk=next_up).values_list("manager_id", flat=True).first()
    raise InvalidManager("The reporting chain is too deep.")


def _save(employee: Employee, tenant: Tenant) -> None:
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError as exc:
        # Two writers racing past the email check meet the unique constraint here.
        email_taken = tenant.scope(Employee.objects).filter(email=employee.email).exclude(pk=employee.pk).exists()
        if employee.email and email_taken:
            raise EmailTaken(employee.email) from exc
        raise


def employee_create(
    *,
    tenant: Tenant,
    actor: Actor,
    full_name: str,
    start_date: date,
    email: str | None = None,
    role: str = "",
    department: str = "",
    location: str = "",
    manager_id: str | None = None,
    end_date: date | None = None,
    custom_fields: dict | None = None,
) -> Employee:
    employee = Employee(
        workspace=tenant.workspace,
        environment=tenant.environment,
        full_name=full_name.strip(),
        email=_normalise_email(email),
        role=role,
        department=department,
        location=location,
        manager_id=manager_id,
        start_date=start_date,
        end_date=end_date,
        custom_fields=custom_fields or {},
    )
    with transaction.atomic():
        employee_check_rules(employee=employee, tenant=tenant)
        _save(employee, tenant)
        event_record(
            tenant=tenant, type="employee.created", data=employee_as_dict(employee, tenant.today()), actor=actor
        )
    return employee


def employee_update(
    *, tenant: Tenant, employee: Employee, actor: Actor, expected_version: int | None = None, **changes
) -> Employee:
    """Apply a partial update. A no-op update changes nothing and records nothing."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    if "email" in changes:
        changes["email"] = _normalise_email(changes["email"])
    if "full_name" in changes:
        changes["full_name"] = changes["full_name"].strip()
    if "custom_fields" in changes:
        changes["custom_fields"] = changes["custom_fields"] or {}
    with transaction.atomic():
        if "manager_id" in changes:
            # Two concurrent re-parentings (A under B, B under A) would each pass the cycle
            # check on the committed chain; one lock per workspace makes them take turns.
            Workspace.objects.select_for_update(no_key=True).filter(pk=tenant.workspace.pk).first()
        locked = locked_at_version(tenant.scope(Employee.objects), employee.pk, expected_version)
        changed = [field for field, value in changes.items() if getattr(locked, field) != value]
        if not changed:
            return locked
        today = tenant.today()
        was_active = locked.status_on(today) == EmployeeStatus.ACTIVE
        for field in changed:
            setattr(locked, field, changes[field])
        employee_check_rules(employee=locked, tenant=tenant)
        locked.version += 1
        _save(locked, tenant)
        if any(field in PROFILE_FIELDS for field in changed):
            for hook in PROFILE_HOOKS:
                hook(tenant=tenant, employee=locked)
        event_record(tenant=tenant, type="employee.updated", data=employee_as_dict(locked, today), actor=actor)
        # An end date of today or earlier set by an edit (the admin's form) ends employment too.
        if was_active and locked.status_on(today) != EmployeeStatus.ACTIVE:
            _after_offboarding(tenant, locked)
    return locked


def employee_offboard(
    *, tenant: Tenant, employee: Employee, actor: Actor, expected_version: int | None = None
) -> Employee:
    """End employment today (or keep an end date already in the past). The record stays.
    Offboarding someone already former changes nothing and records nothing."""
    today = tenant.today()
    with transaction.atomic():
        locked = locked_at_version(tenant.scope(Employee.objects), employee.pk, expected_version)
        if locked.end_date is not None and locked.end_date <= today:
            return locked
        if locked.start_date > today:
            raise NotStartedYet(
                f"{locked.full_name} starts on {locked.start_date}; change start_date rather than offboarding "
                "someone who has not started.",
                fields=["start_date"],
            )
        locked.end_date = today
        locked.version += 1
        _save(locked, tenant)
        event_record(tenant=tenant, type="employee.offboarded", data=employee_as_dict(locked, today), actor=actor)
        _after_offboarding(tenant, locked)
    return locked
