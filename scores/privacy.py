"""Who may see one person's Employee Score in the admin (README, "The Employee Score"):

- `hr_only` (the default): owners and HR staff of the workspace;
- `hr_and_manager_chain`: them, and a staff user who is one of the person's managers, directly
  or further up. A staff user is that manager when their email is the manager's email in this
  workspace environment (PulseHR links staff users to employees by nothing else);
- `nobody`: no one; group figures only.

Viewers (read-only members) see individual scores only as a manager in the chain."""

from employees.models import Employee
from pulsehr.tenancy.choices import MembershipRole, ScorePrivacy
from pulsehr.tenancy.context import Tenant

HR_ROLES = (MembershipRole.OWNER, MembershipRole.HR)
MAX_CHAIN = 50  # a reporting line longer than this is treated as a loop


def manager_chain_ids(*, tenant: Tenant, employee_id: str) -> list[str]:
    """The employee's managers, nearest first; stops at a loop."""
    chain: list[str] = []
    current = tenant.scope(Employee.objects).filter(pk=employee_id).values_list("manager_id", flat=True).first()
    while current and current not in chain and len(chain) < MAX_CHAIN:
        chain.append(current)
        current = tenant.scope(Employee.objects).filter(pk=current).values_list("manager_id", flat=True).first()
    return chain


def individual_score_visible(
    *, tenant: Tenant, privacy: str, role: str | None, user, employee_id: str
) -> tuple[bool, str]:
    """(whether this staff user may see the employee's score, the reason when not)."""
    if privacy == ScorePrivacy.NOBODY:
        return False, "This workspace shows nobody's individual score (privacy: nobody); see Team health for groups."
    if role in HR_ROLES:
        return True, ""
    if privacy == ScorePrivacy.HR_AND_MANAGER_CHAIN and user.email:
        managers = manager_chain_ids(tenant=tenant, employee_id=employee_id)
        is_manager = (
            tenant.scope(Employee.objects).filter(pk__in=managers, email__iexact=user.email).exists()
            if managers
            else False
        )
        if is_manager:
            return True, ""
        return False, "Only HR staff and this person's managers see their score."
    return False, "Only HR staff see individual scores in this workspace."
