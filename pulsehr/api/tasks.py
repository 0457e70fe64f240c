from celery import shared_task

from . import idempotency


@shared_task
def purge_idempotency_records() -> int:
    """Beat runs this hourly: idempotency keys are only promised for 24 hours."""
    return idempotency.purge_expired()
