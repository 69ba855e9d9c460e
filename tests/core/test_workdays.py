"""Working days follow the Government's calendar, including swapped days."""

from __future__ import annotations

from datetime import date

import pytest

from pressroom.core.workdays import add_working_days, is_working_day


def test_make_up_saturday_is_a_working_day_and_its_bridge_day_is_not() -> None:
    # 2026: Saturday 22/8 is worked in exchange for Monday 31/8 off, before National Day 1–2/9.
    assert is_working_day(date(2026, 8, 22)) is True
    assert is_working_day(date(2026, 8, 29)) is False  # an ordinary Saturday
    assert is_working_day(date(2026, 8, 31)) is False


@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2026, 8, 21), 1, date(2026, 8, 22)),   # Fri + 1 → the make-up Saturday
    (date(2026, 8, 21), 2, date(2026, 8, 24)),   # … then Monday
    (date(2026, 8, 28), 1, date(2026, 9, 3)),    # Fri + 1 → Thu (31/8 off, 1–2/9 holidays)
])
def test_due_dates_across_the_national_day_swap(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due
