import logging
import secrets
import string

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .bound_keys import employee_binding_check
from .choices import ALL_SCOPES, Environment, MembershipRole
from .context import Actor, Tenant
from .errors import (
    AlreadyMember,
    InvalidCountry,
    InvalidScopes,
    InvalidSlug,
    SlugTaken,
    UnknownEnvironment,
    UnknownRole,
)
from .models import ApiKey, Membership, Workspace
from .policies import policy_field_names, timezone_check, workspace_policies_validate
from .selectors import forget_cached_keys, hash_api_key

logger = logging.getLogger("pulsehr.tenancy")

_KEY_ALPHABET = string.ascii_letters + string.digits
_KEY_LENGTH = 43  # 43 base-62 characters carry 256 random bits


def _slug_check(slug: str) -> None:
    if slugify(slug) != slug or not slug:
        raise InvalidSlug(f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens.")


def _slug_free_check(slug: str, *, workspace: Workspace | None = None) -> None:
    """No workspace but `workspace` has the slug."""
    if Workspace.objects.filter(slug=slug).exclude(pk=workspace.pk if workspace else None).exists():
        raise SlugTaken(f"A workspace with slug '{slug}' already exists.")


def workspace_create(*, slug: str, name: str = "", country: str = "", timezone_name: str = "UTC") -> Workspace:
    _slug_check(slug)
    timezone_check(timezone_name)
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidCountry("country must be a two-letter ISO 3166-1 code.")
    _slug_free_check(slug)
    return Workspace.objects.create(
        slug=slug, name=name or slug.replace("-", " ").title(), country=country.upper(), timezone=timezone_name
    )


def parse_scopes(raw: str | list[str]) -> list[str]:
    scopes = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if s.strip()]
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        raise InvalidScopes(
            f"Unknown scopes {unknown}; choose from {', '.join(ALL_SCOPES)}." if unknown else "Give at least one scope."
        )
    return sorted(set(scopes))


def api_key_create(
    *,
    workspace: Workspace,
    environment: str,
    scopes: str | list[str],
    name: str = "",
    created_by=None,
    employee_id: str | None = None,
) -> tuple[ApiKey, str]:
    """Mint a key. Returns the row and the secret, which is never stored and never shown again.
    With `employee_id` the key acts as that employee, who must be an active employee of the
    workspace environment (the employees app's rule, through bound_keys.py)."""
    if environment not in Environment.values:
        raise UnknownEnvironment("environment must be 'live' or 'test'.")
    scopes = parse_scopes(scopes)
    if employee_id:
        employee_binding_check(tenant=Tenant(workspace, environment), employee_id=employee_id)
    secret = f"pk_{environment}_" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(_KEY_LENGTH))
    api_key = ApiKey.objects.create(
        workspace=workspace,
        environment=environment,
        name=name,
        scopes=scopes,
        display_prefix=secret[:12],
        hashed_key=hash_api_key(secret),
        created_by=created_by,
        employee_id=employee_id or None,
    )
    return api_key, secret


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    forget_cached_keys(api_key.hashed_key)
    return api_key


# What workspace_update changes besides the policies (pulsehr/tenancy/policies.py).
WORKSPACE_FIELDS = ("name", "slug", "leave_approval_required")


@transaction.atomic
def workspace_update(*, workspace: Workspace, actor: Actor, **changes) -> Workspace:
    """Change a workspace's name, slug and policies (`changes` by field name). Each policy is
    checked and normalised by the app that owns it, through the core's registry; the first
    refused value raises, naming its field, and nothing is saved."""
    unknown = set(changes) - set(WORKSPACE_FIELDS) - policy_field_names()
    if unknown:
        raise TypeError(f"workspace_update() cannot change {sorted(unknown)}")
    if "slug" in changes:
        _slug_check(changes["slug"])
        _slug_free_check(changes["slug"], workspace=workspace)
    changes.update(workspace_policies_validate(workspace=workspace, changes=changes))
    for name, value in changes.items():
        setattr(workspace, name, value)
    workspace.save()
    logger.info("Workspace %s changed by %s: %s", workspace.slug, actor, ", ".join(sorted(changes)))
    return workspace


# --- Memberships: who works in a workspace through the admin and /developers -----------------


def _role_check(role: str) -> None:
    if role not in MembershipRole.values:
        raise UnknownRole(f"'{role}' is not a role; use {', '.join(MembershipRole.values)}.")


def membership_add(*, workspace: Workspace, user, role: str = MembershipRole.HR) -> Membership:
    _role_check(role)
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise AlreadyMember(f"{user} is already a member of {workspace}.")
    return Membership.objects.create(workspace=workspace, user=user, role=role)


def membership_change_role(*, membership: Membership, role: str) -> Membership:
    _role_check(role)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    membership.delete()
