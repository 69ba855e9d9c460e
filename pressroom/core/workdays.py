"""Working days under the Vietnamese holiday calendar: Saturdays and Sundays are days off,
and so are public holidays (Tết included) and the bridge days the Government gives, less the
Saturdays worked in exchange (the `holidays` package knows those it has been told of). A
press office adds its own: extra days off and make-up working days (``Overrides``, kept in
the database by the questions domain)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from babel.dates import format_date

from pressroom.core.i18n import get_locale


@lru_cache(maxsize=32)
def _vn_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year], language=language)


@dataclass(frozen=True)
class Overrides:
    """The press office's own changes to the calendar: day → its note."""

    days_off: dict[date, str] = field(default_factory=dict)
    working_days: dict[date, str] = field(default_factory=dict)


NONE = Overrides()


def _language() -> str:
    return "vi" if get_locale() == "vi" else "en_US"


def day_off_reason(day: date, overrides: Overrides = NONE) -> str | None:
    """Why ``day`` is not a working day (the holiday's name, "Saturday", the note of an extra
    day off), or None when it is one."""
    if day in overrides.working_days:
        return None
    if day in overrides.days_off:
        return overrides.days_off[day]
    calendar = _vn_holidays(day.year, _language())
    if day in calendar:
        return str(calendar.get(day))
    if day.weekday() >= 5 and day not in calendar.weekend_workdays:
        return _weekday_name(day)
    return None


def _weekday_name(day: date) -> str:
    return format_date(day, "EEEE", locale=get_locale() or "vi")


def is_working_day(day: date, overrides: Overrides = NONE) -> bool:
    return day_off_reason(day, overrides) is None


def add_working_days(start: date, days: int, overrides: Overrides = NONE) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, overrides):
            remaining -= 1
    return current


@dataclass(frozen=True)
class Reckoning:
    """How a due date stands against the calendar: the working days from ``start`` to ``due``
    and the days left out on the way, each with its reason."""

    start: date
    due: date
    working_days: int
    skipped: list[tuple[date, str]]


def reckon(start: date, due: date, overrides: Overrides = NONE) -> Reckoning:
    """Counts the working days after ``start`` up to ``due`` (at most a year is looked at)."""
    skipped: list[tuple[date, str]] = []
    count = 0
    current = start
    while current < due and current < start + timedelta(days=400):
        current += timedelta(days=1)
        reason = day_off_reason(current, overrides)
        if reason is None:
            count += 1
        else:
            skipped.append((current, reason))
    return Reckoning(start, due, count, skipped)
