"""Lines of a proxy's access log in the combined format (nginx's default ``combined``, and
Apache's ``%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"``), read with apachelogs.
Only the request, the status, the time and the user agent are taken: the client's address
is read by the parser and dropped here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import apachelogs

_parser = apachelogs.LogParser(apachelogs.COMBINED)


@dataclass(frozen=True)
class LogLine:
    method: str
    target: str
    status: int
    at: datetime
    user_agent: str | None


def parse_line(raw: bytes) -> LogLine | None:
    """One log line, or None when it is not a combined-format request line."""
    try:
        entry = _parser.parse(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
    except (apachelogs.InvalidEntryError, ValueError):
        return None
    parts = (entry.request_line or "").split(" ")
    if len(parts) != 3 or entry.final_status is None or entry.request_time is None:
        return None
    return LogLine(method=parts[0], target=parts[1], status=int(entry.final_status),
                   at=entry.request_time, user_agent=entry.headers_in.get("User-Agent"))
