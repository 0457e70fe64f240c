"""What every form of PulseHR's pages shares (the admin's and /developers')."""

from django import forms

from pulsehr.errors import PulseError


def add_service_error(form: forms.Form, error: PulseError, field_for: dict[str, str] | None = None) -> None:
    """Show a service's error on the form fields it names (`field_for` maps the service's field
    names to the form's, e.g. manager_id → manager), or above the form when it names none of them."""
    named = [(field_for or {}).get(field, field) for field in error.fields]
    for field in [name for name in named if name in form.fields] or [None]:
        form.add_error(field, error.message)
