"""The one error shape: `{"error": {"code", "message", "fields"?, "request_id"}}`.

Every failure of the API, from a domain rule to an unhandled bug, leaves through here."""

import logging
import math
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from pulsehr import errors

logger = logging.getLogger("pulsehr.api")


@dataclass(frozen=True)
class ErrorKind:
    status: int
    code: str
    description: str  # for the OpenAPI document: when an integrator meets this status


# The one table of the API's errors: each status with its code and what it means. The domain
# errors map onto it by kind (DOMAIN_STATUS); the OpenAPI document's error responses are made
# from it (pulsehr/api/schema.py).
ERROR_KINDS: dict[int, ErrorKind] = {
    kind.status: kind
    for kind in [
        ErrorKind(400, "invalid_request", "the payload or a parameter failed validation; `fields` names them."),
        ErrorKind(
            401,
            "unauthenticated",
            "missing, malformed, unknown or revoked API key, or one that acts as an employee who was offboarded.",
        ),
        ErrorKind(
            403,
            "permission_denied",
            "the key's scopes do not allow this operation, the key acts as one employee and the request names "
            "another as the one acting, or the workspace's settings forbid it.",
        ),
        ErrorKind(404, "not_found", "unknown id, or one that belongs to another workspace or environment."),
        ErrorKind(405, "method_not_allowed", ""),
        ErrorKind(409, "conflict", "stale If-Match, or an Idempotency-Key reused or still in flight."),
        ErrorKind(
            413,
            "payload_too_large",
            "the body is larger than the server's PULSEHR_MAX_BODY_BYTES (1 MiB by default).",
        ),
        ErrorKind(415, "unsupported_media_type", "send application/json."),
        ErrorKind(422, "unprocessable_entity", "well-formed but breaks a rule; `fields` names them."),
        ErrorKind(429, "rate_limited", "wait for Retry-After seconds."),
        ErrorKind(500, "internal_error", "our bug; quote the request_id."),
    ]
}
CODES_BY_STATUS = {status: kind.code for status, kind in ERROR_KINDS.items()}

# Each kind of domain error, by the class every typed error of that kind derives from.
DOMAIN_STATUS: dict[type[errors.PulseError], int] = {
    errors.InvalidInput: 400,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.RuleViolation: 422,
}


def domain_status(exc: errors.PulseError) -> int:
    """The status of a domain error: that of the nearest kind it derives from (500 if none)."""
    for klass in type(exc).__mro__:
        if klass in DOMAIN_STATUS:
            return DOMAIN_STATUS[klass]
    return 500


class RateLimited(drf.APIException):
    status_code = 429
    default_detail = "Rate limit exceeded."

    def __init__(self, retry_after: int, limit: int, per: str = "key"):
        self.retry_after = retry_after
        what = "requests" if per == "key" else "unauthenticated requests per address"
        super().__init__(f"Rate limit of {limit} {what} per minute exceeded; retry in {retry_after} s.")


class PayloadTooLarge(drf.APIException):
    status_code = 413

    def __init__(self, limit: int):
        super().__init__(f"The request body is larger than {limit} bytes (PULSEHR_MAX_BODY_BYTES).")


def error_body(status: int, message: str, request_id: str, fields: list[str] | None = None, code: str | None = None):
    error = {"code": code or CODES_BY_STATUS.get(status, "internal_error"), "message": message}
    if fields:
        error["fields"] = fields
    error["request_id"] = request_id
    return {"error": error}


def error_json_response(request, status: int, message: str) -> JsonResponse:
    """For errors raised outside DRF views (unknown URLs, Django's 500 handler)."""
    return JsonResponse(error_body(status, message, getattr(request, "request_id", "")), status=status)


def flatten_validation_errors(detail, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error dict → [("address.city", "This field is required."), …]."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") else (f"{prefix}.{key}" if prefix else str(key))
            pairs.extend(flatten_validation_errors(value, name))
        return pairs
    if isinstance(detail, list):
        pairs = []
        for index, item in enumerate(detail):
            # Lists of messages stay on the field; lists of nested objects get an index.
            nested = isinstance(item, (dict, list))
            pairs.extend(flatten_validation_errors(item, f"{prefix}.{index}" if nested and prefix else prefix))
        return pairs
    return [(prefix, str(detail))]


def _validation_response(detail) -> tuple[str, list[str]]:
    pairs = flatten_validation_errors(detail)
    fields = list(dict.fromkeys(name for name, _ in pairs if name))
    message = "; ".join(f"{name}: {text}" if name else text for name, text in pairs) or "Invalid request."
    return message, fields


def exception_handler(exc, context):
    request = context["request"]
    request_id = getattr(request._request, "request_id", "")
    headers = {}
    fields: list[str] = []

    if isinstance(exc, errors.PulseError):
        status, message, fields = domain_status(exc), exc.message, exc.fields
    elif isinstance(exc, drf.ValidationError):
        status = 400
        message, fields = _validation_response(exc.detail)
    elif isinstance(exc, DjangoValidationError):
        status = 400
        message, fields = _validation_response(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, RequestDataTooBig):
        status, message = 413, "The request body is too large."
    elif isinstance(exc, drf.ParseError):
        status, message = 400, f"Malformed request body: {exc.detail}"
    elif isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        status = 401
        message = "Missing Bearer token." if isinstance(exc, drf.NotAuthenticated) else str(exc.detail)
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    elif isinstance(exc, (drf.PermissionDenied, DjangoPermissionDenied)):
        status, message = 403, str(getattr(exc, "detail", "")) or "Permission denied."
    elif isinstance(exc, (Http404, drf.NotFound)):
        status, message = 404, "Not found."
    elif isinstance(exc, drf.MethodNotAllowed):
        status, message = 405, f"Method {request.method} is not allowed here."
    elif isinstance(exc, drf.UnsupportedMediaType):
        status, message = 415, "Send the request body as application/json."
    elif isinstance(exc, RateLimited):
        status, message = 429, str(exc.detail)
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, drf.Throttled):
        status, message = 429, str(exc.detail)
        headers["Retry-After"] = str(math.ceil(exc.wait or 1))
    elif isinstance(exc, drf.APIException):
        status, message = exc.status_code, str(exc.detail)
    else:
        logger.exception("Unhandled error in %s %s (request %s)", request.method, request.path, request_id)
        status = 500
        message = f"An internal error occurred. Quote request id {request_id} when reporting it."

    return Response(error_body(status, message, request_id, fields), status=status, headers=headers)
