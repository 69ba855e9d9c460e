"""The period the press office chooses on the reach page (GET parameters, no state change)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from pressroom.core.i18n import gettext as _

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


def read_period(start: str, end: str, today: date) -> tuple[Period, dict[str, str]]:
    """The period from the ``from`` and ``to`` fields (YYYY-MM-DD, both included); the last 30
    days to ``today`` by default. With errors (by field), the default period comes back."""
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today)
    errors: dict[str, str] = {}
    first, last = _day(start), _day(end)
    if start.strip() and first is None:
        errors["from"] = _("Enter the first day as a date, for example 2026-11-01.")
    if end.strip() and last is None:
        errors["to"] = _("Enter the last day as a date, for example 2026-11-30.")
    if errors:
        return default, errors
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        return default, {"from": _("The first day must not be after the last day.")}
    if (last - first).days + 1 > MAX_DAYS:
        return default, {"from": _("Choose at most %(days)s days.", days=MAX_DAYS)}
    return Period(first, last), {}
