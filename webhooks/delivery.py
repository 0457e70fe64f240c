"""Sending deliveries: the worker side of the outbox.

A delivery is due when `next_attempt_at` has passed. Whoever sends it first claims it by
setting a lease (`leased_until`) in a short transaction that locks the row (SKIP LOCKED on
PostgreSQL; SQLite's write transactions are serialised, which is the safe equivalent), so
many workers never send the same attempt at once. The HTTP call happens outside any
transaction; its outcome is then recorded with the next due time. A worker that dies
mid-send leaves its lease to expire, after which the sweep hands the delivery out again:
a delivery is never lost, only sent at least once.

The broker only ever carries "send delivery X now" (tasks.py publishes and runs those
messages): retries wait in the database, and beat sweeps due and stuck deliveries every few
seconds."""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from pulsehr.jsonvalues import dumps

from . import signing, transport
from .choices import DeliveryStatus
from .models import Delivery, DeliveryAttempt, WebhookEndpoint
from .representations import EVENT_FIELDS, event_as_dict

logger = logging.getLogger("pulsehr.webhooks")

# The sweep re-queues a delivery still unclaimed this long after it was queued (a lost
# message, or a broker that was down when it was first queued).
REQUEUE_AFTER_SECONDS = 60
SWEEP_BATCH = 1000
JITTER = 0.1


def deliveries_due_marked_queued(*, limit: int = SWEEP_BATCH) -> list[str]:
    """The sweep's pick: due deliveries nobody holds (new ones whose first message was lost,
    retries whose time has come, ones whose worker died mid-send: lease expired), longest due
    first, marked queued now so the next sweep leaves them alone. The caller queues them."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - timedelta(seconds=REQUEUE_AFTER_SECONDS)))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        delivery_ids = list(due)
        if delivery_ids:
            Delivery.objects.filter(pk__in=delivery_ids).update(enqueued_at=now)
    return delivery_ids


def deliveries_mark_unqueued(delivery_ids: list[str]) -> None:
    """Their message never reached the broker: the next sweep queues those still pending."""
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(enqueued_at=None)


def endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Disabled by the delivery machinery (a 410, or days of failures); shown with its reason."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, disabled=False).update(
        disabled=True,
        disabled_reason=reason[:500],
        disabled_at=timezone.now(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


def _lease_seconds() -> float:
    """A claim outlives the attempt's deadline by the margin before the delivery counts as stuck."""
    return settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS + settings.PULSEHR_WEBHOOK_LEASE_MARGIN_SECONDS


def _claim(delivery_ids: list[str]) -> list[Delivery]:
    """Take, for one attempt each, those of the deliveries that are due and that nobody
    holds, in one short transaction: one locking read (SKIP LOCKED: a row another worker is
    claiming is left to it) and one write for the leases. The lease covers sending them all,
    one after another, each within its deadline. Returns them in id order, attempt_count
    being the number of the attempt to make."""
    now = timezone.now()
    with transaction.atomic():
        deliveries = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint")
            # Loaded by each attempt instead, where a row that cannot be read fails its own
            # delivery rather than the claim of the whole batch.
            .defer("event__data")
            .filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
            .order_by("pk")
        )
        claimed = []
        for delivery in deliveries:
            if delivery.leased_until is not None:
                # The last claim's worker never came back: say so in the log of attempts.
                DeliveryAttempt.objects.create(
                    delivery=delivery,
                    number=delivery.attempt_count,
                    started_at=delivery.leased_until - timedelta(seconds=_lease_seconds()),
                    error="No outcome recorded: the worker holding this delivery stopped before recording "
                    "this attempt. It may or may not have been sent.",
                )
                if retries_exhausted(delivery, now):
                    # A delivery whose sends keep killing their worker must still end some time.
                    _finish(delivery, DeliveryStatus.FAILED, now, reason=_gave_up(delivery))
                    delivery.save()
                    continue
            if delivery.endpoint.disabled:
                reason = delivery.endpoint.disabled_reason or "no reason given"
                _finish(delivery, DeliveryStatus.FAILED, now, reason=f"Not sent: the endpoint is disabled ({reason}).")
                delivery.save()
                continue
            claimed.append(delivery)
        if not claimed:
            return []
        lease = now + timedelta(
            seconds=_lease_seconds() + (len(claimed) - 1) * settings.PULSEHR_WEBHOOK_TIMEOUT_SECONDS
        )
        # Their messages are consumed: should this worker die, the sweep hands them out again
        # as soon as the lease expires, not REQUEUE_AFTER_SECONDS after they were queued.
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in claimed]).update(
            attempt_count=F("attempt_count") + 1, leased_until=lease, enqueued_at=None
        )
        for delivery in claimed:
            delivery.attempt_count += 1
            delivery.leased_until, delivery.enqueued_at = lease, None
    return claimed


