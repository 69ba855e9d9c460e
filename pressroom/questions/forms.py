"""Form handling for question pages."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from pressroom.core.formtools import text_of, validate
from pressroom.questions.schemas import QuestionCreate


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: text_of(form, name) for name in names}


def question_form(form: FormData) -> tuple[QuestionCreate | None, dict[str, Any], dict[str, str]]:
    raw = _values(form, ("title", "body", "conference_id", "addressed_to_id"))
    data = {**raw, "conference_id": raw["conference_id"] or None,
            "addressed_to_id": raw["addressed_to_id"] or None}
    model, errors = validate(QuestionCreate, data)
    return model, raw, errors
