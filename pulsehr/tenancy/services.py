import hashlib
import secrets
import string
import zoneinfo

from django.utils import timezone
from django.utils.text import slugify

from pulsehr.errors import InvalidRequest, RuleViolation

from .choices import ALL_SCOPES, Environment
from .models import ApiKey, Workspace

_KEY_ALPHABET = string.ascii_letters + string.digits
_KEY_LENGTH = 43  # 43 base-62 characters carry 256 random bits


def hash_api_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def workspace_create(*, slug: str, name: str = "", country: str = "", timezone_name: str = "UTC") -> Workspace:
    if slugify(slug) != slug or not slug:
        raise InvalidRequest(
            f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens.", fields=["slug"]
        )
    if timezone_name not in zoneinfo.available_timezones():
        raise InvalidRequest(f"'{timezone_name}' is not an IANA time zone.", fields=["timezone"])
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidRequest("country must be a two-letter ISO 3166-1 code.", fields=["country"])
    if Workspace.objects.filter(slug=slug).exists():
        raise RuleViolation(f"A workspace with slug '{slug}' already exists.", fields=["slug"])
    return Workspace.objects.create(
        slug=slug, name=name or slug.replace("-", " ").title(), country=country.upper(), timezone=timezone_name
    )


def parse_scopes(raw: str | list[str]) -> list[str]:
    scopes = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if s.strip()]
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        raise InvalidRequest(
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
        raise InvalidRequest("environment must be 'live' or 'test'.", fields=["environment"])
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
    return api_key
