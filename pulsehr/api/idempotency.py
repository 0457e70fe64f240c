"""Idempotency-Key on POST: a repeat replays the first response and writes nothing; the
same key with a different request, or while the first is still running, is a conflict.

The claim commits on its own, so a concurrent repeat sees it (409, in flight). The write and
the response stored for replay then commit together (see PulseAPIView): a request that dies
half-way leaves nothing but its claim, which the next retry takes over once the lease ends,
and a request that outlives its lease, and so lost it, rolls its write back."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone

from pulsehr.errors import Conflict, InvalidInput
from pulsehr.tenancy.models import ApiKey

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
# Response headers worth replaying; request ids and rate-limit figures belong to the new request.
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b"\0" + path.encode() + b"\0" + body).hexdigest()


def validate_key(raw: str) -> str:
    if not 1 <= len(raw) <= 255 or not raw.isprintable():
        raise InvalidInput("Idempotency-Key must be 1–255 printable characters.", fields=[HEADER])
    return raw


def _owner(principal) -> dict:
    """Keys are per API key; a room token principal has no key row, so its keys are per its
    `pk` (workspace, environment, room and user)."""
    if isinstance(principal, ApiKey):
        return {"api_key": principal}
    return {"api_key": None, "principal": principal.pk}


def claim(*, api_key, key: str, request_fingerprint: str) -> tuple[IdempotencyRecord | None, HttpResponse | None]:
    """Returns (record to complete, None) for a first request, or (None, response) to replay.
    `api_key` is the request's principal: an ApiKey, or a room token's principal."""
    owner = _owner(api_key)
    now = timezone.now()
    lease = now + timedelta(seconds=settings.PULSEHR_IDEMPOTENCY_LEASE_SECONDS)
    for _ in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    **owner, key=key, fingerprint=request_fingerprint, created_at=now, lease_expires_at=lease
                )
            return record, None
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(**owner, key=key).first()
        if existing is None:
            continue  # released between our insert and our read: try again
        if existing.created_at < now - timedelta(seconds=settings.PULSEHR_IDEMPOTENCY_TTL_SECONDS):
            existing.delete()
            continue
        if existing.fingerprint != request_fingerprint:
            raise Conflict(f"{HEADER} '{key}' was already used with a different request.", fields=[HEADER])
        if existing.status == IdempotencyRecord.Status.COMPLETED:
            return None, _replay(existing)
        # Still processing. A lease that ran out means its request died: take it over atomically.
        taken = IdempotencyRecord.objects.filter(
            pk=existing.pk, status=IdempotencyRecord.Status.PROCESSING, lease_expires_at__lt=now
        ).update(lease_expires_at=lease)
        if taken:
            existing.lease_expires_at = lease
            return existing, None
        raise Conflict(f"A request with {HEADER} '{key}' is still in progress.", fields=[HEADER])
    raise Conflict(f"{HEADER} '{key}' is contended; retry.", fields=[HEADER])


def _owned(record: IdempotencyRecord):
    """The claim, as long as this request still holds its lease."""
    return IdempotencyRecord.objects.filter(
        pk=record.pk, status=IdempotencyRecord.Status.PROCESSING, lease_expires_at=record.lease_expires_at
    )


def complete(record: IdempotencyRecord, response) -> None:
    """Store the response for replay. Server errors are not stored, so the client may retry.
    Raises Conflict when another request took the claim over meanwhile: the caller's
    transaction must then roll its write back."""
    if response.status_code >= 500:
        release(record)
        return
    stored = _owned(record).update(
        status=IdempotencyRecord.Status.COMPLETED,
        response_status=response.status_code,
        response_headers={name: response[name] for name in REPLAYED_HEADERS if name in response},
        response_body=bytes(response.content),
    )
    if not stored:
        raise Conflict(
            f"This request outlived its {HEADER} lease and another took it over; nothing was written.",
            fields=[HEADER],
        )


def release(record: IdempotencyRecord) -> None:
    _owned(record).delete()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body or b""), status=record.response_status)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def purge_expired() -> int:
    cutoff = timezone.now() - timedelta(seconds=settings.PULSEHR_IDEMPOTENCY_TTL_SECONDS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
