"""The one write path for kudos, used by the API and the admin: check the rules, save, and
record kudos.awarded in one transaction."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from employees.models import Employee
from employees.selectors import employee_named_in
from pulsehr.tenancy.context import Actor, Tenant
from pulsehr.tenancy.models import Workspace
from webhooks.outbox import event_record

from .errors import KudosAllowanceExceeded, KudosToSelf
from .models import Kudos
from .representations import kudos_as_dict
from .selectors import kudos_coins_given, kudos_month_window


def _allowance_message(*, left: int, allowance: int, renews_on) -> str:
    if left <= 0:
        figure = "No coins left"
    else:
        figure = f"Only {left} coin{'' if left == 1 else 's'} left"
    return f"{figure} this month (allowance {allowance}). It renews on {renews_on.isoformat()}."


def kudos_check_rules(
    *, tenant: Tenant, from_employee_id: str, to_employee_id: str, coins: int, at: datetime | None = None
) -> None:
    """The semantic rules, shared by kudos_award and the admin's form validation: two different,
    active people of this workspace environment, and coins within what the giver has left of
    this month's allowance. Race-free only under kudos_award's lock on the giver."""
    if from_employee_id == to_employee_id:
        raise KudosToSelf()
    employee_named_in(tenant=tenant, employee_id=from_employee_id, field="from_employee_id", must_be_active=True)
    employee_named_in(tenant=tenant, employee_id=to_employee_id, field="to_employee_id", must_be_active=True)
    window = kudos_month_window(tenant=tenant, at=at or timezone.now())
    # Read fresh: the workspace on the tenant may come from the 5-second API-key cache.
    allowance = Workspace.objects.values_list("kudos_monthly_allowance", flat=True).get(pk=tenant.workspace.pk)
    left = allowance - kudos_coins_given(tenant=tenant, giver_id=from_employee_id, window=window)
    if coins > left:
        raise KudosAllowanceExceeded(_allowance_message(left=left, allowance=allowance, renews_on=window.renews_on))


def kudos_award(
    *,
    tenant: Tenant,
    actor: Actor,
    to_employee_id: str,
    coins: int,
    from_employee_id: str | None = None,
    tag: str | None = None,
    note: str | None = "",
) -> Kudos:
    """Give kudos: the rules, the row and kudos.awarded, in one transaction. created_at is the
    instant the allowance was checked at, so the kudos counts in the month it was checked for.
    The giver defaults to the employee the actor acts as (a bound API key's), who may name no
    one else; any other actor names the giver."""
    from_employee_id = actor.acting_as(field="from_employee_id", requested=from_employee_id, doing="give kudos as")
    now = timezone.now()
    with transaction.atomic():
        # Lock the giver's row first, so two kudos from one person cannot both pass the allowance
        # check on PostgreSQL: the second waits here, then sums the first's coins. NO KEY UPDATE,
        # because inserting a kudos key-share-locks both people (the foreign keys), and a plain
        # FOR UPDATE would make A→B and B→A at once deadlock. (SQLite runs write transactions
        # one at a time already; select_for_update is a no-op there.)
        giver = tenant.scope(Employee.objects).select_for_update(no_key=True).filter(pk=from_employee_id)
        list(giver.values_list("pk"))
        kudos_check_rules(
            tenant=tenant, from_employee_id=from_employee_id, to_employee_id=to_employee_id, coins=coins, at=now
        )
        kudos = Kudos.objects.create(
            workspace=tenant.workspace,
            environment=tenant.environment,
            from_employee_id=from_employee_id,
            to_employee_id=to_employee_id,
            coins=coins,
            tag=tag or None,
            note=note or "",
            created_at=now,
        )
        event_record(tenant=tenant, type="kudos.awarded", data=kudos_as_dict(kudos), actor=actor)
    return kudos
