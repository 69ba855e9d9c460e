"""Past questions and answers from an archive (``pressroom import``): the file read line by
line (JSON Lines or CSV), each record checked against the database and either made ready for
``service.import_archive`` or refused with its reason. The format is documented in the
README ("Importing an archive"); nothing here writes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import Outlet, User
from pressroom.answers.models import Answer
from pressroom.conferences.models import PressConference
from pressroom.core.clock import now
from pressroom.core.i18n import local_zone
from pressroom.core.text import clean, fold, normalise
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import all_organizations, scope_of
from pressroom.questions.models import Question

REQUIRED = ("source_id", "ministry", "outlet", "asker", "asked_at", "answered_at", "question",
            "answer")
OPTIONAL = ("title", "conference", "unit")
FIELDS = REQUIRED + OPTIONAL
# The longest value of each text field (the columns' and the product's own forms' limits).
LIMITS = {"source_id": 200, "ministry": 200, "outlet": 200, "asker": 200, "title": 300,
          "question": 20000, "answer": 20000, "unit": 200}
TITLE_CHARS = 120  # a title made from the question's first words, when the file gives none
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")


class FileUnreadable(Exception):
    """The file as a whole cannot be read (not UTF-8, not JSON Lines or CSV, a CSV header
    without the fields): nothing is imported. ``str()`` says why, for the person."""


@dataclass(frozen=True)
class Line:
    """One record of the file as read: its values, or why it could not be read at all."""

    number: int  # the line of the file it starts on (1 is the first; a CSV header is line 1)
    values: dict[str, Any]
    problem: str = ""


@dataclass(frozen=True)
class Record:
    """A checked record, ready to import."""

    number: int
    source_id: str
    ministry_id: int
    unit_id: int
    outlet: str
    asker: str
    asked_at: datetime
    answered_at: datetime
    title: str
    question: str
    answer: str
    conference_id: int | None


@dataclass(frozen=True)
class Refusal:
    number: int
    source_id: str
    reason: str


def read_file(path: Path) -> list[Line]:
    """The records of a JSON Lines (``.jsonl``, ``.ndjson``, ``.json``) or CSV (``.csv``)
    file, in order. Errors: FileUnreadable."""
    suffix = path.suffix.lower()
    if suffix not in (*JSON_SUFFIXES, ".csv"):
        raise FileUnreadable(f"{path.name}: the file name must end in .jsonl (JSON Lines) or "
                             ".csv.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"cannot read {path}: {exc.strerror or exc}.") from None
    try:
        text = data.decode("utf-8-sig")  # Excel starts its UTF-8 CSV with a byte-order mark
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise FileUnreadable(f"{path.name} is not UTF-8 text (line {line}, byte "
                             f"{exc.start + 1}); save it as UTF-8 and try again.") from None
    return _json_lines(text) if suffix in JSON_SUFFIXES else _csv_lines(text, path.name)


def _json_lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            values = json.loads(raw)
        except json.JSONDecodeError as exc:
            lines.append(Line(number, {}, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        if not isinstance(values, dict):
            lines.append(Line(number, {}, "not a JSON object ({...})"))
            continue
        lines.append(Line(number, values))
    return lines


def _csv_lines(text: str, name: str) -> list[Line]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [clean(cell).lower() for cell in next(reader, [])]
        missing = [field for field in REQUIRED if field not in header]
        unknown = [cell for cell in header if cell not in FIELDS]
        if missing or unknown or len(set(header)) != len(header):
            raise FileUnreadable(
                f"{name}: the first line must name the columns: {', '.join(REQUIRED)} "
                f"(and optionally {', '.join(OPTIONAL)})"
                + (f"; missing: {', '.join(missing)}" if missing else "")
                + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                + ("; a column is named twice" if len(set(header)) != len(header) else "")
                + ".")
        lines = []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(header):
                    lines.append(Line(start, {}, f"{len(row)} columns where the header has "
                                                 f"{len(header)}"))
                else:
                    lines.append(Line(start, dict(zip(header, row, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileUnreadable(f"{name}: not valid CSV at line {reader.line_num} ({exc}).") from None
    return lines


def _title_of(question: str) -> str:
    line = " ".join(question.split())
    if len(line) <= TITLE_CHARS:
        return line
    return line[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def parse_moment(value: str) -> datetime | None:
    """An ISO 8601 date or date and time; without an offset, Vietnamese time (the setting's
    zone); a date alone is its midnight. None when it is not one."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not 1900 < moment.year < 9000:  # what the product's own forms take (core.schemas)
        return None
    if len(value) <= 10:  # a date alone: fromisoformat made it midnight
        moment = datetime.combine(moment.date(), time())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment


