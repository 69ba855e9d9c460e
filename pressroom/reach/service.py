"""Every write of reach: counting a view or a download (one upsert of a day's counter row),
and adding what a proxy's access log holds."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, BinaryIO

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.db import table_of
from pressroom.core.errors import ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.reach.agents import is_bot
from pressroom.reach.enums import ReachKind
from pressroom.reach.logs import LogLine, parse_line
from pressroom.reach.models import ReachDay, ReachLogImport
from pressroom.reach.paths import target_of
from pressroom.reach.queries import Countable, countable

Key = tuple[ReachKind, int, date]


def today() -> date:
    """The local date (PRESSROOM_TIMEZONE): the press office counts its own days."""
    return now().astimezone(local_zone()).date()


@cache
def _upsert(dialect: str) -> Insert:
    table = table_of(ReachDay)
    statement = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[table.c.kind, table.c.object_id, table.c.day],
        set_={"views": table.c.views + statement.excluded.views,
              "downloads": table.c.downloads + statement.excluded.downloads})


def add_counts(session: Session, counts: dict[Key, tuple[int, int]]) -> None:
    """Adds (views, downloads) to each (kind, id, day)'s counter row, creating it if there is
    none: INSERT ... ON CONFLICT DO UPDATE, so concurrent requests never lose a count nor
    collide on the unique key. Side effects: writes reach_day rows."""
    if not counts:
        return
    rows = [{"kind": kind.value, "object_id": object_id, "day": day, "views": views,
             "downloads": downloads}
            for (kind, object_id, day), (views, downloads) in counts.items()]
    session.execute(_upsert(session.get_bind().dialect.name), rows)


def views_counted_by_request() -> bool:
    """Whether page views are counted by the pages' counting request (else from the log)."""
    return get_settings().reach_views == "request"


def downloads_counted_by_app() -> bool:
    """Whether PDF downloads are counted when this app serves them (else from the log)."""
    return get_settings().reach_downloads == "app"


def counting_mark(kind: ReachKind, object_id: int) -> str | None:
    """What a public page tells its counting script (``kind:id``), or None when views are
    counted from the access log instead."""
    return f"{kind.value}:{object_id}" if views_counted_by_request() else None


def _views(kind: ReachKind, object_id: int, found: Countable, at: datetime
           ) -> list[tuple[ReachKind, int]]:
    """A view of a conference's page is also one of its transcript when the page shows it."""
    counted = [(kind, object_id)]
    if kind == ReachKind.CONFERENCE and found.transcript_since is not None and (
            found.transcript_since <= at):
        counted.append((ReachKind.TRANSCRIPT, object_id))
    return counted


def record_view(session: Session, *, kind: ReachKind, object_id: int,
                user_agent: str | None) -> bool | None:
    """Counts one page view (the counting request): True when counted, False when ignored (a
    bot, or views are counted from the log), None when the thing is not public (nothing
    written). Side effects: upserts today's counter row(s)."""
    if is_bot(user_agent) or not views_counted_by_request():
        return False
    found = countable(session, kind, object_id)
    if found is None or kind == ReachKind.TRANSCRIPT:
        return None  # a transcript is read on its conference's page: that page counts it
    day = today()
    add_counts(session, {(k, i, day): (1, 0) for k, i in _views(kind, object_id, found, now())})
    return True


def download_counted(user_agent: str | None) -> bool:
    """Whether this app counts a PDF download it serves to this user agent: not a bot's, and
    downloads are not counted from the log."""
    return downloads_counted_by_app() and not is_bot(user_agent)


def record_download(session: Session, *, kind: ReachKind, object_id: int) -> None:
    """Counts one PDF download served by this app (the route checked that the thing is public
    and ``download_counted``). Side effects: upserts today's counter row."""
    add_counts(session, {(kind, object_id, today()): (0, 1)})


# Importing a proxy's access log ----------------------------------------------------------

COUNTED_STATUSES = frozenset({200, 304})
"""A page or PDF delivered (200) or confirmed unchanged to a browser that has it (304). Not
206: a PDF viewer's range requests are parts of one download already counted by its 200."""


@dataclass
class LogReport:
    lines: int = 0
    views: int = 0
    downloads: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    already_read: int = 0
    """Bytes at the start of the file that an earlier import had read (a log that grew)."""


