"""Helpers shared by tests across apps: racing requests in threads, and a fixed workspace
clock so tests about today's date cannot flake around midnight."""

import threading
from datetime import UTC, datetime

from django.db import connection


def race(calls):
    """Run the calls in threads released together; returns their results in order."""
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# A Wednesday, mid-morning in UTC: 2024-05-15 in Europe/Rome (the factories' zone), already
# 2024-05-16 in Pacific/Kiritimati (UTC+14) and still 2024-05-14 in Pacific/Pago_Pago (UTC-11).
DEFAULT_NOW = datetime(2024, 5, 15, 10, 30, tzinfo=UTC)


def freeze_workspace_clock(monkeypatch, instant: datetime = DEFAULT_NOW) -> None:
    """Make Tenant.today() (every workspace's "today") read the clock at `instant`. Only the
    tenancy clock is replaced: created_at, rate limits and idempotency keep real time."""

    class FrozenDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)

    monkeypatch.setattr("pulsehr.tenancy.context.datetime", FrozenDatetime)


def key_value_rows(name: str, rows) -> dict[str, str]:
    """A KeyValueWidget's fields (pulsehr/forms.py) as a browser posts them: `rows` is a dict
    (numbers as number rows, booleans as yes/no, the rest as text) or [(key, type, value), …]."""
    if isinstance(rows, dict):
        rows = [(key, typed(value), shown_value(value)) for key, value in rows.items()]
    data = {}
    for index, (key, kind, value) in enumerate(rows):
        data |= {f"{name}-{index}-key": key, f"{name}-{index}-type": kind, f"{name}-{index}-value": value}
    return data


def typed(value) -> str:
    if isinstance(value, bool):
        return "yes_no"
    return "number" if isinstance(value, int | float) else "text"


def shown_value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
