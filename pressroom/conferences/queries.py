"""Reads of conferences, scoped by who is asking."""

from __future__ import annotations

from sqlalchemy import column, table
from sqlmodel import Session, col, select

from pressroom.accounts.models import User
from pressroom.conferences.enums import PUBLIC_STATUSES, ConferenceStatus
from pressroom.conferences.models import ConferenceParticipant, PressConference, TranscriptTurn
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import scope_of


def public_conference(session: Session, conference_id: int) -> PressConference:
    """A conference anyone may see (announced, held or with its transcript out); else NotFound."""
    conference = session.get(PressConference, conference_id)
    if conference is None or conference.status not in PUBLIC_STATUSES:
        raise NotFound(_("Press conference not found."))
    return conference


def upcoming_public(session: Session, limit: int = 10) -> list[PressConference]:
    return list(
        session.exec(
            select(PressConference)
            .where(
                PressConference.status == ConferenceStatus.ANNOUNCED,
                PressConference.ends_at > now(),
            )
            .order_by(col(PressConference.starts_at))
            .limit(limit)
        )
    )


def recent_public(session: Session, limit: int = 10, offset: int = 0) -> list[PressConference]:
    return list(
        session.exec(
            select(PressConference)
            .where(
                col(PressConference.status).in_(PUBLIC_STATUSES), PressConference.starts_at <= now()
            )
            .order_by(col(PressConference.starts_at).desc())
            .offset(offset)
            .limit(limit)
        )
    )


def all_public(session: Session, limit: int, offset: int) -> list[PressConference]:
    return list(
        session.exec(
            select(PressConference)
            .where(col(PressConference.status).in_(PUBLIC_STATUSES))
            .order_by(col(PressConference.starts_at).desc())
            .offset(offset)
            .limit(limit)
        )
    )


def open_for_questions(session: Session) -> list[PressConference]:
    """Announced conferences that have not ended: journalists may send questions for them."""
    return upcoming_public(session, limit=100)


def managed_by(session: Session, user: User) -> list[PressConference]:
    scope = scope_of(session, user.id or 0)
    return list(
        session.exec(
            select(PressConference)
            .where(col(PressConference.host_organization_id).in_(scope))
            .order_by(col(PressConference.starts_at).desc())
        )
    )


def managed_conference(session: Session, user: User, conference_id: int) -> PressConference:
    conference = session.get(PressConference, conference_id)
    if conference is None or conference.host_organization_id not in scope_of(session, user.id or 0):
        raise NotFound(_("Press conference not found."))
    return conference


def participants(session: Session, conference_id: int) -> list[Organization]:
    return list(
        session.exec(
            select(Organization)
            .join(ConferenceParticipant,
                  ConferenceParticipant.organization_id == Organization.id)  # type: ignore[arg-type]
            .where(ConferenceParticipant.conference_id == conference_id)
            .order_by(col(Organization.name))
        )
    )


def participants_by_conference(
    session: Session, conference_ids: list[int]
) -> dict[int, list[Organization]]:
    """Participants of many conferences in one query (list pages)."""
    result: dict[int, list[Organization]] = {cid: [] for cid in conference_ids}
    rows = session.exec(
        select(ConferenceParticipant.conference_id, Organization)
        .join(Organization, ConferenceParticipant.organization_id == Organization.id)  # type: ignore[arg-type]
        .where(col(ConferenceParticipant.conference_id).in_(conference_ids))
        .order_by(col(Organization.name))
    )
    for conference_id, org in rows:
        result[conference_id].append(org)
    return result


def transcript(session: Session, conference_id: int) -> list[TranscriptTurn]:
    return list(
        session.exec(
            select(TranscriptTurn)
            .where(TranscriptTurn.conference_id == conference_id)
            .order_by(col(TranscriptTurn.position))
        )
    )


def transcripts_to_render(session: Session) -> list[PressConference]:
    return list(
        session.exec(
            select(PressConference).where(
                PressConference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED
            )
        )
    )


_question = table("question", column("id"), column("title"), column("conference_id"))


def question_choices(session: Session, conference_id: int) -> list[tuple[str, str]]:
    """The questions asked at a conference, to link transcript turns to them. The questions
    domain sits above this one, so this reads its table, not its model."""
    rows = session.execute(
        select(_question.c.id, _question.c.title)
        .where(_question.c.conference_id == conference_id)
        .order_by(_question.c.id)
    )
    return [(str(qid), f"#{qid} {title}") for qid, title in rows]


def conferences_by_id(session: Session, ids: set[int]) -> dict[int, PressConference]:
    """Many conferences in one query (list pages)."""
    if not ids:
        return {}
    rows = session.exec(select(PressConference).where(col(PressConference.id).in_(ids)))
    return {c.id or 0: c for c in rows}
