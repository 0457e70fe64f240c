import secrets
import string
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify

from pulsehr.errors import InvalidInput, RuleViolation

from .choices import ALL_SCOPES, Environment
from .models import ApiKey, Workspace
from .selectors import forget_cached_keys, hash_api_key

_KEY_ALPHABET = string.ascii_letters + string.digits
_KEY_LENGTH = 43  # 43 base-62 characters carry 256 random bits


def workspace_create(*, slug: str, name: str = "", country: str = "", timezone_name: str = "UTC") -> Workspace:
    if slugify(slug) != slug or not slug:
        raise InvalidInput(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens.", fields=["slug"])
    if timezone_name not in zoneinfo.available_timezones():
        raise InvalidInput(f"'{timezone_name}' is not an IANA time zone.", fields=["timezone"])
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput("country must be a two-letter ISO 3166-1 code.", fields=["country"])
    if Workspace.objects.filter(slug=slug).exists():
        raise RuleViolation(f"A workspace with slug '{slug}' already exists.", fields=["slug"])
    return Workspace.objects.create(
        slug=slug, name=name or slug.replace("-", " ").title(), country=country.upper(), timezone=timezone_name
    )


def parse_scopes(raw: str | list[str]) -> list[str]:
    scopes = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if s.strip()]
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        raise InvalidInput(
            f"Unknown scopes {unknown}; choose from {', '.join(ALL_SCOPES)}."
            if unknown
            else "Give at least one scope.",
            fields=["scopes"],
        )
    return sorted(set(scopes))


def api_key_create(
    *, workspace: Workspace, environment: str, scopes: str | list[str], name: str = "", created_by=None
) -> tuple[ApiKey, str]:
    """Mint a key. Returns the row and the secret, which is never stored and never shown again."""
    if environment not in Environment.values:
        raise InvalidInput("environment must be 'live' or 'test'.", fields=["environment"])
    secret = f"pk_{environment}_" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(_KEY_LENGTH))
    api_key = ApiKey.objects.create(
        workspace=workspace,
        environment=environment,
        name=name,
        scopes=parse_scopes(scopes),
        display_prefix=secret[:12],
        hashed_key=hash_api_key(secret),
        created_by=created_by,
    )
    return api_key, secret


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    forget_cached_keys(api_key.hashed_key)
    return api_key


def workspace_policies_validate(
    *,
    country: str,
    region: str,
    timezone_name: str,
    work_week: list,
    kudos_monthly_allowance: int,
    leave_allowances: dict,
) -> dict:
    """Check and normalise the policies HR staff edit on a workspace, so none can be bad:
    a country and subdivision the `holidays` library knows (or none), an IANA time zone, a
    non-empty ISO work week, and leave allowances per known kind in half days. Returns the
    normalised values by field name; raises InvalidInput naming the field at fault."""
    # Imported here: the tenancy core should not load the leave app (or holidays' data) on import.
    import holidays

    from leave.choices import LeaveKind

    country = (country or "").strip().upper()
    region = (region or "").strip()
    if country and (len(country) != 2 or country not in holidays.list_supported_countries()):
        raise InvalidInput(f"'{country}' is not a country with known public holidays.", fields=["country"])
    if region:
        if not country:
            raise InvalidInput("Choose a country before a region.", fields=["region"])
        calendar = holidays.country_holidays(country)
        region = region.removeprefix(f"{country}-").removeprefix(f"{country.lower()}-")
        known = {code.casefold(): code for code in calendar.subdivisions}
        known.update({alias.casefold(): code for alias, code in getattr(calendar, "subdivisions_aliases", {}).items()})
        if region.casefold() not in known:
            listed = ", ".join(calendar.subdivisions) or "none"
            raise InvalidInput(f"'{region}' is not a region of {country}; known regions: {listed}.", fields=["region"])
        region = known[region.casefold()]
    if timezone_name not in zoneinfo.available_timezones():
        raise InvalidInput(f"'{timezone_name}' is not an IANA time zone.", fields=["timezone"])

    if not isinstance(work_week, list | tuple) or not work_week:
        raise InvalidInput("The work week needs at least one day (ISO weekdays, Monday = 1).", fields=["work_week"])
    days = []
    for day in work_week:
        if isinstance(day, str) and day.isdigit():
            day = int(day)
        if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 7:
            raise InvalidInput(f"{day!r} is not an ISO weekday (1 = Monday … 7 = Sunday).", fields=["work_week"])
        days.append(day)

    if isinstance(kudos_monthly_allowance, bool) or not isinstance(kudos_monthly_allowance, int):
        raise InvalidInput("The kudos allowance must be a whole number.", fields=["kudos_monthly_allowance"])
    if kudos_monthly_allowance < 0:
        raise InvalidInput("The kudos allowance cannot be negative.", fields=["kudos_monthly_allowance"])

    if not isinstance(leave_allowances, dict):
        raise InvalidInput(
            'Leave allowances must be a JSON object, e.g. {"vacation": 25}.', fields=["leave_allowances"]
        )
    allowances = {}
    for kind, value in leave_allowances.items():
        if kind not in LeaveKind.values:
            raise InvalidInput(
                f"'{kind}' is not a leave kind; use {', '.join(LeaveKind.values)}.", fields=["leave_allowances"]
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 366:
            raise InvalidInput(
                f"The allowance for {kind} must be a number of days from 0 to 366.", fields=["leave_allowances"]
            )
        if (value * 2) % 1:
            raise InvalidInput(f"The allowance for {kind} must be in half days.", fields=["leave_allowances"])
        allowances[kind] = int(value) if float(value).is_integer() else value

    return {
        "country": country,
        "region": region,
        "timezone": timezone_name,
        "work_week": sorted(set(days)),
        "kudos_monthly_allowance": kudos_monthly_allowance,
        "leave_allowances": allowances,
    }
