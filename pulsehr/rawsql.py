"""Values read by a raw cursor, as the ORM would convert them: SQLite returns dates as text,
decimals as numbers and booleans as 0/1, where PostgreSQL already returns Python's types."""

from datetime import date
from decimal import Decimal


def as_date(value) -> date | None:
    return value if value is None or isinstance(value, date) else date.fromisoformat(value)


def as_decimal(value) -> Decimal | None:
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))
