"""The one shape of an event: what an endpoint receives (the signed body) and what /v1/events
shows. Built from the event's column values, so the API's list pages can pass the rows they
fetched with `.values(*EVENT_FIELDS)`."""

from collections.abc import Mapping

from pulsehr.timestamps import format_datetime

EVENT_FIELDS = ("id", "type", "created_at", "data")


def event_as_dict(row: Mapping) -> dict:
    """`{"id", "type", "created_at", "data"}`; `row` maps at least EVENT_FIELDS to their values."""
    return {"id": row["id"], "type": row["type"], "created_at": format_datetime(row["created_at"]), "data": row["data"]}
