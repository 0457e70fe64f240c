"""The Python SDK for the PulseHR REST API.

from pulsehr_sdk import Pulse

pulse = Pulse()  # PULSE_API_KEY, and PULSE_API_BASE for a self-hosted server
for employee in pulse.employees.list(status="active"):
    print(employee.full_name)
"""

from . import models, params, webhooks
from ._core import DEFAULT_BASE_URL, Response, __version__
from .client import AsyncPulse, Pulse
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConflictError,
    InternalError,
    InvalidRequestError,
    MethodNotAllowedError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PulseError,
    RateLimitedError,
    RateLimitError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from .pagination import AsyncListIterator, ListIterator, Page
from .webhooks import WebhookVerificationError

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APIError",
    "AsyncListIterator",
    "AsyncPulse",
    "AuthenticationError",
    "ConflictError",
    "InternalError",
    "InvalidRequestError",
    "ListIterator",
    "MethodNotAllowedError",
    "NotFoundError",
    "Page",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "Pulse",
    "PulseError",
    "RateLimitError",
    "RateLimitedError",
    "Response",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "WebhookVerificationError",
    "__version__",
    "models",
    "params",
    "webhooks",
]
