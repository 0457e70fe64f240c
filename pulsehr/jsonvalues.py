"""The JSON value policy (placeholder: the full policy, with size caps, comes from another
branch and replaces this file on merge; the signature stays)."""

import math

MAX_DEPTH = 32
MAX_SAFE_INTEGER = 2**53 - 1


def json_value_problem(value, _depth: int = 0) -> str | None:
    """Why `value` may not be stored as a JSON value, or None when it may."""
    if _depth > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels"
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return None if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else "an integer beyond ±(2^53−1)"
    if isinstance(value, float):
        return None if math.isfinite(value) else "a number that is not finite"
    if isinstance(value, str):
        return "a string with a NUL character" if "\x00" in value else None
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        if any("\x00" in key for key in value if isinstance(key, str)):
            return "a key with a NUL character"
        items = value.values()
    else:
        return f"not a JSON value ({type(value).__name__})"
    for item in items:
        problem = json_value_problem(item, _depth + 1)
        if problem:
            return problem
    return None
