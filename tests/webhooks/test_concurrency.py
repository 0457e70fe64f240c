"""With real commits and threads: two workers handed the same delivery send it once, and
the sweep never hands out what a worker holds."""

import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from pulsehr.tenancy.context import SYSTEM, Tenant
from tests.factories import WorkspaceFactory
from tests.helpers import race
from webhooks import services
from webhooks.delivery import delivery_attempt
from webhooks.models import Delivery, DeliveryAttempt
from webhooks.tasks import deliveries_sweep

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def delivery_to(webhook_settings, queued):
    """A committed, due delivery to `url` (its after-commit dispatch goes to the recorder)."""

    def make(url):
        tenant = Tenant(WorkspaceFactory(), "live")
        endpoint = services.endpoint_create(tenant=tenant, url=url, enabled_events=["*"])
        return services.endpoint_send_test(tenant=tenant, endpoint=endpoint, actor=SYSTEM)

    return make


def test_two_workers_attempting_the_same_delivery_at_once_send_it_once(receiver, delivery_to, queued):
    delivery = delivery_to(receiver.url("/ok"))
    assert queued == [("webhooks.tasks.deliver", delivery.pk)], "dispatched once the test send committed"
    results = race([lambda: delivery_attempt(delivery.pk), lambda: delivery_attempt(delivery.pk)])
    assert sorted(r is None for r in results) == [False, True]
    assert len(receiver.received("/ok")) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("succeeded", 1)
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


def test_many_workers_racing_on_a_failing_delivery_make_one_attempt(receiver, delivery_to):
    receiver.answer("/fail", status=500)
    delivery = delivery_to(receiver.url("/fail"))
    results = race([lambda: delivery_attempt(delivery.pk) for _ in range(4)])
    assert sum(r is not None for r in results) == 1
    assert len(receiver.received("/fail")) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("pending", 1)


def test_the_sweep_does_not_hand_out_a_delivery_while_a_worker_is_sending_it(receiver, delivery_to, queued):
    receiver.answer("/slow", delay=0.5)
    delivery = delivery_to(receiver.url("/slow"))
    Delivery.objects.filter(pk=delivery.pk).update(enqueued_at=None)
    queued.clear()

    worker = threading.Thread(target=lambda: (delivery_attempt(delivery.pk), connection.close()))
    worker.start()
    deadline = time.monotonic() + 5
    while not receiver.received("/slow") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert receiver.received("/slow"), "the worker is sending"
    assert deliveries_sweep() == 0
    assert delivery_attempt(delivery.pk) is None
    worker.join()
    assert queued == []
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.completed_at <= timezone.now()
    assert len(receiver.received("/slow")) == 1
