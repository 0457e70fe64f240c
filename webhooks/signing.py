"""Webhook secrets and signatures.

Every send is signed twice over the same raw body, so that integrators can verify it with
the library they already have:

- `X-Pulse-Signature: t=<unix>,v1=<hex>`: Stripe's scheme, HMAC-SHA256 keyed with the
  whole secret string over "<t>.<body>" (Stripe's verifiers use the secret string as is);
- the Standard Webhooks headers (standardwebhooks.com): `webhook-id`, `webhook-timestamp`
  and `webhook-signature: v1,<base64>`, HMAC-SHA256 keyed with the base64-decoded bytes
  after `whsec_` over "<id>.<timestamp>.<body>".

During a rotation's overlap both secrets sign, giving two `v1` values in each header."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def pulse_signature(*, body: bytes, timestamp: int, secrets: list[str]) -> str:
    signed = f"{timestamp}.".encode() + body
    values = [hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in secrets]
    return ",".join([f"t={timestamp}", *(f"v1={value}" for value in values)])


def standard_signature(*, message_id: str, body: bytes, timestamp: int, secrets: list[str]) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    values = []
    for secret in secrets:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
        values.append("v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode())
    return " ".join(values)
