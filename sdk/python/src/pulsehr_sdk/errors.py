"""Every failure the SDK raises is a PulseError; API errors get one subclass per error code."""

from __future__ import annotations

from typing import Any

import httpx


class PulseError(Exception):
    """An error answered by the API (or, for APIConnectionError, the lack of an answer).

    `code`, `message`, `fields` and `request_id` come from the error envelope
    `{"error": {"code", "message", "fields"?, "request_id"}}`; `status` is the HTTP status."""

    code: str = "error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: list[str] | None = None,
        request_id: str | None = None,
        status: int | None = None,
        headers: httpx.Headers | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields: list[str] = list(fields or [])
        self.request_id = request_id
        self.status = status
        self.headers = headers if headers is not None else httpx.Headers()
        self.body = body

    def __str__(self) -> str:
        parts = [f"{self.code}: {self.message}"]
        if self.fields:
            parts.append(f"fields={self.fields}")
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.request_id:
            parts.append(f"request_id={self.request_id}")
        return " ".join(parts)


class APIConnectionError(PulseError):
    """No response came (connection refused or reset, timeout), after every retry."""

    code = "connection_error"


class InvalidRequestError(PulseError):
    """400: the payload or a parameter failed validation; `fields` names them."""

    code = "invalid_request"


class AuthenticationError(PulseError):
    """401: missing, malformed or revoked API key."""

    code = "unauthenticated"


class PermissionDeniedError(PulseError):
    """403: the key's scopes do not allow this operation."""

    code = "permission_denied"


class NotFoundError(PulseError):
    """404: unknown id, or one outside the key's workspace and environment."""

    code = "not_found"


class MethodNotAllowedError(PulseError):
    code = "method_not_allowed"


class ConflictError(PulseError):
    """409: stale If-Match, or an Idempotency-Key reused for another request or still in flight."""

    code = "conflict"


class UnsupportedMediaTypeError(PulseError):
    code = "unsupported_media_type"


class UnprocessableEntityError(PulseError):
    """422: well-formed but semantically invalid (end_date before start_date, …)."""

    code = "unprocessable_entity"


class RateLimitedError(PulseError):
    """429 after every retry; `retry_after` is the server's Retry-After in seconds."""

    code = "rate_limited"

    @property
    def retry_after(self) -> float | None:
        return _seconds(self.headers.get("Retry-After"))


class InternalError(PulseError):
    """5xx after every retry."""

    code = "internal_error"


ERRORS_BY_CODE: dict[str, type[PulseError]] = {
    cls.code: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        MethodNotAllowedError,
        ConflictError,
        UnsupportedMediaTypeError,
        UnprocessableEntityError,
        RateLimitedError,
        InternalError,
    )
}
# For error responses without the envelope (a proxy's 502, say).
_CODES_BY_STATUS = {
    400: "invalid_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "rate_limited",
}


def error_from_response(response: httpx.Response) -> PulseError:
    """The PulseError subclass for an error response, from its envelope when it has one."""
    body: Any = None
    try:
        body = response.json()
    except ValueError:
        pass
    envelope = body.get("error") if isinstance(body, dict) else None
    if not isinstance(envelope, dict):
        envelope = {}
    code = (
        envelope.get("code")
        or _CODES_BY_STATUS.get(response.status_code)
        or ("internal_error" if response.status_code >= 500 else "error")
    )
    cls = ERRORS_BY_CODE.get(code, PulseError)
    return cls(
        envelope.get("message") or f"HTTP {response.status_code}",
        code=code,
        fields=envelope.get("fields"),
        request_id=envelope.get("request_id") or response.headers.get("X-Request-Id"),
        status=response.status_code,
        headers=response.headers,
        body=body,
    )


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
