"""Form models of the organisation and membership pages."""

from __future__ import annotations

from pydantic import BaseModel

from pressroom.accounts.enums import Role
from pressroom.core.schemas import Text200


class UserCreateForm(BaseModel):
    email: Text200
    full_name: Text200
    password: Text200
    role: Role
    organization_id: int | None = None
    outlet_name: str = ""
    press_card_number: str = ""
