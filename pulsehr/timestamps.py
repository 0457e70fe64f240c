"""How the API, events and exports write an instant."""

from datetime import timedelta

import orjson

_ZERO = timedelta(0)


def format_datetime(value) -> str:
    """ISO 8601, `Z` for UTC. orjson writes a UTC instant as datetime.isoformat() would, three
    times faster, and list pages format two per row; other offsets keep isoformat()'s exact
    form (orjson rounds an offset's seconds away)."""
    if value.utcoffset() == _ZERO:
        return orjson.dumps(value, option=orjson.OPT_UTC_Z)[1:-1].decode()
    return value.isoformat().replace("+00:00", "Z")
