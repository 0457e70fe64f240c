"""A workspace's policies: the settings on the workspace row that decide how its features
behave. The core checks its own (the locale, the work week); each feature registers the check
of its own from its AppConfig.ready() (leave its allowances, kudos its monthly allowance), so
the core names no feature. workspace_update and the Workspace admin check through here."""

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .errors import InvalidCountry, InvalidRegion, InvalidWorkWeek, UnknownTimeZone


@dataclass(frozen=True)
class PolicyValidator:
    # The workspace fields it checks; it is called with each one's value, by name.
    field_names: tuple[str, ...]
    # Returns those values normalised, by field name; raises an InvalidInput naming the field at fault.
    validate: Callable[..., dict]


_VALIDATORS: list[PolicyValidator] = []


def workspace_policy_validator_register(field_names: Iterable[str], validator: Callable[..., dict]) -> None:
    """Have `validator` check `field_names` whenever one of them changes. Validators run in the
    order registered (the core's first, then the apps' in INSTALLED_APPS order), so the first
    error a set of changes meets is always the same."""
    registered = PolicyValidator(tuple(field_names), validator)
    if registered not in _VALIDATORS:  # an app's ready() may run again (a test's own app registry)
        _VALIDATORS.append(registered)


def policy_field_names() -> set[str]:
    return {name for validator in _VALIDATORS for name in validator.field_names}


def workspace_policies_validate(*, workspace, changes: dict) -> dict:
    """Check and normalise the policies among `changes` (field name -> value) of `workspace`,
    so none can be bad. A validator of several fields (a region is checked against its country)
    sees the workspace's current value of those not changed. Returns the normalised values by
    field name; raises the InvalidInput of the first validator to refuse, naming the field."""
    normalised = {}
    for validator in _VALIDATORS:
        if any(name in changes for name in validator.field_names):
            values = {name: changes.get(name, getattr(workspace, name)) for name in validator.field_names}
            normalised.update(validator.validate(**values))
    return normalised


def locale_validate(*, country: str, region: str) -> dict:
    """A country and subdivision the `holidays` library knows, or none."""
    # Imported here: the tenancy core should not load holidays' data on import.
    import holidays

    country = (country or "").strip().upper()
    region = (region or "").strip()
    if country and (len(country) != 2 or country not in holidays.list_supported_countries()):
        raise InvalidCountry(f"'{country}' is not a country with known public holidays.")
    if region:
        if not country:
            raise InvalidRegion("Choose a country before a region.")
        calendar = holidays.country_holidays(country)
        region = region.removeprefix(f"{country}-").removeprefix(f"{country.lower()}-")
        known = {code.casefold(): code for code in calendar.subdivisions}
        known.update({alias.casefold(): code for alias, code in getattr(calendar, "subdivisions_aliases", {}).items()})
        if region.casefold() not in known:
            listed = ", ".join(calendar.subdivisions) or "none"
            raise InvalidRegion(f"'{region}' is not a region of {country}; known regions: {listed}.")
        region = known[region.casefold()]
    return {"country": country, "region": region}


def timezone_check(timezone_name: str) -> None:
    if timezone_name not in zoneinfo.available_timezones():
        raise UnknownTimeZone(f"'{timezone_name}' is not an IANA time zone.")


def timezone_validate(*, timezone: str) -> dict:
    timezone_check(timezone)
    return {"timezone": timezone}


def work_week_validate(*, work_week: list) -> dict:
    """A non-empty ISO work week, as sorted unique weekdays."""
    if not isinstance(work_week, list | tuple) or not work_week:
        raise InvalidWorkWeek("The work week needs at least one day (ISO weekdays, Monday = 1).")
    days = []
    for day in work_week:
        if isinstance(day, str) and day.isdigit():
            day = int(day)
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise InvalidWorkWeek(f"{day!r} is not an ISO weekday (1 = Monday … 7 = Sunday).")
        days.append(day)
    return {"work_week": sorted(set(days))}


workspace_policy_validator_register(["country", "region"], locale_validate)
workspace_policy_validator_register(["timezone"], timezone_validate)
workspace_policy_validator_register(["work_week"], work_week_validate)
