"""Reads of accounts."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pressroom.accounts.models import Outlet, User


def all_users(session: Session, limit: int, offset: int) -> list[tuple[User, Outlet | None]]:
    rows = session.exec(
        select(User, Outlet)
        .join(Outlet, Outlet.id == User.outlet_id, isouter=True)  # type: ignore[arg-type]
        .order_by(col(User.role), col(User.full_name))
        .offset(offset)
        .limit(limit)
    )
    return list(rows.all())


def outlet_of(session: Session, user: User) -> Outlet | None:
    return session.get(Outlet, user.outlet_id) if user.outlet_id else None


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    """Many users in one query (list pages)."""
    if not ids:
        return {}
    return {u.id or 0: u for u in session.exec(select(User).where(col(User.id).in_(ids)))}