def delivery_attempt(delivery_id: str) -> DeliveryAttempt | None:
    """Make the next attempt of a delivery if it is due; record and schedule by its outcome."""
    attempts = deliveries_attempt([delivery_id])
    return attempts[0] if attempts else None


def deliveries_attempt(delivery_ids: list[str]) -> list[DeliveryAttempt]:
    """The next attempt of each of these deliveries that is due and free: claimed together,
    then sent and recorded one by one (each attempt is recorded as soon as it is made)."""
    attempts = [_attempt(delivery, delivery.attempt_count) for delivery in _claim(delivery_ids)]
    return [attempt for attempt in attempts if attempt is not None]


def _attempt(delivery: Delivery, number: int) -> DeliveryAttempt | None:
    endpoint, event = delivery.endpoint, delivery.event
    started_at = timezone.now()
    try:
        # Reads the event's data (deferred by the claim) and encodes it as the API would.
        body = dumps(event_as_dict({field: getattr(event, field) for field in EVENT_FIELDS}))
    except Exception as exc:  # noqa: BLE001 - any row that cannot be read or encoded
        logger.exception("Webhook %s: the payload of event %s cannot be built", delivery.pk, event.pk)
        return _record_unsendable(delivery, number, started_at, f"{type(exc).__name__}: {exc}"[:500])
    timestamp = int(started_at.timestamp())
    secrets = endpoint.signing_secrets(started_at)
    headers = {
        "Content-Type": "application/json",
        "X-Pulse-Event": event.type,
        "X-Pulse-Delivery": delivery.pk,
        "X-Pulse-Signature": signing.pulse_signature(body=body, timestamp=timestamp, secrets=secrets),
        "webhook-id": delivery.pk,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.standard_signature(
            message_id=delivery.pk, body=body, timestamp=timestamp, secrets=secrets
        ),
    }
    try:
        result = transport.post(endpoint.url, body, headers)
    except Exception as exc:  # noqa: BLE001 - a bug must cost an attempt, not leave the delivery leased
        logger.exception("Webhook %s attempt %d to endpoint %s failed unexpectedly", delivery.pk, number, endpoint.pk)
        result = transport.SendResult(status_code=None, duration_ms=0, error=f"Internal error: {type(exc).__name__}.")
    return _record(delivery, number, started_at, result)


def _record_unsendable(delivery: Delivery, number: int, started_at, problem: str) -> DeliveryAttempt | None:
    """A payload that cannot be built now never will be: the delivery fails at once, with the
    reason, instead of being retried. Nothing was sent, so the endpoint's record is untouched."""
    reason = f"Not sent: the event's payload could not be built ({problem})."
    claimed_lease = delivery.leased_until
    _finish(delivery, DeliveryStatus.FAILED, timezone.now(), reason=reason)
    result = transport.SendResult(status_code=None, duration_ms=0, error=reason)
    with transaction.atomic():
        return _save_outcome(delivery, number, started_at, result, claimed_lease)


RECORDED_FIELDS = (
    "status",
    "completed_at",
    "next_attempt_at",
    "leased_until",
    "enqueued_at",
    "failure_reason",
    "last_status_code",
)


