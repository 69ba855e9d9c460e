"""What the press office reads from the day counters: totals, the series of days, the most
read things, each ministry's totals, and the CSV of the same rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from pressroom.reach.enums import ReachKind
from pressroom.reach.queries import ReachRow

TOP_ITEMS = 20


@dataclass(frozen=True)
class ItemTotal:
    kind: ReachKind
    object_id: int
    title: str
    views: int
    downloads: int


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    views: int
    downloads: int
    days: list[tuple[date, int, int]]
    items: list[ItemTotal]
    ministries: dict[int, tuple[int, int]]


def build_report(rows: list[ReachRow], start: date, end: date, top: int = TOP_ITEMS) -> Report:
    """Every day of the period (days without a count are zeros), the ``top`` things most read
    (views and downloads together; then by kind and id) and each ministry's totals."""
    per_day = {start + timedelta(days=i): [0, 0] for i in range((end - start).days + 1)}
    items: dict[tuple[ReachKind, int], list[object]] = {}
    ministries: dict[int, tuple[int, int]] = {}
    for row in rows:
        day = per_day.setdefault(row.day, [0, 0])
        day[0] += row.views
        day[1] += row.downloads
        item = items.setdefault((row.kind, row.object_id), [row.title, 0, 0])
        item[1] = int(item[1]) + row.views  # type: ignore[call-overload]
        item[2] = int(item[2]) + row.downloads  # type: ignore[call-overload]
        views, downloads = ministries.get(row.ministry_id, (0, 0))
        ministries[row.ministry_id] = (views + row.views, downloads + row.downloads)
    kinds = list(ReachKind)
    ranked = sorted(
        (ItemTotal(kind, object_id, str(title), int(v), int(d))  # type: ignore[call-overload]
         for (kind, object_id), (title, v, d) in items.items()),
        key=lambda i: (-(i.views + i.downloads), kinds.index(i.kind), i.object_id))
    return Report(start, end, sum(v for v, _d in per_day.values()),
                  sum(d for _v, d in per_day.values()),
                  [(day, v, d) for day, (v, d) in sorted(per_day.items())], ranked[:top],
                  ministries)


CSV_COLUMNS = ("day", "kind", "id", "title", "views", "downloads")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A title as a spreadsheet shows it, never run: one starting like a formula gets a
    leading apostrophe (OWASP's advice against CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def reach_csv(rows: list[ReachRow]) -> bytes:
    """The day counters as CSV: UTF-8 with a byte order mark (so that Excel reads Vietnamese
    right), one row per thing and day, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row.day.isoformat(), row.kind.value, row.object_id, _cell(row.title),
                         row.views, row.downloads])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
