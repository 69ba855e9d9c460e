"""Form handling for the conference pages: raw form values ↔ schemas."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from pressroom.conferences.models import PressConference
from pressroom.conferences.schemas import ConferenceCreate, TranscriptIn, TurnIn
from pressroom.conferences.transcript_import import MAX_FILE_BYTES, ImportedTurn
from pressroom.core.formtools import local_datetime, local_input, text_of, validate
from pressroom.core.i18n import fmt_offset
from pressroom.core.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)

FIELDS = ("title", "host_organization_id", "starts_at", "ends_at", "venue", "livestream_url",
          "description", "capacity")


def conference_form(form: FormData) -> tuple[ConferenceCreate | None, dict[str, Any], dict[str, str]]:
    raw: dict[str, Any] = {name: text_of(form, name) for name in FIELDS}
    raw["participant_ids"] = [v for v in form.getlist("participant_ids") if isinstance(v, str)]
    data = {**raw, "starts_at": local_datetime(raw["starts_at"]),
            "ends_at": local_datetime(raw["ends_at"])}
    for optional in ("host_organization_id", "capacity"):
        if not raw[optional]:
            data[optional] = None
    model, errors = validate(ConferenceCreate, data)
    return model, raw, _end_after_start(errors)


def _end_after_start(errors: dict[str, str]) -> dict[str, str]:
    """The one rule across fields of a conference's times, shown at its end."""
    if errors.pop("__all__", None) is not None:
        errors["ends_at"] = _("End must be after the start.")
    return errors


def change_form(schema: type[M], form: FormData) -> tuple[M | None, dict[str, Any], dict[str, str]]:
    """A cancellation or postponement: the reason and, to postpone, the new times."""
    raw = {name: text_of(form, name) for name in ("reason", "starts_at", "ends_at")}
    model, errors = validate(schema, {**raw, "starts_at": local_datetime(raw["starts_at"]),
                                      "ends_at": local_datetime(raw["ends_at"])})
    return model, raw, _end_after_start(errors)


def conference_values(conference: PressConference, participant_ids: list[int]) -> dict[str, Any]:
    return {
        "title": conference.title,
        "host_organization_id": str(conference.host_organization_id),
        "starts_at": local_input(conference.starts_at),
        "ends_at": local_input(conference.ends_at),
        "venue": conference.venue,
        "livestream_url": conference.livestream_url,
        "description": conference.description,
        "capacity": str(conference.capacity or ""),
        "participant_ids": [str(i) for i in participant_ids],
    }


def rebase(raw: dict[str, Any], current: dict[str, Any], before: dict[str, Any]
           ) -> dict[str, Any]:
    """The user's refused form after someone else saved the conference: a field the user left
    as it was read takes the other save's value; a field the user changed keeps theirs. So
    sending the form again applies both changes. ``before``: stored values as first read
    (core.audit.values_before); ``current``: the conference's form values now."""
    merged = dict(raw)
    for field, old in before.items():
        if field not in merged:
            continue
        if field in ("starts_at", "ends_at"):
            was: Any = local_input(datetime.fromisoformat(old)) if old else ""
        elif field == "participant_ids":
            was = sorted(str(i) for i in old or [])
            if sorted(merged[field]) == was:
                merged[field] = current[field]
            continue
        else:
            was = "" if old is None else str(old)
        if merged[field] == was:
            merged[field] = current[field]
    return merged


_TURN_FIELD = re.compile(r"^turns-(\d{1,4})-(speaker_name|speaker_role|text|offset|question_id)$")


def _offset(value: str) -> int | str | None:
    """"mm:ss", "h:mm:ss" or seconds; anything else is left for the schema to reject."""
    value = value.strip()
    if not value:
        return None
    parts = value.split(":")
    if all(p.isascii() and p.isdigit() and len(p) <= 6 for p in parts) and 1 <= len(parts) <= 3:
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part)
        return seconds
    return value


def transcript_form(
    form: FormData,
) -> tuple[TranscriptIn | None, list[dict[str, str]], str, dict[str, str]]:
    """Reads rows ``turns-N-field``, rows left completely empty dropped, and the recording's
    address. Returns the transcript, the rows and the address as sent, and the errors, keyed
    ``turns-<row>-<field>`` (row counted from 0 after dropping empty rows), ``turns`` and
    ``recording_url``."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.multi_items():
        match = _TURN_FIELD.match(key)
        if match and isinstance(value, str) and int(match.group(1)) < 2000:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = value
    turns = [row for _i, row in sorted(rows.items()) if any(v.strip() for v in row.values())]
    errors: dict[str, str] = {}
    parsed: list[TurnIn] = []
    for index, row in enumerate(turns):
        turn, turn_errors = validate(TurnIn, {
            "speaker_name": row.get("speaker_name", ""),
            "speaker_role": row.get("speaker_role", ""),
            "text": row.get("text", ""),
            "offset_seconds": _offset(row.get("offset", "")),
            "question_id": row.get("question_id") or None,
        })
        for field, message in turn_errors.items():
            if field == "offset_seconds":
                field, message = "offset", _("Time: write it as h:mm:ss, e.g. 0:05:30 or "
                                             "1:12:40.")
            errors[f"turns-{index}-{field}"] = message
        if turn is not None:
            parsed.append(turn)
    if not turns:
        errors["turns"] = _("Enter at least one turn with the speaker's name and the text.")
    elif errors:
        errors["turns"] = _("Some turns are incomplete: each needs a speaker and a text.")
    recording = text_of(form, "recording_url")
    _checked, recording_errors = validate(TranscriptIn, {"turns": [], "recording_url": recording})
    if "recording_url" in recording_errors:
        errors["recording_url"] = recording_errors["recording_url"]
    if errors:
        return None, turns, recording, errors
    return TranscriptIn(turns=parsed, recording_url=recording), turns, recording, errors


offset_text = fmt_offset


def transcript_upload(form: FormData) -> tuple[str, bytes] | None:
    """The transcript file sent, if any (read up to one byte over the limit, which the
    importer then refuses by name)."""
    sent = form.get("transcript_file")
    if isinstance(sent, UploadFile) and sent.filename:
        return sent.filename, sent.file.read(MAX_FILE_BYTES + 1)
    return None


def imported_rows(turns: list[ImportedTurn]) -> list[dict[str, str]]:
    """Imported turns as rows of the transcript editor, to check before saving."""
    return [{"speaker_name": t.speaker_name, "speaker_role": "", "text": t.text,
             "offset": offset_text(t.offset_seconds), "question_id": ""} for t in turns]
