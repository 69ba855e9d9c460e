"""A transcript's versions and what changed between them, read from the event record: every
save that changed the transcript recorded its turns before and after (and the recording's
address when it changed), so the record is the history and nothing is stored twice."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from pressroom.conferences.models import PressConference
from pressroom.core.audit import Event
from pressroom.core.wordiff import Op, word_diff

TRANSCRIPT_SAVED = "conference.transcript_saved"
"""The event of a save that changed the transcript (one per version)."""

Turn = dict[str, Any]
"""A turn as the event keeps it: speaker_name, speaker_role, text, offset_seconds,
question_id."""


@dataclass(frozen=True)
class TranscriptVersion:
    number: int
    at: datetime
    actor_name: str
    turns: list[Turn]
    recording_url: str


def _saves(conference: PressConference) -> tuple[Any, ...]:
    return (col(Event.subject_type) == PressConference.__tablename__,
            col(Event.subject_id) == conference.id, col(Event.action) == TRANSCRIPT_SAVED)


def version_count(session: Session, conference: PressConference) -> int:
    """How many versions the transcript has (without reading them)."""
    return int(session.execute(select(func.count()).select_from(Event)
                               .where(*_saves(conference))).scalar_one())


def transcript_versions(session: Session, conference: PressConference) -> list[TranscriptVersion]:
    """Every saved version of the conference's transcript, the first first."""
    events = session.exec(select(Event).where(*_saves(conference)).order_by(col(Event.id))).all()
    versions: list[TranscriptVersion] = []
    turns: list[Turn] = []
    recording = ""
    for number, event in enumerate(events, start=1):
        changes = json.loads(event.changes)
        turns = changes["turns"][1] if "turns" in changes else turns
        recording = (changes["recording_url"][1] or "") if "recording_url" in changes else recording
        versions.append(TranscriptVersion(number=number, at=event.at, actor_name=event.actor_name,
                                          turns=turns, recording_url=recording))
    return versions


@dataclass(frozen=True)
class TurnChange:
    """One turn of the newer version against the older: ``kind`` is added, removed or
    changed; ``words`` a changed turn's text as runs kept, deleted and inserted."""

    kind: str
    number: int  # its place in the version it belongs to (the older one when removed)
    before: Turn | None
    after: Turn | None
    words: list[tuple[Op, str]] = field(default_factory=list)

    @property
    def head_changed(self) -> bool:
        return (self.before is not None and self.after is not None
                and _head(self.before) != _head(self.after))


@dataclass(frozen=True)
class VersionDiff:
    changes: list[TurnChange]
    unchanged: int
    recording: tuple[str, str] | None  # (before, after) when the address changed

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def _head(turn: Turn) -> tuple[Any, ...]:
    return (turn.get("speaker_name"), turn.get("speaker_role"), turn.get("offset_seconds"),
            turn.get("question_id"))


def _key(turn: Turn) -> tuple[Any, ...]:
    return (*_head(turn), turn.get("text"))


def diff_versions(before: TranscriptVersion | None, after: TranscriptVersion) -> VersionDiff:
    """What ``after`` changed in ``before`` (everything added when it is the first): turns
    matched in order, a changed turn's text compared word by word."""
    old = before.turns if before is not None else []
    new = after.turns
    changes: list[TurnChange] = []
    unchanged = 0
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in old], [_key(t) for t in new],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            a, b = old[i1 + k], new[j1 + k]
            changes.append(TurnChange("changed", j1 + k + 1, a, b,
                                      word_diff(a.get("text") or "", b.get("text") or "")))
        for k in range(i1 + paired, i2):
            changes.append(TurnChange("removed", k + 1, old[k], None))
        for k in range(j1 + paired, j2):
            changes.append(TurnChange("added", k + 1, None, new[k]))
    old_recording = before.recording_url if before is not None else ""
    recording = ((old_recording, after.recording_url)
                 if old_recording != after.recording_url else None)
    return VersionDiff(changes=changes, unchanged=unchanged, recording=recording)