def _line_counts(session: Session, line: LogLine, report: LogReport,
                 known: dict[tuple[ReachKind, int], Countable | None],
                 counts: dict[Key, tuple[int, int]], *, views: bool, downloads: bool) -> None:
    if line.method != "GET":
        report.skipped["method"] += 1
        return
    if line.status not in COUNTED_STATUSES:
        report.skipped["status"] += 1
        return
    target = target_of(line.target)
    if target is None or not (downloads if target.download else views):
        report.skipped["address"] += 1
        return
    if is_bot(line.user_agent):
        report.skipped["bot"] += 1
        return
    ref = (target.kind, target.object_id)
    if ref not in known:
        known[ref] = countable(session, *ref)
    found = known[ref]
    if found is None:
        report.skipped["not public"] += 1
        return
    day = line.at.astimezone(local_zone()).date()
    if target.download:
        report.downloads += 1
        seen = counts.get((target.kind, target.object_id, day), (0, 0))
        counts[(target.kind, target.object_id, day)] = (seen[0], seen[1] + 1)
        return
    report.views += 1
    for kind, object_id in _views(target.kind, target.object_id, found, line.at):
        seen = counts.get((kind, object_id, day), (0, 0))
        counts[(kind, object_id, day)] = (seen[0] + 1, seen[1])


def _read_before(session: Session, log: BinaryIO, first_line: bytes) -> int:
    """How many bytes at the start of ``log`` an earlier import already read (0: none)."""
    first_hash = hashlib.sha256(first_line).hexdigest()
    for size, sha in session.exec(
            select(ReachLogImport.size, ReachLogImport.sha256)
            .where(ReachLogImport.first_line_sha256 == first_hash)
            .order_by(col(ReachLogImport.size).desc())):
        log.seek(0)
        digest, left = hashlib.sha256(), size
        while left > 0:
            chunk = log.read(min(left, 1 << 20))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        if left == 0 and digest.hexdigest() == sha:
            return size
    return 0


def _lines(log: BinaryIO, digest: Any) -> Iterable[bytes]:
    """The whole lines of ``log`` from where it stands (a last line without its newline is
    still being written: it is left for the next import), each added to ``digest``."""
    for raw in log:
        if not raw.endswith(b"\n"):
            return
        digest.update(raw)
        yield raw


def import_log(session: Session, *, log: BinaryIO) -> LogReport:
    """Adds the page views and PDF downloads of the public addresses in a proxy's access log
    (combined format, as nginx and Apache write it) to the day counters; only what the
    settings say comes from the log (PRESSROOM_REACH_VIEWS=log, PRESSROOM_REACH_DOWNLOADS=log).
    Skips bots, other methods and statuses, unknown addresses and things not public now.
    Nothing about a visitor is kept. A file (or the start of a grown file) that was imported
    before is not counted again. Side effects: upserts reach_day rows, records the import.
    Errors: ValidationFailed (nothing comes from the log, or the file was already read)."""
    views, downloads = not views_counted_by_request(), not downloads_counted_by_app()
    if not views and not downloads:
        raise ValidationFailed(_(
            "Nothing is counted from access logs: views come from the counting request and "
            "downloads from the app (set PRESSROOM_REACH_VIEWS=log or "
            "PRESSROOM_REACH_DOWNLOADS=log)."))
    first_line = log.readline()
    report = LogReport()
    start = _read_before(session, log, first_line) if first_line.endswith(b"\n") else 0
    log.seek(0)
    digest = hashlib.sha256()
    if start:
        digest.update(log.read(start))
        report.already_read = start
    size = start
    known: dict[tuple[ReachKind, int], Countable | None] = {}
    counts: dict[Key, tuple[int, int]] = {}
    for raw in _lines(log, digest):
        size += len(raw)
        report.lines += 1
        line = parse_line(raw)
        if line is None:
            report.skipped["unreadable"] += 1
            continue
        _line_counts(session, line, report, known, counts, views=views, downloads=downloads)
    if report.lines == 0:
        raise ValidationFailed(_("This log holds no line that was not imported before."))
    add_counts(session, counts)
    try:
        with session.begin_nested():
            session.add(ReachLogImport(
                first_line_sha256=hashlib.sha256(first_line).hexdigest(), size=size,
                sha256=digest.hexdigest(), lines=report.lines, views=report.views,
                downloads=report.downloads))
    except IntegrityError as exc:  # the same file, imported at the same moment elsewhere
        raise ValidationFailed(_("This log holds no line that was not imported before.")) from exc
    return report