class Checker:
    """Checks records against the database as it stands: the ministries, their units and the
    conferences named; which source ids are imported already. Built once per file."""

    def __init__(self, session: Session, actor: User) -> None:
        self.session = session
        organizations = all_organizations(session)
        self.top = [o for o in organizations if o.kind != OrgKind.UNIT and o.id is not None]
        self.units: dict[int, list[Organization]] = {}
        by_id = {o.id: o for o in organizations}
        for org in organizations:
            top = org
            while top.parent_id is not None and top.parent_id in by_id:
                top = by_id[top.parent_id]
            if org.kind == OrgKind.UNIT and top.id is not None:
                self.units.setdefault(top.id, []).append(org)
        # A spokesperson imports the answers of their own ministry; an administrator any.
        self.scope: set[int] | None = (None if actor.role == Role.ADMIN
                                       else scope_of(session, actor.id or 0))
        self.seen: dict[str, int] = {}  # source id → the line it was first on (this file)
        self._matches: dict[tuple[int, str], tuple[Organization | None, str]] = {}

    def ministry(self, name: str) -> tuple[Organization | None, str]:
        """The ministry or agency named (full name or short name; case, spacing and the
        placement of tone marks aside; without diacritics only when one matches)."""
        found = self._match(0, self.top, name)
        if found[0] is None and found[1]:
            return None, f"ambiguous ministry {name!r}: it matches {found[1]}"
        return found[0], "" if found[0] is not None else f"unknown ministry {name!r}"

    def unit(self, ministry: Organization, name: str) -> tuple[Organization | None, str]:
        found = self._match(ministry.id or 0, self.units.get(ministry.id or 0, []), name)
        if found[0] is None and found[1]:
            return None, f"ambiguous unit {name!r} of {ministry.name}"
        return found[0], "" if found[0] is not None else f"unknown unit {name!r} of {ministry.name}"

    def _match(self, within: int, organizations: list[Organization],
               name: str) -> tuple[Organization | None, str]:
        """The one organisation of ``organizations`` named ``name`` exactly (``normalise``) or
        else without diacritics (``fold``); else None and the names of those that match
        (none: ""). Remembered: an archive names the same few ministries on every line."""
        key = (within, name)
        if key not in self._matches:
            wanted, folded = normalise(name), fold(name)
            exact = [o for o in organizations
                     if wanted in (normalise(o.name), normalise(o.short_name))]
            loose = exact or [o for o in organizations
                              if folded in (fold(o.name), fold(o.short_name))]
            self._matches[key] = ((loose[0], "") if len(loose) == 1
                                  else (None, ", ".join(sorted(o.name for o in loose))))
        return self._matches[key]

    def check(self, lines: Sequence[Line]) -> tuple[list[Record], list[Refusal], list[Refusal]]:
        """(records to import, refused lines, lines already imported as they are) of one
        batch. Reads: the conferences named and the source ids already imported, one query
        each."""
        records: list[Record] = []
        refused: list[Refusal] = []
        for line in lines:
            record = self._record(line)
            if isinstance(record, Refusal):
                refused.append(record)
            else:
                records.append(record)
        conference_ids = {r.conference_id for r in records if r.conference_id is not None}
        known = set(self.session.exec(select(PressConference.id).where(
            col(PressConference.id).in_(conference_ids)))) if conference_ids else set()
        kept = []
        for record in records:
            if record.conference_id is not None and record.conference_id not in known:
                refused.append(Refusal(record.number, record.source_id,
                                       f"unknown conference {record.conference_id}"))
            else:
                kept.append(record)
        kept, already, differing = self._new_only(kept)
        refused.extend(differing)
        refused.sort(key=lambda r: r.number)
        return kept, refused, already

    def _new_only(self, records: list[Record]) -> tuple[list[Record], list[Refusal], list[Refusal]]:
        """Records whose source id is not imported yet; those imported with the same content
        (nothing to do) and those imported with a different one (refused)."""
        if not records:
            return [], [], []
        stored = {q.source_id: (q, a, o) for q, a, o in self.session.exec(
            select(Question, Answer, Outlet)
            .join(Answer, col(Answer.question_id) == Question.id)
            .join(Outlet, col(Outlet.id) == Question.outlet_id)
            .where(col(Question.source_id).in_([r.source_id for r in records])))}
        new, same, differing = [], [], []
        for record in records:
            found = stored.get(record.source_id)
            if found is None:
                new.append(record)
            elif _same(record, *found):
                same.append(Refusal(record.number, record.source_id, "already imported"))
            else:
                differing.append(Refusal(record.number, record.source_id,
                                         "already imported, differs (the stored record is "
                                         "kept; correct it in Pressroom)"))
        return new, same, differing

    def _record(self, line: Line) -> Record | Refusal:
        raw_id = line.values.get("source_id")
        source_id = clean(str(raw_id)) if isinstance(raw_id, str | int) else ""

        def refuse(reason: str) -> Refusal:
            return Refusal(line.number, source_id[:200], reason)

        if line.problem:
            return refuse(line.problem)
        values: dict[str, str] = {}
        unknown = sorted(str(k) for k in line.values if k not in FIELDS)
        if unknown:
            return refuse(f"unknown field: {', '.join(unknown)}")
        for name in FIELDS:
            value = line.values.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and name in (
                    "source_id", "conference"):
                value = str(value)
            if value is not None and not isinstance(value, str):
                return refuse(f"{name} is not text")
            values[name] = clean(value)
        missing = [name for name in REQUIRED if not values[name]]
        if missing:
            empty = [n for n in missing if n in ("question", "answer") and n in line.values]
            if empty and len(empty) == len(missing):
                return refuse(f"empty text: {', '.join(empty)}")
            return refuse(f"missing field: {', '.join(missing)}")
        too_long = [n for n, limit in LIMITS.items() if len(values[n]) > limit]
        if too_long:
            return refuse("text too long: " + ", ".join(
                f"{n} (over {LIMITS[n]:,} characters)" for n in too_long))
        if source_id in self.seen:
            return refuse(f"duplicate source id within the file (first on line "
                          f"{self.seen[source_id]})")
        self.seen[source_id] = line.number
        moments = {}
        for name in ("asked_at", "answered_at"):
            moment = parse_moment(values[name])
            if moment is None:
                return refuse(f"bad date in {name}: {values[name][:40]!r} (ISO 8601, e.g. "
                              "2024-03-05 or 2024-03-05T14:30:00+07:00)")
            if moment > now():
                return refuse(f"date in the future: {name}")
            moments[name] = moment
        if moments["answered_at"] < moments["asked_at"]:
            return refuse("answered before asked")
        ministry, problem = self.ministry(values["ministry"])
        if ministry is None:
            return refuse(problem)
        if self.scope is not None and ministry.id not in self.scope:
            return refuse(f"{ministry.name} is not your organisation")
        unit: Organization | None = ministry
        if values["unit"]:
            unit, problem = self.unit(ministry, values["unit"])
            if unit is None:
                return refuse(problem)
        conference: int | None = None
        if values["conference"]:
            if not values["conference"].isdigit() or len(values["conference"]) > 9:
                return refuse(f"conference must be a conference's number: "
                              f"{values['conference'][:40]!r}")
            conference = int(values["conference"])
        return Record(
            number=line.number, source_id=source_id, ministry_id=ministry.id or 0,
            unit_id=(unit or ministry).id or 0, outlet=values["outlet"], asker=values["asker"],
            asked_at=moments["asked_at"], answered_at=moments["answered_at"],
            title=values["title"] or _title_of(values["question"]), question=values["question"],
            answer=values["answer"], conference_id=conference)


def _same(record: Record, question: Question, answer: Answer, outlet: Outlet) -> bool:
    return (question.title, question.body, answer.body, question.asker_name,
            question.addressed_to_id, answer.unit_id, question.conference_id, normalise(outlet.name),
            question.created_at, question.published_at) == (
        record.title, record.question, record.answer, record.asker, record.ministry_id,
        record.unit_id, record.conference_id, normalise(record.outlet), record.asked_at,
        record.answered_at)


def batches(lines: Sequence[Line], size: int) -> Iterator[Sequence[Line]]:
    for start in range(0, len(lines), size):
        yield lines[start:start + size]
