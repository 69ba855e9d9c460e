"""Reads of alert subscriptions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_
from sqlmodel import Session, col, select

from pressroom.alerts.enums import AlertTarget
from pressroom.alerts.models import AlertedItem, AlertSubscription
from pressroom.core.security import token_digest


def waiting_for(session: Session, token: str) -> AlertSubscription | None:
    """The unconfirmed subscription whose confirmation link carries ``token`` (expired or
    not), or None."""
    return session.exec(select(AlertSubscription).where(
        AlertSubscription.confirm_digest == token_digest(token))).first()


def followers(session: Session, *, organization_id: int | None,
              conference_id: int | None) -> list[AlertSubscription]:
    """The confirmed subscriptions to this ministry or conference, and to every search
    (matched by the caller), oldest first."""
    wanted = [col(AlertSubscription.target) == AlertTarget.SEARCH]
    if organization_id is not None:
        wanted.append((col(AlertSubscription.target) == AlertTarget.MINISTRY)
                      & (col(AlertSubscription.organization_id) == organization_id))
    if conference_id is not None:
        wanted.append((col(AlertSubscription.target) == AlertTarget.CONFERENCE)
                      & (col(AlertSubscription.conference_id) == conference_id))
    return list(session.exec(select(AlertSubscription).where(
        col(AlertSubscription.confirmed_at).is_not(None), or_(*wanted))
        .order_by(col(AlertSubscription.id))))


def alerted(session: Session, kind: str, ref_ids: Sequence[int]) -> set[int]:
    """Which of these things (of ``kind``) their followers were already told of."""
    if not ref_ids:
        return set()
    return set(session.exec(select(AlertedItem.ref_id).where(
        AlertedItem.kind == kind, col(AlertedItem.ref_id).in_(list(ref_ids)))))