def _record(delivery: Delivery, number: int, started_at, result: transport.SendResult) -> DeliveryAttempt | None:
    """Record the attempt and the delivery's next step. The lease makes this worker the only
    writer of the delivery's row until now, so its new state is worked out from the copy the
    claim read and written with one UPDATE, conditional on the lease still being this worker's."""
    now = timezone.now()
    endpoint = delivery.endpoint
    claimed_lease = delivery.leased_until
    with transaction.atomic():
        delivery.last_status_code = result.status_code
        if result.succeeded:
            _finish(delivery, DeliveryStatus.SUCCEEDED, now)
            if endpoint.failing_since is not None:  # as the claim read it: most endpoints are not failing
                WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
        elif result.status_code == 410:
            reason = f"The endpoint answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC, so it was disabled."
            _finish(delivery, DeliveryStatus.FAILED, now, reason=reason)
            endpoint_disable(endpoint=endpoint, reason=reason)
        else:
            _fail_attempt(delivery, endpoint, now, result)
        attempt = _save_outcome(delivery, number, started_at, result, claimed_lease)
        if attempt is None:
            return None
    logger.info(
        "Webhook %s attempt %d to endpoint %s (%s): %s in %d ms",
        delivery.pk,
        number,
        endpoint.pk,
        transport.loggable_url(endpoint.url),
        result.status_code or result.error,
        result.duration_ms,
    )
    return attempt


def _save_outcome(delivery: Delivery, number: int, started_at, result: transport.SendResult, claimed_lease):
    """Write the delivery's new state and the attempt, if this worker still holds the lease
    (inside the caller's transaction)."""
    updated = Delivery.objects.filter(pk=delivery.pk, leased_until=claimed_lease).update(
        **{field: getattr(delivery, field) for field in RECORDED_FIELDS}
    )
    if not updated:
        # Its endpoint was deleted while we were sending, or the send outlasted the lease
        # and another worker has taken the delivery over: its record stands, not ours.
        transaction.set_rollback(True)
        logger.warning("Webhook %s attempt %d: outcome not recorded (deleted or taken over).", delivery.pk, number)
        return None
    return DeliveryAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started_at,
        duration_ms=result.duration_ms,
        status_code=result.status_code,
        response_body=result.response_body,
        error=result.error,
        succeeded=result.succeeded,
    )


def _fail_attempt(delivery: Delivery, endpoint: WebhookEndpoint, now, result: transport.SendResult) -> None:
    next_at = next_attempt_time(delivery, now, retry_after=result.retry_after)
    if next_at is None:
        _finish(delivery, DeliveryStatus.FAILED, now, reason=_gave_up(delivery))
    else:
        delivery.next_attempt_at, delivery.leased_until, delivery.enqueued_at = next_at, None, None
    # The first failure of a streak starts it; a later one reads when it started.
    if WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now):
        failing_since = now
    else:
        failing_since = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("failing_since", flat=True).first()
    limit = timedelta(seconds=settings.PULSEHR_WEBHOOK_DISABLE_AFTER_SECONDS)
    if failing_since is not None and now - failing_since >= limit:
        endpoint_disable(
            endpoint=endpoint,
            reason=f"Every delivery attempt failed from {failing_since:%Y-%m-%d %H:%M} UTC for "
            f"{_duration(limit)}, so it was disabled.",
        )


def _finish(delivery: Delivery, status: str, now, reason: str = "") -> None:
    delivery.status = status
    delivery.completed_at = now
    delivery.next_attempt_at = delivery.leased_until = delivery.enqueued_at = None
    delivery.failure_reason = reason


def _duration(span: timedelta) -> str:
    seconds = span.total_seconds()
    if seconds >= 86400:
        return f"{seconds / 86400:g} days"
    return f"{seconds / 3600:g} hours" if seconds >= 3600 else f"{seconds:g} seconds"


def _gave_up(delivery: Delivery) -> str:
    return f"Gave up after {delivery.attempt_count} attempts."


def _retry_deadline(delivery: Delivery):
    return delivery.created_at + timedelta(seconds=settings.PULSEHR_WEBHOOK_RETRY_WINDOW_SECONDS)


def retries_exhausted(delivery: Delivery, now) -> bool:
    """No attempt follows the delivery's attempt_count-th: the schedule or the window is over."""
    return delivery.attempt_count > len(settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE) or now >= _retry_deadline(delivery)


def next_attempt_time(delivery: Delivery, now, retry_after: float | None = None):
    """When to try again after a failed attempt, or None to give up: the schedule's wait for
    this attempt (with jitter; a longer Retry-After is honoured up to the schedule's longest
    wait), never past the retry window, whose end gets one last attempt."""
    if retries_exhausted(delivery, now):
        return None
    schedule = settings.PULSEHR_WEBHOOK_RETRY_SCHEDULE
    wait = schedule[delivery.attempt_count - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    if retry_after is not None:
        wait = min(max(wait, retry_after), max(schedule))
    return min(now + timedelta(seconds=wait), _retry_deadline(delivery))
