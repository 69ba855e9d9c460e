"""Form handling for question pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.datastructures import FormData

from pressroom.core.formtools import text_of, validate
from pressroom.core.i18n import gettext as _
from pressroom.core.schemas import MAX_ID
from pressroom.questions.schemas import AnswerDueDays, CalendarDayIn, QuestionCreate


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: text_of(form, name) for name in names}


def question_form(form: FormData) -> tuple[QuestionCreate | None, dict[str, Any], dict[str, str]]:
    raw = _values(form, ("title", "body", "conference_id", "addressed_to_id"))
    data = {**raw, "conference_id": raw["conference_id"] or None,
            "addressed_to_id": raw["addressed_to_id"] or None}
    model, errors = validate(QuestionCreate, data)
    return model, raw, errors


def calendar_day_form(form: FormData
                      ) -> tuple[CalendarDayIn | None, dict[str, Any], dict[str, str]]:
    raw = _values(form, ("day", "working", "note"))
    model, errors = validate(CalendarDayIn, {**raw, "day": raw["day"] or None,
                                             "working": raw["working"] or None})
    return model, raw, errors


def due_days_form(form: FormData) -> tuple[AnswerDueDays | None, dict[str, Any], dict[str, str]]:
    raw = _values(form, ("days",))
    model, errors = validate(AnswerDueDays, {"days": raw["days"].strip() or None})
    return model, raw, errors


def defer_form(form: FormData, live_id: int) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The unit and due date of a live question to be answered in writing (the queue names
    each field after its question)."""
    unit = text_of(form, f"unit_id-{live_id}")
    due = text_of(form, f"due_date-{live_id}")
    errors: dict[str, str] = {}
    if not unit.isdigit() or not 0 < int(unit) <= MAX_ID:
        errors["unit_id"] = _("Unit that answers: choose one of the options.")
    try:
        due_date = date.fromisoformat(due) if due else None
    except ValueError:
        errors["due_date"] = _("Due date: enter a valid date.")
    if errors:
        return None, errors
    return {"unit_id": int(unit), "due_date": due_date}, {}
