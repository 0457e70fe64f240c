"""Working days: pure functions over plain data, so they can be property-tested.

A day is a working day when its ISO weekday is in the workspace's work week and it is
neither a public holiday of the workspace's country (and region) nor a company day off."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import holidays

logger = logging.getLogger("pulsehr.leave")

HALF_DAY = Decimal("0.5")


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: the ISO weekdays of the work week, minus the days off
    (public holidays and company days off; days off outside the work week change nothing)."""

    work_week: frozenset[int]
    days_off: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.work_week and day not in self.days_off

    def working_days(self, start: date, end: date) -> int:
        """Working days from start to end, both included; 0 when end is before start.
        Whole weeks are counted by arithmetic, so a long range costs no more than a short one."""
        if end < start:
            return 0
        span = (end - start).days + 1
        weeks, rest = divmod(span, 7)
        count = weeks * len(self.work_week)
        count += sum(1 for offset in range(rest) if (start + timedelta(days=offset)).isoweekday() in self.work_week)
        count -= sum(1 for day in self.days_off if start <= day <= end and day.isoweekday() in self.work_week)
        return count

    def leave_days(self, start: date, end: date, half_day: bool = False) -> Decimal:
        """What a leave from start to end costs. A half day costs 0.5 when its one day is a
        working day (half_day on a longer range is refused by the rules, not here)."""
        working = self.working_days(start, end)
        if half_day and working:
            return HALF_DAY * working
        return Decimal(working)


@lru_cache(maxsize=4096)
def named_public_holidays(country: str, region: str, year: int) -> tuple[tuple[date, str], ...]:
    """The public holidays of a country (and subdivision) in one year, as (day, name) in date
    order. Pure data, so cached per process. An unknown country has none; an unknown subdivision
    falls back to the country's national holidays (the admin refuses both, so this only guards
    old data)."""
    if not country:
        return ()
    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
    except NotImplementedError:
        if not region:
            logger.warning("No public holidays known for country %r.", country)
            return ()
        logger.warning("Unknown subdivision %r of %r; using the national holidays.", region, country)
        return named_public_holidays(country, "", year)
    return tuple(sorted(found.items()))


@lru_cache(maxsize=4096)
def public_holidays(country: str, region: str, year: int) -> frozenset[date]:
    """The days of named_public_holidays."""
    return frozenset(day for day, _ in named_public_holidays(country, region, year))


def years_between(start: date, end: date) -> range:
    return range(start.year, end.year + 1)


def build_calendar(
    *, work_week: Iterable[int], country: str, region: str, years: Iterable[int], company_days_off: Iterable[date]
) -> WorkCalendar:
    days_off = set(company_days_off)
    for year in years:
        days_off |= public_holidays(country, region, year)
    return WorkCalendar(work_week=frozenset(work_week), days_off=frozenset(days_off))
