"""Every failure the SDK raises is a PulseError. An error the API answered is an APIError, with one
subclass per error code of the envelope; no answer at all (after every retry) is an
APIConnectionError. The same classes as the TypeScript SDK's, and the kinds the Go SDK's
`pulse.Is…` helpers test."""

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


class APIError(PulseError):
    """An error response of the API: the base of the classes below, and the class of any other status."""


class InvalidRequestError(APIError):
    """400: the payload or a parameter failed validation; `fields` names them."""

    code = "invalid_request"


class AuthenticationError(APIError):
    """401: missing, malformed or revoked API key."""

    code = "unauthenticated"


class PermissionDeniedError(APIError):
    """403: the key's scopes do not allow this operation."""

    code = "permission_denied"


class NotFoundError(APIError):
    """404: unknown id, or one outside the key's workspace and environment."""

    code = "not_found"


class MethodNotAllowedError(APIError):
    """405: the path does not take this method."""

    code = "method_not_allowed"


class ConflictError(APIError):
    """409: stale If-Match, or an Idempotency-Key reused for another request or still in flight."""

    code = "conflict"


class PayloadTooLargeError(APIError):
    """413: the body is larger than the server accepts (PULSEHR_MAX_BODY_BYTES, 1 MiB by default)."""

    code = "payload_too_large"


class UnsupportedMediaTypeError(APIError):
    """415: the body was not sent as application/json."""

    code = "unsupported_media_type"


class UnprocessableEntityError(APIError):
    """422: well-formed but semantically invalid (end_date before start_date, …)."""

    code = "unprocessable_entity"


class RateLimitedError(APIError):
    """429 after every retry; `retry_after` is the server's Retry-After in seconds."""

    code = "rate_limited"

    @property
    def retry_after(self) -> float | None:
        """The server's Retry-After, in seconds."""
        return _seconds(self.headers.get("Retry-After"))


class InternalError(APIError):
    """5xx after every retry."""

    code = "internal_error"


#: The same class as RateLimitedError, under the name other SDKs use.
RateLimitError = RateLimitedError


ERRORS_BY_CODE: dict[str, type[APIError]] = {
    cls.code: cls
    for cls in (
        InvalidRequestError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        MethodNotAllowedError,
        ConflictError,
        PayloadTooLargeError,
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
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable_entity",
    429: "rate_limited",
}


def error_from_response(response: httpx.Response) -> APIError:
    """The APIError subclass for an error response, from its envelope when it has one."""
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
    cls = ERRORS_BY_CODE.get(code) or (InternalError if response.status_code >= 500 else APIError)
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
