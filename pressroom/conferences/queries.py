"""Reads of conferences, scoped by who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, column, func, or_, table, true
from sqlmodel import Session, col, select

from pressroom.accounts.models import Outlet, User
from pressroom.conferences.enums import (
    PUBLIC_STATUSES,
    SHOWN_LIVE,
    UPCOMING_STATUSES,
    AccreditationStatus,
    ConferenceStatus,
    LiveQuestionStatus,
)
from pressroom.conferences.models import (
    Accreditation,
    ConferenceParticipant,
    LiveQuestion,
    PressConference,
    TranscriptTurn,
    TrustedOutlet,
)
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.organizations.models import Organization, Spokesperson
from pressroom.organizations.queries import scope_of
from pressroom.search import index


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


def _hosted_by(host_id: int | None) -> ColumnElement[bool]:
    return true() if host_id is None else col(PressConference.host_organization_id) == host_id


def upcoming_public(session: Session, limit: int, *,
                    host_id: int | None = None) -> list[PressConference]:
    """Announced or postponed conferences that have not ended, soonest first (``host_id``'s
    only, if given)."""
    return list(
        session.exec(
            select(PressConference)
            .where(
                col(PressConference.status).in_(UPCOMING_STATUSES),
                PressConference.ends_at > now(),
                _hosted_by(host_id),
            )
            .order_by(col(PressConference.starts_at))
            .limit(limit)
        )
    )


def recent_public(session: Session, limit: int, *,
                  host_id: int | None = None) -> list[PressConference]:
    """Public conferences that have begun, latest first (``host_id``'s only, if given)."""
    return list(
        session.exec(
            select(PressConference)
            .where(
                _public(), PressConference.starts_at <= now(), _hosted_by(host_id)
            )
            .order_by(col(PressConference.starts_at).desc())
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


def speaker_choices(session: Session, conference: PressConference) -> list[tuple[str, str]]:
    """Who the transcript editor offers as speakers, as (name, role): the host's and the
    participants' spokespersons, the host's first (any other speaker is typed)."""
    ids = [conference.host_organization_id,
           *(org.id or 0 for org in participants(session, conference.id or 0))]
    found = session.exec(
        select(Spokesperson).where(col(Spokesperson.organization_id).in_(ids))
        .order_by(col(Spokesperson.is_deputy), col(Spokesperson.full_name))).all()
    ordered = sorted(found, key=lambda person: ids.index(person.organization_id))
    return list(dict.fromkeys((person.full_name, person.title) for person in ordered))


def transcript(session: Session, conference_id: int) -> list[TranscriptTurn]:
    return list(
        session.exec(
            select(TranscriptTurn)
            .where(TranscriptTurn.conference_id == conference_id)
            .order_by(col(TranscriptTurn.position))
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


def accreditation_of(session: Session, conference_id: int, journalist_id: int
                     ) -> Accreditation | None:
    """The journalist's own registration for the conference, if any."""
    return session.exec(select(Accreditation).where(
        Accreditation.conference_id == conference_id,
        Accreditation.journalist_id == journalist_id)).first()


def accreditations(session: Session, conference_id: int
                   ) -> list[tuple[Accreditation, User, Outlet | None]]:
    """Every registration for a conference with its journalist and outlet, pending first,
    then by outlet and name (the press office's list and the door list)."""
    order = {AccreditationStatus.PENDING: 0, AccreditationStatus.APPROVED: 1,
             AccreditationStatus.DECLINED: 2}
    rows = session.exec(
        select(Accreditation, User, Outlet)
        .join(User, Accreditation.journalist_id == User.id)  # type: ignore[arg-type]
        .outerjoin(Outlet, User.outlet_id == Outlet.id)  # type: ignore[arg-type]
        .where(Accreditation.conference_id == conference_id)
    ).all()
    return sorted(((a, u, o) for a, u, o in rows),
                  key=lambda r: (order[r[0].status], r[2].name if r[2] else "", r[1].full_name))


def _of_managed_conference(session: Session, user: User, row: Any) -> bool:
    """Whether ``row`` (with a conference_id) belongs to a conference the user manages."""
    conference = session.get(PressConference, row.conference_id)
    return conference is not None and conference.host_organization_id in scope_of(
        session, user.id or 0)


def managed_accreditation(session: Session, user: User, accreditation_id: int) -> Accreditation:
    """A registration for a conference the user manages; else NotFound."""
    found = session.get(Accreditation, accreditation_id)
    if found is None or not _of_managed_conference(session, user, found):
        raise NotFound(_("Registration not found."))
    return found


def accredited_count(session: Session, conference_id: int) -> int:
    return int(session.execute(
        select(func.count()).select_from(Accreditation).where(
            col(Accreditation.conference_id) == conference_id,
            col(Accreditation.status) == AccreditationStatus.APPROVED)
    ).scalar_one())


def is_accredited(session: Session, conference_id: int, journalist_id: int) -> bool:
    found = accreditation_of(session, conference_id, journalist_id)
    return found is not None and found.status == AccreditationStatus.APPROVED


def trusted_outlets(session: Session, organization_id: int) -> list[Outlet]:
    """Outlets whose journalists the organisation accredits automatically, by name."""
    return list(session.exec(
        select(Outlet).join(TrustedOutlet, TrustedOutlet.outlet_id == Outlet.id)  # type: ignore[arg-type]
        .where(TrustedOutlet.organization_id == organization_id)
        .order_by(col(Outlet.name))))


def all_outlets(session: Session) -> list[Outlet]:
    return list(session.exec(select(Outlet).order_by(col(Outlet.name))))


CALENDAR_PAST = timedelta(days=365)
CALENDAR_LIMIT = 500


def public_calendar(session: Session, *, host_id: int | None = None,
                    limit: int = CALENDAR_LIMIT) -> list[PressConference]:
    """The conferences of a public calendar feed, by start: public ones (see ``_public``)
    from a year back onward, only ``host_id``'s if given. Beyond ``limit``, the earliest are
    left out (what is still to come matters most)."""
    query = select(PressConference).where(
        _public(), PressConference.starts_at >= now() - CALENDAR_PAST)
    if host_id is not None:
        query = query.where(PressConference.host_organization_id == host_id)
    latest = list(session.exec(query.order_by(col(PressConference.starts_at).desc(),
                                              col(PressConference.id).desc()).limit(limit)))
    return latest[::-1]


def host_contacts(session: Session, host_ids: set[int]) -> dict[int, Spokesperson]:
    """The spokesperson a calendar names as organiser of each host's conferences, in one
    query: the first with a (public) e-mail, a spokesperson before a deputy, as the public page
    lists them. A host without one is left out."""
    if not host_ids:
        return {}
    found: dict[int, Spokesperson] = {}
    for person in session.exec(
            select(Spokesperson)
            .where(col(Spokesperson.organization_id).in_(host_ids), Spokesperson.email != "")
            .order_by(col(Spokesperson.is_deputy), col(Spokesperson.full_name))):
        found.setdefault(person.organization_id, person)
    return found


@dataclass(frozen=True)
class LiveRow:
    """A live question with who asked it, as the live pages show it."""

    question: LiveQuestion
    asker: str
    outlet: str


_LIVE_ORDER = {LiveQuestionStatus.ON_SCREEN: 0, LiveQuestionStatus.PENDING: 1,
               LiveQuestionStatus.APPROVED: 2, LiveQuestionStatus.ANSWERED: 3,
               LiveQuestionStatus.DEFERRED: 3, LiveQuestionStatus.DECLINED: 4}


def _live_rows(session: Session, conference_id: int, *conditions: Any) -> list[LiveRow]:
    rows = session.exec(
        select(LiveQuestion, User.full_name, Outlet.name)
        .join(User, LiveQuestion.journalist_id == User.id)  # type: ignore[arg-type]
        .outerjoin(Outlet, User.outlet_id == Outlet.id)  # type: ignore[arg-type]
        .where(LiveQuestion.conference_id == conference_id, *conditions)
    ).all()
    found = [LiveRow(q, name, outlet or "") for q, name, outlet in rows]
    # On screen, then waiting, then the queue in the moderator's order, then the ones dealt
    # with, latest first.
    return sorted(found, key=lambda r: (
        _LIVE_ORDER[r.question.status],
        r.question.position if r.question.status == LiveQuestionStatus.APPROVED else 0,
        -(r.question.moderated_at.timestamp() if r.question.moderated_at
          and r.question.status in (LiveQuestionStatus.ANSWERED, LiveQuestionStatus.DEFERRED,
                                    LiveQuestionStatus.DECLINED) else 0),
        r.question.id or 0))


def live_board(session: Session, conference_id: int) -> list[LiveRow]:
    """What everyone watching a live conference sees: the question on screen, the queue, and
    those answered live or to be answered in writing."""
    return _live_rows(session, conference_id, col(LiveQuestion.status).in_(SHOWN_LIVE))


def live_queue(session: Session, conference_id: int) -> list[LiveRow]:
    """Every live question of a conference, for its moderators."""
    return _live_rows(session, conference_id)


def own_live(session: Session, conference_id: int, journalist_id: int) -> list[LiveRow]:
    """A journalist's own live questions, whatever their state."""
    return _live_rows(session, conference_id, LiveQuestion.journalist_id == journalist_id)


def live_row(session: Session, question: LiveQuestion) -> LiveRow:
    """One live question with who asked it."""
    return _live_rows(session, question.conference_id, col(LiveQuestion.id) == question.id)[0]


def managed_live_question(session: Session, user: User, question_id: int) -> LiveQuestion:
    """A live question of a conference the user manages; else NotFound."""
    found = session.get(LiveQuestion, question_id)
    if found is None or not _of_managed_conference(session, user, found):
        raise NotFound(_("Live question not found."))
    return found


def public_live_question(session: Session, question_id: int) -> LiveQuestion:
    """A live question everyone watching sees (for votes); else NotFound."""
    found = session.get(LiveQuestion, question_id)
    if found is None or found.status not in SHOWN_LIVE:
        raise NotFound(_("Live question not found."))
    return found


def search_entries(session: Session, conference: PressConference) -> list[index.Entry]:
    """What search finds of a conference: nothing until it is public; then the conference
    (title, description, venue, participants), and each turn of its transcript once that is
    published; all of them found by the host's name too."""
    if not is_public(conference) or conference.announced_at is None:
        return []
    cid = conference.id or 0
    year = conference.starts_at.astimezone(local_zone()).year
    guests = ", ".join(org.name for org in participants(session, cid))
    host = session.get(Organization, conference.host_organization_id)
    about = host.name if host else ""
    entries = [index.Entry(
        kind="conference", ref_id=cid, url=f"/conferences/{cid}", title=conference.title,
        body="\n\n".join(part for part in (conference.description, conference.venue, guests)
                         if part),
        organization_id=conference.host_organization_id, year=year,
        published_at=conference.announced_at, about=about)]
    published = conference.transcript_published_at
    if conference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED and published is not None:
        entries += [index.Entry(
            kind="transcript", ref_id=turn.id or 0, url=f"/conferences/{cid}#turn-{turn.position}",
            title=conference.title, body=turn.text,
            context=", ".join(p for p in (turn.speaker_name, turn.speaker_role) if p),
            organization_id=conference.host_organization_id, year=year, published_at=published,
            about=about)
            for turn in transcript(session, cid)]
    return entries
