"""The daily chart of views and downloads as plain geometry, drawn as SVG by a template
(templates/reach/_chart.svg.html): no script, no chart library."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 8, 12, 30
TICKS = 4


@dataclass(frozen=True)
class Bar:
    day: date
    series: str  # "views" or "downloads"
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DayLabel:
    day: date
    x: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    bottom: float  # the y of the axis
    right: int
    top_value: int
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[DayLabel]


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if factor * power >= value:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover (10 * power always is)


def daily_chart(days: list[tuple[date, int, int]]) -> Chart:
    """Bars of each day's (views, downloads), side by side, on a scale of round numbers."""
    step = nice_step(max((max(v, d) for _day, v, d in days), default=0) / TICKS)
    top_value = step * TICKS
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    axis = TOP + plot_h
    slot = plot_w / max(len(days), 1)
    bar_w = round(slot * 0.4, 2)
    bars: list[Bar] = []
    for i, (day, views, downloads) in enumerate(days):
        for series, value, offset in (("views", views, 0.1), ("downloads", downloads, 0.5)):
            height = round(plot_h * value / top_value, 2)
            bars.append(Bar(day, series, value, round(LEFT + slot * (i + offset), 2),
                            round(axis - height, 2), bar_w, height))
    every = max(1, math.ceil(len(days) / 10))
    labels = [DayLabel(day, round(LEFT + slot * (i + 0.5), 2))
              for i, (day, _v, _d) in enumerate(days) if i % every == 0]
    ticks = [Tick(step * k, round(axis - plot_h * k / TICKS, 2)) for k in range(TICKS + 1)]
    return Chart(WIDTH, HEIGHT, LEFT, axis, WIDTH - RIGHT, top_value, bars, ticks, labels)
