"""Working days under the Vietnamese holiday calendar (Saturdays and Sundays are days off)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=8)
def _vn_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year])


def is_working_day(day: date) -> bool:
    """Monday to Friday, and the Saturdays the Government makes working days in exchange for
    a bridge day off, less public holidays and those days off."""
    calendar = _vn_holidays(day.year)
    return (day.weekday() < 5 or day in calendar.weekend_workdays) and day not in calendar


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
