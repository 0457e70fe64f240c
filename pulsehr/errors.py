"""Domain errors. Services raise these; nothing here knows of HTTP. The API maps each kind to
a status and code in one table (pulsehr/api/exceptions.py, ERROR_KINDS), the admin and
/developers show the message next to the fields it names.

Each app raises typed errors of its own (`LeaveOverlaps`, `EmailTaken`, …), subclasses of the
five kinds below, so callers and tests can tell them apart while the API keeps its codes."""


class PulseError(Exception):
    default_message = "An internal error occurred."
    # The request field an error of this class is always about, named unless `fields` says otherwise.
    field = ""

    def __init__(self, message: str | None = None, *, fields: list[str] | None = None):
        self.message = message or self.default_message
        self.fields = fields or ([self.field] if self.field else [])
        super().__init__(self.message)


class InvalidInput(PulseError):
    """A value is malformed, of the wrong type or out of range."""

    default_message = "The request is invalid."


class RuleViolation(PulseError):
    """Well-formed, but breaks a business rule."""

    default_message = "The request breaks a rule."


class NotFound(PulseError):
    default_message = "Not found."


class PermissionDenied(PulseError):
    """Well-formed, but the caller may not do it: an API key that acts as one employee naming
    another (pulsehr/tenancy/context.py, Actor.acting_as), or a workspace setting that forbids it
    (e.g. the Employee Score's privacy)."""

    default_message = "Permission denied."


class Conflict(PulseError):
    """A stale version, a duplicate, or an idempotency clash."""

    default_message = "The request conflicts with the current state."


class StaleVersion(Conflict):
    """The If-Match version is not the row's current one."""


def ensure_version(current: int, expected: int | None) -> None:
    """Optimistic locking: checked under a row lock (see pulsehr/locking.py) with the If-Match version."""
    if expected is not None and expected != current:
        raise StaleVersion(
            f"The resource has changed (version {current}, If-Match named {expected}); fetch it and retry.",
            fields=["If-Match"],
        )
