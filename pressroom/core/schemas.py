"""Reusable pydantic field types: NFC-normalised, trimmed text with length limits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from pressroom.core.text import clean

MAX_ID = 2**31 - 1
"""The largest id a row can have (a 32-bit integer column on PostgreSQL)."""

RefId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A reference to a row in a request body: beyond the column's range it is refused as out of
range, never sent to the database."""

RowVersion = Annotated[int, Field(
    description="Row version (also the ETag): send it back as If-Match to change the object, "
                "so that a change made meanwhile is never overwritten (412).")]


def clean_text(value: object) -> object:
    """Text NFC-normalised and trimmed; anything else left for the field's type to refuse."""
    return clean(value) if isinstance(value, str) else value


EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)
"""Times outside these are refused: far enough from year 1 and 9999 that storing them in UTC
and showing them in any time zone never overflows Python's datetime (a 500 otherwise)."""


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time zone is required (e.g. 2026-12-03T09:00:00+07:00)")
    try:
        in_range = EARLIEST <= value.astimezone(UTC) < LATEST
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        # "datetime_…": formtools.rule_message answers "Enter a valid date and time."
        raise PydanticCustomError("datetime_out_of_range",
                                  "the time must lie between the years 1900 and 9000")
    return value


Text300 = Annotated[str, BeforeValidator(clean_text), StringConstraints(min_length=1, max_length=300)]
Text200 = Annotated[str, BeforeValidator(clean_text), StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[
    str, BeforeValidator(clean_text), StringConstraints(min_length=1, max_length=20000)
]
OptionalText = Annotated[str, BeforeValidator(clean_text), StringConstraints(max_length=20000)]
AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
