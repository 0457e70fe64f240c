"""Domain errors. Services raise these; the API's exception handler turns them into the
error envelope and the admin turns them into form errors. No HTTP objects here."""


class PulseError(Exception):
    status = 500
    code = "internal_error"
    default_message = "An internal error occurred."

    def __init__(self, message: str | None = None, *, fields: list[str] | None = None):
        self.message = message or self.default_message
        self.fields = fields or []
        super().__init__(self.message)


class InvalidRequest(PulseError):
    """The request does not match the schema (400)."""

    status = 400
    code = "invalid_request"
    default_message = "The request is invalid."


class RuleViolation(PulseError):
    """Well-formed but breaks a business rule (422)."""

    status = 422
    code = "unprocessable_entity"
    default_message = "The request breaks a rule."


class NotFound(PulseError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class Conflict(PulseError):
    """A stale version, a duplicate, or an idempotency clash (409)."""

    status = 409
    code = "conflict"
    default_message = "The request conflicts with the current state."


def ensure_version(current: int, expected: int | None) -> None:
    """Optimistic locking: services call this under a row lock with the If-Match version."""
    if expected is not None and expected != current:
        raise Conflict(
            f"The resource has changed (version {current}, If-Match named {expected}); fetch it and retry.",
            fields=["If-Match"],
        )
