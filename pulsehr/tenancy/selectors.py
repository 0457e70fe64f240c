import hashlib
import time

from django.contrib.auth import get_user_model

from .context import Tenant
from .models import ApiKey

# Each process reuses a verified key this long, so most API requests skip the lookup query.
# Revoking a key is seen at once by the process that revoked it and by the others within
# this many seconds (documented in the README).
KEY_CACHE_SECONDS = 5
_KEY_CACHE_MAX = 10_000
_verified: dict[str, tuple[ApiKey, float]] = {}


def hash_api_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The key (with its workspace, the employee it acts as, and `tenant`) for a bearer secret, or
    None when unknown. One query, and none while the process reuses the key."""
    hashed = hash_api_key(secret)
    now = time.monotonic()
    cached = _verified.get(hashed)
    if cached is not None and cached[1] > now:
        return cached[0]
    api_key = ApiKey.objects.select_related("workspace", "employee").filter(hashed_key=hashed).first()
    if api_key is not None:
        api_key.tenant = Tenant.of(api_key)
        if len(_verified) >= _KEY_CACHE_MAX:  # only real keys get here; this bounds memory all the same
            _verified.clear()
        _verified[hashed] = (api_key, now + KEY_CACHE_SECONDS)
    return api_key


def forget_cached_keys(hashed_key: str | None = None) -> None:
    if hashed_key is None:
        _verified.clear()
    else:
        _verified.pop(hashed_key, None)


def forget_cached_keys_acting_as(employee_id: str) -> None:
    """Forget this process's keys that act as the employee, so an offboarding here is seen by
    the next request here (other processes see it within KEY_CACHE_SECONDS, as a revocation)."""
    for hashed, (api_key, _) in list(_verified.items()):
        if api_key.employee_id == employee_id:
            _verified.pop(hashed, None)


def actor_label(recorded: str) -> str:
    """Who a recorded actor (`user:42`, `api_key:key_…`, `system`) is, as staff read it: the staff
    user's full name or username, or the API key's id; the recorded text when nothing matches."""
    kind, _, actor_id = recorded.partition(":")
    if kind == "user" and actor_id.isdigit():
        user = get_user_model().objects.filter(pk=actor_id).first()
        return (user.get_full_name() or user.get_username()) if user else recorded
    if kind == "api_key" and actor_id:
        return f"API key {actor_id}"
    return recorded
