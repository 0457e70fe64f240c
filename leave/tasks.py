from celery import shared_task

from . import services


@shared_task
def run_leave_ledger() -> int:
    """Beat runs this hourly: grants, accruals, carry-over and expiry that have fallen due (in each
    workspace's own time zone) are written once; a run that is late, repeated or follows missed
    days writes exactly what is missing."""
    return services.ledger_run()
