"""Form models of the organisation and membership pages."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, StringConstraints

from pressroom.accounts.enums import Role
from pressroom.core.schemas import Text200, clean_text


class UserCreateForm(BaseModel):
    email: Text200
    full_name: Text200
    password: Text200
    role: Role
    organization_id: int | None = None
    outlet_name: Annotated[str, BeforeValidator(clean_text), StringConstraints(max_length=200)] = ""
    press_card_number: Annotated[
        str, BeforeValidator(clean_text), StringConstraints(max_length=40)] = ""
