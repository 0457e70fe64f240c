"""Verify PulseHR webhook deliveries.

    event = pulsehr_sdk.webhooks.verify(request.body, request.headers, secret)
    if isinstance(event, EmployeeCreatedEvent):
        print(event.data.full_name)  # data is typed per event type

`verify` takes the request's headers (any mapping, names in any case) and checks
`X-Pulse-Signature` when present, else the Standard Webhooks headers; or the X-Pulse-Signature
value alone.

`X-Pulse-Signature: t=<unix>,v1=<hex>[,v1=<hex>]` holds HMAC-SHA256, keyed with the endpoint's
whole secret string (`whsec_…`), over `"<t>.<raw body>"`. After a rotation the old and the new
secret both sign for 24 hours, so the header carries two `v1` values: one match is enough."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Iterable
from typing import Any, Protocol

from .models import WebhookEvent, event_from_dict

SIGNATURE_HEADER = "X-Pulse-Signature"
DEFAULT_TOLERANCE = 300


class Headers(Protocol):
    """Request headers: a dict, Django's `request.headers`, http.server's `self.headers`, httpx's,
    anything with `items()`; names in any case."""

    def items(self) -> Iterable[tuple[str, Any]]: ...


class WebhookVerificationError(ValueError):
    """The delivery is not authentic or not fresh: answer it with 400 and do not act on it."""


def verify(
    payload: bytes | str,
    headers: Headers | str | None,
    secret: str,
    tolerance: int | None = DEFAULT_TOLERANCE,
) -> WebhookEvent:
    """The event of a delivery whose signature matches `secret` and whose timestamp is within
    `tolerance` seconds of now (None skips that check), typed by its type
    (`EmployeeCreatedEvent`, …); WebhookVerificationError otherwise.

    `headers` is the request's headers, or the X-Pulse-Signature value alone. Pass the raw
    request body exactly as received: a re-serialized JSON body will not match."""
    if headers is not None and not isinstance(headers, str):
        lowered = {name.lower(): str(value) for name, value in headers.items()}
        if not lowered.get(SIGNATURE_HEADER.lower()) and lowered.get("webhook-signature"):
            return verify_standard(payload, headers, secret, tolerance)
        headers = lowered.get(SIGNATURE_HEADER.lower())
    return _verify_pulse(payload, headers, secret, tolerance)


def construct_event(
    payload: bytes | str,
    headers: Headers | str | None,
    secret: str,
    tolerance: int | None = DEFAULT_TOLERANCE,
) -> WebhookEvent:
    """`verify` under Stripe's name: the verified delivery's event."""
    return verify(payload, headers, secret, tolerance)


def _verify_pulse(
    payload: bytes | str, signature_header: str | None, secret: str, tolerance: int | None
) -> WebhookEvent:
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    timestamp, signatures = _parse(signature_header)
    if tolerance is not None and abs(time.time() - timestamp) > tolerance:
        raise WebhookVerificationError(f"The signature's timestamp is more than {tolerance} s from now.")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    # Compare with every v1 value, each in constant time, and without stopping at the first match.
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    if not any(matches):
        raise WebhookVerificationError("No v1 signature matches the payload and secret.")
    return _event(body)


def _event(body: bytes) -> WebhookEvent:
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise WebhookVerificationError("The payload is not JSON.") from exc
    if not isinstance(data, dict):
        raise WebhookVerificationError("The payload is not a JSON object.")
    return event_from_dict(data)


def verify_standard(
    payload: bytes | str, headers: Headers, secret: str, tolerance: int | None = DEFAULT_TOLERANCE
) -> WebhookEvent:
    """`verify` for the Standard Webhooks headers PulseHR also sends (`webhook-id`, `webhook-timestamp`,
    `webhook-signature: v1,<base64>`), keyed with the base64-decoded bytes after `whsec_`."""
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    lowered = {name.lower(): str(value) for name, value in headers.items()}
    message_id, stamp, header = (lowered.get(n) for n in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    if not (message_id and stamp and header):
        raise WebhookVerificationError("No webhook-id, webhook-timestamp and webhook-signature headers.")
    if not stamp.isdigit():
        raise WebhookVerificationError("webhook-timestamp is not a Unix time.")
    timestamp = int(stamp)
    if tolerance is not None and abs(time.time() - timestamp) > tolerance:
        raise WebhookVerificationError(f"The signature's timestamp is more than {tolerance} s from now.")
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error as exc:
        raise WebhookVerificationError("The secret is not whsec_ followed by base64.") from exc
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    candidates = [value for version, _, value in (item.partition(",") for item in header.split()) if version == "v1"]
    if not any([hmac.compare_digest(expected, candidate) for candidate in candidates]):
        raise WebhookVerificationError("No v1 signature matches the payload and secret.")
    return _event(body)


def sign(payload: bytes | str, secret: str, timestamp: int | None = None) -> str:
    """An X-Pulse-Signature value, as PulseHR makes it: for tests of your own webhook handlers."""
    body = payload.encode() if isinstance(payload, str) else bytes(payload)
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def _parse(header: str | None) -> tuple[int, list[str]]:
    if not header:
        raise WebhookVerificationError(f"No {SIGNATURE_HEADER} header.")
    timestamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        raise WebhookVerificationError(f"{SIGNATURE_HEADER} has no valid timestamp (t=…).")
    if not signatures:
        raise WebhookVerificationError(f"{SIGNATURE_HEADER} has no v1 signature.")
    return int(timestamps[0]), signatures
