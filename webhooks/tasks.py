"""The broker's side of delivery: the Celery tasks, and the one place that queues them.

The tasks are thin: they take ids and call the delivery machinery (delivery.py). Each starts
with close_old_connections(), as a Django request does: a worker thread keeps its database
connection across tasks (CELERY_DB_REUSE_MAX) up to CONN_MAX_AGE and drops it when unusable,
instead of opening a new one for every delivery.

Messages are published without Celery's retries (retry=False): when the broker is down the
rows are marked unqueued at once and the next sweep sends them, rather than holding up the
request that committed them."""

import logging

from celery import shared_task
from django.db import close_old_connections, connection

from . import delivery

logger = logging.getLogger("pulsehr.webhooks")

# Many deliveries at once (a sweep after an outage, a replay, a big fan-out) travel in
# messages of up to DISPATCH_BATCH ids, claimed together and sent one after another by one
# worker thread: a message and a claim per batch instead of per delivery. A handful (the usual
# fan-out of one change) still go one per message, so each can go out on a thread of its own at once.
DISPATCH_BATCH = 20


def _fresh_connection() -> None:
    if not connection.in_atomic_block:  # a task called inside a transaction (a test) keeps it
        close_old_connections()


@shared_task(name="webhooks.tasks.deliver", ignore_result=True)
def deliver(delivery_id: str) -> None:
    _fresh_connection()
    delivery.delivery_attempt(delivery_id)


@shared_task(name="webhooks.tasks.deliver_batch", ignore_result=True)
def deliver_batch(delivery_ids: list[str]) -> None:
    _fresh_connection()
    delivery.deliveries_attempt(delivery_ids)


@shared_task(name="webhooks.tasks.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> int:
    _fresh_connection()
    return deliveries_sweep()


def deliveries_dispatch(delivery_ids: list[str]) -> None:
    """Queue the next attempt of these deliveries (after the transaction that made them
    commits, or from the sweep). A broker that is down loses nothing: the rows are marked
    unqueued for the next sweep."""
    try:
        if len(delivery_ids) <= DISPATCH_BATCH:
            for delivery_id in delivery_ids:
                deliver.apply_async(args=[delivery_id], retry=False)
        else:
            for start in range(0, len(delivery_ids), DISPATCH_BATCH):
                deliver_batch.apply_async(args=[delivery_ids[start : start + DISPATCH_BATCH]], retry=False)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep is the safety net
        logger.warning("Could not queue %d webhook deliveries; the sweep will send them.", len(delivery_ids))
        delivery.deliveries_mark_unqueued(delivery_ids)


def deliveries_sweep(*, limit: int = delivery.SWEEP_BATCH) -> int:
    """Queue the due deliveries nobody holds (see delivery.deliveries_due_marked_queued);
    returns how many."""
    delivery_ids = delivery.deliveries_due_marked_queued(limit=limit)
    if delivery_ids:
        deliveries_dispatch(delivery_ids)
    return len(delivery_ids)
