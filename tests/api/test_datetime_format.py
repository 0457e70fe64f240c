"""Every datetime the API writes has one form: ISO 8601 as datetime.isoformat() gives it, with
`Z` for UTC, whichever way it is produced."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from pulsehr.timestamps import format_datetime


@pytest.mark.parametrize(
    "value",
    [
        datetime(2025, 1, 9, 4, 33, 24, 797000, tzinfo=UTC),
        datetime(2025, 1, 9, 4, 33, 24, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("UTC")),
        datetime(2025, 6, 1, 12, 0, 0, 1, tzinfo=timezone(timedelta(hours=2))),
        datetime(1800, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Rome")),  # an offset with seconds
        datetime(2025, 6, 1, 12, 0),
    ],
)
def test_datetimes_are_written_as_isoformat_with_z_for_utc(value):
    assert format_datetime(value) == value.isoformat().replace("+00:00", "Z")
