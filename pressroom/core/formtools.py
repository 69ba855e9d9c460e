"""Turning submitted form values into validated schemas with messages in the user's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import lazy, local_zone

M = TypeVar("M", bound=BaseModel)


# What each form field is called, for messages that name it ("Title: required.") and for
# the record of changes. Field names are shared across forms (one name, one meaning).
FIELD_LABELS = {
    "title": lazy("Title"),
    "body": lazy("Text"),
    "state": lazy("State"),
    "status": lazy("Status"),
    "review_comment": lazy("Comment"),
    "rejection_reason": lazy("Message to the journalist"),
    "decline_ground": lazy("Ground for declining"),
    "ground": lazy("Ground for declining"),
    "merged_into_id": lazy("Merged into"),
    "into_id": lazy("Question to merge into"),
    "message": lazy("Message to the journalist"),
    "starts_at": lazy("Starts"),
    "ends_at": lazy("Ends"),
    "venue": lazy("Venue"),
    "description": lazy("Description"),
    "livestream_url": lazy("Livestream address"),
    "recording_url": lazy("Recording address"),
    "due_date": lazy("Due date"),
    "answer_by": lazy("Answer by"),
    "urgent_hours": lazy("Hours to answer"),
    "due_at": lazy("Due at"),
    "extended_to": lazy("New due date"),
    "holding_until": lazy("Holding reply: answer by"),
    "holding_message": lazy("Holding reply"),
    "extended_from": lazy("Due date before the extension"),
    "extension_reason": lazy("Reason for the extension"),
    "unit_id": lazy("Unit"),
    "helper_unit_ids": lazy("Helper units"),
    "backup_officer_id": lazy("Backup officer"),
    "officer_id": lazy("Backup officer"),
    "note": lazy("Note"),
    "published_at": lazy("Publication time"),
    "approved_at": lazy("Approved at"),
    "turns": lazy("Transcript turns"),
    "participant_ids": lazy("Participating ministries"),
    "email": lazy("E-mail"),
    "reason": lazy("Reason"),
    "speaker_name": lazy("Speaker"),
    "speaker_role": lazy("Role or title"),
    "offset_seconds": lazy("Time"),
    "offset": lazy("Time"),
    "question_id": lazy("Question"),
    "conference_id": lazy("Press conference"),
    "comment": lazy("Comment"),
    "text": lazy("Internal comment"),
    "password": lazy("Password"),
    "outlet_name": lazy("Press agency"),
    "publish_at": lazy("Publication time"),
    "full_name": lazy("Full name"),
    "role": lazy("Role"),
    "is_active": lazy("Active"),
    "organization_id": lazy("Organisation"),
    "host_organization_id": lazy("Host"),
    "addressed_to_id": lazy("Addressed to"),
    "outlet_id": lazy("Press agency"),
    "press_card_number": lazy("Press card number"),
    "transcript_published_at": lazy("Transcript published at"),
    "transcript_version": lazy("Transcript version"),
    "version": lazy("Version"),
    "corrected_at": lazy("Corrected at"),
    "capacity": lazy("Places for journalists"),
    "position": lazy("Place in the queue"),
    "highlighted": lazy("Highlighted"),
    "moderated_at": lazy("Moderated at"),
    "schedule_sequence": lazy("Calendar revision"),
    "live_started_at": lazy("Went live at"),
    "live_ended_at": lazy("Ended at"),
    "journalist_id": lazy("Journalist"),
    "requested_at": lazy("Registered at"),
    "decided_at": lazy("Decided at"),
    "decided_by_id": lazy("Decided by"),
    "correction_reason": lazy("Reason for the correction"),
    "transcript_file": lazy("Transcript file"),
}


def rule_message(error: dict[str, Any], field: str | None = None) -> str:
    """The rule ``error`` broke, in the user's language; naming the field when it has a
    label ("Title: required."), as a sentence of its own otherwise (the API's list)."""
    label = FIELD_LABELS.get(field or "")
    if label is None:
        return _rule(error)
    return _("%(field)s: %(rule)s", field=_(label), rule=_rule(error, named=True))


def _rule(error: dict[str, Any], named: bool = False) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "too_short"):
        return _("required.") if named else _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        maximum = ctx.get("max_length", "")
        return (_("at most %(max)s characters.", max=maximum) if named
                else _("Use at most %(max)s characters.", max=maximum))
    if kind.startswith(("int_", "list_", "enum")):
        return _("choose one of the options.") if named else _("Choose a value from the list.")
    if kind.startswith("date"):
        return (_("enter a valid date and time.") if named
                else _("Enter a valid date and time."))
    if named and kind == "greater_than_equal":
        return _("at least %(min)s.", min=ctx.get("ge", ""))
    if named and kind == "less_than_equal":
        return _("at most %(max)s.", max=ctx.get("le", ""))
    if kind.startswith(("greater_than", "less_than")):
        return _("out of the allowed range.") if named else _("This value is out of range.")
    return _("not valid.") if named else _("This value is not valid.")


def text_of(form: Mapping[str, Any], name: str) -> str:
    """A form field's text; a file sent in its place (or nothing) reads as empty."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def validate(schema: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The validated model, or None and one message per field naming it (first error wins)."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc") or ("__all__",)
            errors.setdefault(str(loc[0]), rule_message(dict(error), str(loc[0])))
        return None, errors


def local_datetime(value: str | None) -> datetime | str | None:
    """An ``<input type=datetime-local>`` value read in the configured time zone."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=local_zone())
    except ValueError:
        return value  # left for the schema to reject with a field message


def local_input(value: datetime | None) -> str:
    """A stored UTC datetime as the value of a datetime-local input."""
    return value.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M") if value else ""
