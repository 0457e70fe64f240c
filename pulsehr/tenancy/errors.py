"""The tenancy services' own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart. Each names the one field at fault (PulseError.field)."""

from pulsehr.errors import Conflict, InvalidInput, PermissionDenied, RuleViolation


class InvalidSlug(InvalidInput):
    field = "slug"


class SlugTaken(RuleViolation):
    field = "slug"


class UnknownTimeZone(InvalidInput):
    field = "timezone"


class InvalidCountry(InvalidInput):
    """Not a two-letter code, or (for public holidays) a country the holidays library lacks."""

    field = "country"


class InvalidRegion(InvalidInput):
    field = "region"


class InvalidWorkWeek(InvalidInput):
    field = "work_week"


class UnknownEnvironment(InvalidInput):
    field = "environment"


class InvalidScopes(InvalidInput):
    """Unknown scopes, or none."""

    field = "scopes"


class UnknownRole(InvalidInput):
    field = "role"


class AlreadyMember(Conflict):
    field = "user"


class ActorRequired(InvalidInput):
    """A write must name whom it is by (`field`), and the caller acts as nobody in particular:
    an API key bound to no employee, staff in the admin. Worded as the field's own "required"."""

    def __init__(self, field: str):
        super().__init__(f"{field}: This field is required.", fields=[field])


class ActsAsAnother(PermissionDenied):
    """A key bound to one employee (or a room token of one user) names someone else as the one acting."""
