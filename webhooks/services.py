from django.db import transaction

from pulsehr.tenancy.context import Actor, Tenant

from .catalogue import is_known
from .models import Event


def event_record(*, tenant: Tenant, type: str, data: dict, actor: Actor) -> Event:
    """Record an event. Must run inside the transaction of the change it describes, so that
    a rolled-back change leaves no event and a committed one always has its event."""
    if not is_known(type):
        raise ValueError(f"Event type {type!r} is not in the catalogue.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must run inside the transaction of the change it records.")
    return Event.objects.create(
        workspace=tenant.workspace, environment=tenant.environment, type=type, data=data, actor=str(actor)
    )
