"""Reads of conferences, scoped by who is asking."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, column, func, or_, table
from sqlmodel import Session, col, select

from pressroom.accounts.models import User
from pressroom.conferences.enums import PUBLIC_STATUSES, UPCOMING_STATUSES, ConferenceStatus
from pressroom.conferences.models import ConferenceParticipant, PressConference, TranscriptTurn
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import scope_of


def _public() -> ColumnElement[bool]:
    """Announced, postponed, held or with its transcript out, or cancelled after it was
    announced (its page stays, saying so)."""
    return or_(col(PressConference.status).in_(PUBLIC_STATUSES),
               and_(col(PressConference.status) == ConferenceStatus.CANCELLED,
                    col(PressConference.announced_at).is_not(None)))


def is_public(conference: PressConference) -> bool:
    return conference.status in PUBLIC_STATUSES or (
        conference.status == ConferenceStatus.CANCELLED and conference.announced_at is not None)


def public_conference(session: Session, conference_id: int) -> PressConference:
    """A conference anyone may see (see ``_public``); else NotFound."""
    conference = session.get(PressConference, conference_id)
    if conference is None or not is_public(conference):
        raise NotFound(_("Press conference not found."))
    return conference


def upcoming_public(session: Session, limit: int = 10) -> list[PressConference]:
    return list(
        session.exec(
            select(PressConference)
            .where(
                col(PressConference.status).in_(UPCOMING_STATUSES),
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
                _public(), PressConference.starts_at <= now()
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
            .where(_public())
            .order_by(col(PressConference.starts_at).desc())
            .offset(offset)
            .limit(limit)
        )
    )


def open_for_questions(session: Session) -> list[PressConference]:
    """Announced or postponed conferences that have not ended: journalists may send questions
    for them."""
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


_question = table("question", column("id"), column("title"), column("conference_id"),
                  column("state"))
PENDING_QUESTION_STATES = ("submitted", "accepted", "assigned")


def pending_question_count(session: Session, conference_id: int) -> int:
    """Questions asked for the conference and not yet answered or declined (they become
    written questions if it is cancelled)."""
    return int(session.execute(
        select(func.count()).select_from(_question).where(
            _question.c.conference_id == conference_id,
            _question.c.state.in_(PENDING_QUESTION_STATES))
    ).scalar_one())


def question_choices(session: Session, conference_id: int) -> list[tuple[str, str]]:
    """The questions asked at a conference that a transcript turn can answer (not declined
    ones), to link turns to them. The questions domain sits above this one, so this reads
    its table, not its model."""
    rows = session.execute(
        select(_question.c.id, _question.c.title)
        .where(_question.c.conference_id == conference_id, _question.c.state != "rejected")
        .order_by(_question.c.id)
    )
    return [(str(qid), f"#{qid} {title}") for qid, title in rows]


def conferences_by_id(session: Session, ids: set[int]) -> dict[int, PressConference]:
    """Many conferences in one query (list pages)."""
    if not ids:
        return {}
    rows = session.exec(select(PressConference).where(col(PressConference.id).in_(ids)))
    return {c.id or 0: c for c in rows}
