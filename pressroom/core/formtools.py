"""Turning submitted form values into validated schemas with messages in the user's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone

M = TypeVar("M", bound=BaseModel)


def rule_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("missing", "string_too_short", "too_short"):
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("Use at most %(max)s characters.", max=ctx.get("max_length", ""))
    if kind.startswith(("int_", "list_")):
        return _("Choose a value from the list.")
    if kind.startswith("date"):
        return _("Enter a valid date and time.")
    if kind.startswith(("greater_than", "less_than")):
        return _("This value is out of range.")
    return _("This value is not valid.")


def validate(schema: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The validated model, or None and one message per field (first error wins)."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc") or ("__all__",)
            errors.setdefault(str(loc[0]), rule_message(dict(error)))
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
