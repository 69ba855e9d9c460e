"""Form of the notifications page: how the user gets mail, and in which language."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from starlette.datastructures import FormData

from pressroom.core.formtools import text_of, validate
from pressroom.notifications.enums import Delivery


class PreferenceForm(BaseModel):
    delivery: Delivery
    locale: Literal["vi", "en"]


def preference_form(form: FormData) -> tuple[PreferenceForm | None, dict[str, Any], dict[str, str]]:
    raw = {name: text_of(form, name) for name in ("delivery", "locale")}
    model, errors = validate(PreferenceForm, raw)
    return model, raw, errors
