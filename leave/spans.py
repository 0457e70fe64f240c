"""Leave as spans of days, for readers that count leave within a window (the Employee Score's
time-off factor): what a window needs to know of one leave record, and its days inside it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .calendar import WorkCalendar


@dataclass(frozen=True)
class LeaveSpan:
    """What counting needs to know of one leave record."""

    kind: str
    start_date: date
    end_date: date
    days: Decimal
    status: str


def days_within(span: LeaveSpan, start: date, end: date, calendar: Callable[[], WorkCalendar]) -> Decimal:
    """The part of a leave's days that falls from start to end (both included).

    A leave wholly inside the window counts its recorded days, so the figures agree with what
    was logged; one partly inside counts its working days in the window, never more than its
    recorded days. Only that split needs the calendar, so it is asked for lazily."""
    if end < start or span.end_date < start or span.start_date > end:
        return Decimal(0)
    if start <= span.start_date and span.end_date <= end:
        return span.days
    overlap = calendar().working_days(max(span.start_date, start), min(span.end_date, end))
    return min(span.days, Decimal(overlap))
