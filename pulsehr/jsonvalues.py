"""The one policy for free-form JSON values (custom fields, metadata, workspace policies…),
checked on every write path: the API's serializer field, the models' validators (so the admin
and anything calling full_clean()), the CSV import and import_workspace.

A value is accepted only if every client and every database can store it and read it back
unchanged:

- integers, and all numbers, within ±(2^53−1): what JavaScript reads exactly. Non-integers
  are bounded too, because PostgreSQL's jsonb writes 1e20 back as the integer
  100000000000000000000, which would then be read as an integer beyond the range;
- finite numbers: no NaN or ±Infinity, which JSON cannot spell;
- strings and object keys without NUL (PostgreSQL refuses it) or lone surrogates (not
  encodable as UTF-8); keys are strings;
- nested at most MAX_DEPTH levels, no object with more than MAX_KEYS keys, and at most
  MAX_BYTES once serialized as compact UTF-8 JSON.

Reading is the other half: rows stored before the policy existed, or written around it,
must still render. `dumps()` encodes any stored value, falling back from orjson to the
standard library (which spells big integers exactly) when orjson refuses one.

The core of PulseHR: no DRF here."""

import json
import math

import orjson
from django import forms
from django.core.exceptions import ValidationError

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32
MAX_KEYS = 100
MAX_BYTES = 64 * 1024

_SCALARS = (str, bool, type(None))


def _string_problem(text: str, what: str) -> str | None:
    if "\x00" in text:
        return f"NUL characters are not allowed in {what}."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"Lone surrogates (unpaired \\ud800-\\udfff) are not allowed in {what}."
    return None


def _number_problem(number: int | float) -> str | None:
    if isinstance(number, float) and not math.isfinite(number):
        return "Numbers must be finite (no NaN or Infinity)."
    if not -MAX_SAFE_INTEGER <= number <= MAX_SAFE_INTEGER:
        return f"Numbers must be within ±{MAX_SAFE_INTEGER} (2^53−1), what JavaScript reads exactly."
    return None


def _structure_problem(value, depth: int) -> str | None:
    """Type, depth, keys and scalars, walked without recursion limits of our own beyond MAX_DEPTH."""
    if isinstance(value, str):
        return _string_problem(value, "strings")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _number_problem(value)
    if isinstance(value, dict):
        children = value.items()
        if len(value) > MAX_KEYS:
            return f"Objects may have at most {MAX_KEYS} keys."
    elif isinstance(value, (list, tuple)):
        children = enumerate(value)
    else:
        return f"{type(value).__name__} is not a JSON value."
    if depth >= MAX_DEPTH:
        return f"Nested deeper than {MAX_DEPTH} levels."
    for key, item in children:
        if isinstance(value, dict):
            if not isinstance(key, str):
                return "Object keys must be strings."
            problem = _string_problem(key, "keys")
            if problem:
                return problem
        problem = _structure_problem(item, depth + 1)
        if problem:
            return problem
    return None


def json_value_problem(value) -> str | None:
    """Why `value` (a parsed JSON value) breaks the policy, or None when it may be stored."""
    problem = _structure_problem(value, 0)
    if problem:
        return problem
    # Within the limits above orjson encodes anything, so its size is the size stored.
    if len(orjson.dumps(value)) > MAX_BYTES:
        return f"At most {MAX_BYTES // 1024} KiB once serialized as JSON."
    return None


def validate_json_value(value) -> None:
    """The policy as a Django validator, on the models' JSONFields that people edit: the admin's
    forms (and anything else calling full_clean()) refuse what the API would."""
    problem = json_value_problem(value)
    if problem:
        raise ValidationError(problem, code="json_value")


def _readable(value):
    """A stored value made encodable by the standard library: non-finite numbers become null
    (as orjson writes them) and keys strings; big integers stay exact."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(key): _readable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_readable(item) for item in value]
    return value


def dumps(value) -> bytes:
    """Compact JSON for any stored value. orjson first (fast); for what it refuses (integers
    beyond 64 bits, lone surrogates, nesting past its limit) the standard library, escaping
    non-ASCII so a lone surrogate is written as its \\u escape rather than failing."""
    try:
        return orjson.dumps(value, default=str)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(_readable(value), default=_plain, ensure_ascii=True, separators=(",", ":")).encode()


def _plain(value) -> str:
    """What orjson writes for dates and times (ISO 8601), str() for the rest, as its default=str."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class JSONFormField(forms.JSONField):
    """Django's JSON form field for the admin, where input nested past Python's recursion limit
    is a form error like any other: Django's own field catches only JSONDecodeError, so such
    input was a 500 (on parsing, and again when the form is shown back with its errors)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except RecursionError:
            raise ValidationError(f"Nested deeper than {MAX_DEPTH} levels.", code="json_value") from None

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:
            return forms.fields.InvalidJSONInput(data)

    def has_changed(self, initial, data):
        try:
            return super().has_changed(initial, data)
        except RecursionError:
            return True
