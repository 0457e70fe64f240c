"""The beat sweep and the dispatch after commit: due deliveries that nobody holds are queued
once (the broker is replaced by a recorder here; the live tests use a real one), and a
broker that is down loses nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from webhooks.delivery import REQUEUE_AFTER_SECONDS
from webhooks.models import Delivery
from webhooks.tasks import DISPATCH_BATCH, deliver, deliver_batch, deliveries_dispatch, deliveries_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(make_endpoint, make_delivery):
    """Make `n` deliveries in the given state (written straight to the rows)."""
    endpoint = make_endpoint()

    def make(n=1, **state):
        made = [make_delivery(endpoint) for _ in range(n)]
        Delivery.objects.filter(pk__in=[d.pk for d in made]).update(**state)
        return [d.pk for d in made]

    return make


def ago(seconds):
    return timezone.now() - timedelta(seconds=seconds)


def test_the_sweep_queues_due_unleased_unqueued_deliveries_and_marks_them_queued(deliveries, queued):
    due = deliveries(3, next_attempt_at=ago(5), enqueued_at=None)
    assert deliveries_sweep() == 3
    assert sorted(queued) == sorted((deliver.name, pk) for pk in due)
    for delivery in Delivery.objects.all():
        assert abs(delivery.enqueued_at - timezone.now()) < timedelta(seconds=10)


def test_the_sweep_requeues_a_delivery_whose_message_was_lost_long_enough_ago(deliveries, queued):
    lost = deliveries(next_attempt_at=ago(REQUEUE_AFTER_SECONDS + 30), enqueued_at=ago(REQUEUE_AFTER_SECONDS + 1))
    assert deliveries_sweep() == 1
    assert queued == [(deliver.name, lost[0])]


def test_the_sweep_queues_a_delivery_whose_lease_expired(deliveries, queued):
    stuck = deliveries(next_attempt_at=ago(60), leased_until=ago(1), attempt_count=1, enqueued_at=None)
    assert deliveries_sweep() == 1
    assert queued == [(deliver.name, stuck[0])]


def test_the_sweep_skips_deliveries_not_due_leased_recently_queued_or_finished(deliveries, queued):
    soon = timezone.now() + timedelta(minutes=1)
    deliveries(next_attempt_at=soon, enqueued_at=None)
    deliveries(next_attempt_at=None, enqueued_at=None)
    deliveries(next_attempt_at=ago(5), leased_until=soon, attempt_count=1, enqueued_at=None)
    deliveries(next_attempt_at=ago(5), enqueued_at=ago(5))
    deliveries(next_attempt_at=ago(5), enqueued_at=None, status="succeeded")
    deliveries(next_attempt_at=ago(5), enqueued_at=None, status="failed")
    assert deliveries_sweep() == 0
    assert queued == []


def test_fresh_deliveries_are_left_to_the_dispatch_after_commit(make_endpoint, make_delivery, queued):
    make_delivery(make_endpoint())
    assert deliveries_sweep() == 0
    assert queued == []


def test_a_second_sweep_does_not_queue_the_same_deliveries_again(deliveries, queued):
    deliveries(2, next_attempt_at=ago(5), enqueued_at=None)
    assert deliveries_sweep() == 2
    assert deliveries_sweep() == 0
    assert len(queued) == 2


def test_the_sweep_queues_the_longest_due_first_up_to_its_limit(deliveries, queued):
    later = deliveries(next_attempt_at=ago(5), enqueued_at=None)
    earliest = deliveries(next_attempt_at=ago(50), enqueued_at=None)
    assert deliveries_sweep(limit=1) == 1
    assert queued == [(deliver.name, earliest[0])]
    assert deliveries_sweep(limit=1) == 1
    assert queued[1] == (deliver.name, later[0])


def test_the_sweep_task_runs_the_sweep(deliveries, queued):
    from webhooks.tasks import sweep_deliveries

    deliveries(next_attempt_at=ago(5), enqueued_at=None)
    assert sweep_deliveries() == 1
    assert len(queued) == 1


def test_a_broker_that_is_down_loses_nothing_the_rows_wait_for_the_next_sweep(deliveries, monkeypatch):
    ids = deliveries(2, next_attempt_at=ago(5), enqueued_at=timezone.now())

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(deliver, "apply_async", broker_down)
    deliveries_dispatch(ids)  # no exception
    assert list(Delivery.objects.values_list("enqueued_at", flat=True)) == [None, None]

    # The sweep's own dispatch failing leaves them for the next sweep too.
    assert deliveries_sweep() == 2
    assert list(Delivery.objects.values_list("enqueued_at", flat=True)) == [None, None]


def test_dispatch_does_not_unmark_a_delivery_that_already_finished(deliveries, monkeypatch):
    done = deliveries(status="succeeded", next_attempt_at=None, enqueued_at=None)
    pending = deliveries(next_attempt_at=ago(5), enqueued_at=timezone.now())
    monkeypatch.setattr(deliver, "apply_async", lambda *a, **k: 1 / 0)
    deliveries_dispatch(done + pending)
    assert Delivery.objects.get(pk=pending[0]).enqueued_at is None
    assert Delivery.objects.get(pk=done[0]).status == "succeeded"


def test_the_deliver_task_makes_an_attempt(receiver, make_endpoint, make_delivery):
    delivery = make_delivery(make_endpoint(url=receiver.url("/ok")))
    deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "succeeded"
    assert len(receiver.received("/ok")) == 1


def test_a_large_dispatch_travels_in_batches_and_a_small_one_one_per_message(deliveries, queued):
    few = deliveries(2, next_attempt_at=ago(5))
    deliveries_dispatch(few)
    assert queued == [(deliver.name, few[0]), (deliver.name, few[1])]
    queued.clear()
    many = [f"del_{n}" for n in range(DISPATCH_BATCH * 2 + 1)]
    deliveries_dispatch(many)
    assert [name for name, _ in queued] == [deliver_batch.name] * 3
    assert [ids for _, ids in queued] == [many[:DISPATCH_BATCH], many[DISPATCH_BATCH : 2 * DISPATCH_BATCH], many[-1:]]


def test_a_batch_is_claimed_together_and_each_due_delivery_in_it_is_sent_once(receiver, make_endpoint, make_delivery):
    from webhooks.delivery import deliveries_attempt

    endpoint = make_endpoint(url=receiver.url("/ok"))
    due = [make_delivery(endpoint).pk for _ in range(3)]
    held = make_delivery(endpoint).pk
    Delivery.objects.filter(pk=held).update(leased_until=timezone.now() + timedelta(seconds=60))
    attempts = deliveries_attempt([*due, held, *due])
    assert sorted(attempt.delivery_id for attempt in attempts) == sorted(due)
    assert sorted(r.headers["x-pulse-delivery"] for r in receiver.received()) == sorted(due)
    assert set(Delivery.objects.filter(pk__in=due).values_list("status", flat=True)) == {"succeeded"}
    assert Delivery.objects.get(pk=held).status == "pending"
