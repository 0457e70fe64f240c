"""The tenancy services' own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart."""

from pulsehr.errors import Conflict, InvalidInput, RuleViolation


class InvalidSlug(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["slug"])


class SlugTaken(RuleViolation):
    def __init__(self, message: str):
        super().__init__(message, fields=["slug"])


class UnknownTimeZone(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["timezone"])


class InvalidCountry(InvalidInput):
    """Not a two-letter code, or (for public holidays) a country the holidays library lacks."""

    def __init__(self, message: str):
        super().__init__(message, fields=["country"])


class InvalidRegion(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["region"])


class InvalidWorkWeek(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["work_week"])


class UnknownEnvironment(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["environment"])


class InvalidScopes(InvalidInput):
    """Unknown scopes, or none."""

    def __init__(self, message: str):
        super().__init__(message, fields=["scopes"])


class UnknownRole(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, fields=["role"])


class AlreadyMember(Conflict):
    def __init__(self, message: str):
        super().__init__(message, fields=["user"])
