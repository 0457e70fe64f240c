"""The tenancy services' own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart. Each names the one field at fault (PulseError.field)."""

from pulsehr.errors import Conflict, InvalidInput, RuleViolation


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
