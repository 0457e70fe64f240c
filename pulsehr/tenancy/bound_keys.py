"""API keys that act as one employee (DESIGN.md, "Keys that act as an employee").

The key holds the binding (ApiKey.employee) and every write learns of it through the Actor
(context.py, Actor.acting_as), but the core knows nothing of employees: who may be bound to a
key, and when a bound key stops working, are the employees app's rules. It registers them here
from its AppConfig.ready(), as the features register their policies (policies.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class EmployeeBinding:
    # check(tenant=, employee_id=): raises a PulseError naming `employee_id` unless a key of
    # that tenant may act as the employee (one of its own, still active).
    check: Callable[..., None]
    # lapsed(api_key=): why a bound key no longer works (its employee was offboarded), or "".
    # Runs on every request of a bound key: it reads the employee the key lookup joined, no query.
    lapsed: Callable[..., str]


_BINDINGS: list[EmployeeBinding] = []


def employee_binding_register(*, check: Callable[..., None], lapsed: Callable[..., str]) -> None:
    registered = EmployeeBinding(check=check, lapsed=lapsed)
    if registered not in _BINDINGS:  # an app's ready() may run again (a test's own app registry)
        _BINDINGS.append(registered)


def _bindings() -> list[EmployeeBinding]:
    if not _BINDINGS:
        raise ImproperlyConfigured("No installed app registers how an API key acts as an employee (bound_keys.py).")
    return _BINDINGS


def employee_binding_check(*, tenant, employee_id: str) -> None:
    """Refuse (with the registered app's error) an employee a key of `tenant` may not act as."""
    for binding in _bindings():
        binding.check(tenant=tenant, employee_id=employee_id)


def api_key_lapsed(api_key) -> str:
    """Why `api_key` no longer works although it is not revoked: the employee it acts as has
    left. "" for a working key, and always for an unbound one."""
    if api_key.employee_id is None:
        return ""
    for binding in _bindings():
        reason = binding.lapsed(api_key=api_key)
        if reason:
            return reason
    return ""
