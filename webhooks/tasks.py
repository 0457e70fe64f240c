"""Celery tasks: thin, they take ids and call the delivery machinery."""

from celery import shared_task

from . import delivery


@shared_task(name="webhooks.tasks.deliver", ignore_result=True)
def deliver(delivery_id: str) -> None:
    delivery.delivery_attempt(delivery_id)


@shared_task(name="webhooks.tasks.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> int:
    return delivery.deliveries_sweep()
