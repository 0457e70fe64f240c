"""The tenancy services' own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart. Each names the one field at fault."""

from pulsehr.errors import Conflict, InvalidInput, RuleViolation


class _OfField:
    field = ""

    def __init__(self, message: str):
        super().__init__(message, fields=[self.field])


class InvalidSlug(_OfField, InvalidInput):
    field = "slug"


class SlugTaken(_OfField, RuleViolation):
    field = "slug"


class UnknownTimeZone(_OfField, InvalidInput):
    field = "timezone"


class InvalidCountry(_OfField, InvalidInput):
    """Not a two-letter code, or (for public holidays) a country the holidays library lacks."""

    field = "country"


class InvalidRegion(_OfField, InvalidInput):
    field = "region"


class InvalidWorkWeek(_OfField, InvalidInput):
    field = "work_week"


class UnknownEnvironment(_OfField, InvalidInput):
    field = "environment"


class InvalidScopes(_OfField, InvalidInput):
    """Unknown scopes, or none."""

    field = "scopes"


class UnknownRole(_OfField, InvalidInput):
    field = "role"


class AlreadyMember(_OfField, Conflict):
    field = "user"
