"""Celery tasks: thin, they take ids and call the delivery machinery.

Each task starts with close_old_connections(), as a Django request does: a worker thread
keeps its database connection across tasks (CELERY_DB_REUSE_MAX) up to CONN_MAX_AGE and
drops it when unusable, instead of opening a new one for every delivery."""

from celery import shared_task
from django.db import close_old_connections, connection

from . import delivery


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
    return delivery.deliveries_sweep()
