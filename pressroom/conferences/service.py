"""Press conferences: scheduling, announcing, holding, cancelling, transcripts.

Every function flushes and never commits; the route commits once.
"""

from __future__ import annotations

from sqlalchemy import column, delete, func, select, table
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col

from pressroom.accounts.models import User
from pressroom.conferences.enums import CONFERENCE_TRANSITIONS, ConferenceStatus
from pressroom.conferences.models import ConferenceParticipant, PressConference, TranscriptTurn
from pressroom.conferences.permissions import can_manage_conference
from pressroom.conferences.schemas import ConferenceCreate, TranscriptIn
from pressroom.core import audit
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import TOP_LEVEL, scope_of


def _check_organizations(session: Session, data: ConferenceCreate, scope: set[int]) -> None:
    errors: dict[str, str] = {}
    if data.host_organization_id not in scope:
        errors["host_organization_id"] = _("Choose an organisation you speak for.")
    for org_id in data.participant_ids:
        org = session.get(Organization, org_id)
        if org is None or org.kind not in TOP_LEVEL:
            errors["participant_ids"] = _("Choose participants among ministries and agencies.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)


def _set_participants(session: Session, conference: PressConference, ids: list[int]) -> None:
    session.exec(  # type: ignore[call-overload]
        delete(ConferenceParticipant).where(
            ConferenceParticipant.conference_id == conference.id  # type: ignore[arg-type]
        )
    )
    for org_id in dict.fromkeys(ids):
        if org_id != conference.host_organization_id:
            session.add(ConferenceParticipant(conference_id=conference.id or 0, organization_id=org_id))


def create_conference(session: Session, *, actor: User, data: ConferenceCreate) -> PressConference:
    """Schedules a conference as a draft (not public yet).
    Side effects: inserts the conference and its participants.
    Errors: PermissionDenied, ValidationFailed."""
    if not actor.allows("conferences.manage"):
        raise PermissionDenied(_("Only a spokesperson schedules press conferences."))
    _check_organizations(session, data, scope_of(session, actor.id or 0))
    conference = PressConference(
        title=data.title,
        host_organization_id=data.host_organization_id,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        venue=data.venue,
        livestream_url=data.livestream_url,
        description=data.description,
        created_by_id=actor.id or 0,
    )
    changes = audit.pending_changes(conference)
    if data.participant_ids:
        changes["participant_ids"] = [None, list(dict.fromkeys(data.participant_ids))]
    audit.record(session, actor=actor, action="conference.created", subject=conference,
                 changes=changes)
    _set_participants(session, conference, data.participant_ids)
    session.flush()
    return conference


def _managed(session: Session, actor: User, conference: PressConference) -> set[int]:
    scope = scope_of(session, actor.id or 0)
    if not can_manage_conference(actor, conference, scope):
        raise PermissionDenied(_("You do not manage this press conference."))
    return scope


def update_conference(
    session: Session, *, actor: User, conference: PressConference, data: ConferenceCreate
) -> PressConference:
    """Changes a conference's details (not once it is cancelled or its transcript is out).
    Side effects: updates the row and the participants. Errors: PermissionDenied,
    ValidationFailed, InvalidTransition."""
    scope = _managed(session, actor, conference)
    if conference.status in (ConferenceStatus.CANCELLED, ConferenceStatus.TRANSCRIPT_PUBLISHED):
        raise InvalidTransition(_("This press conference can no longer be changed."))
    _check_organizations(session, data, scope)
    before = _participant_ids(session, conference)
    for name in ("title", "host_organization_id", "starts_at", "ends_at", "venue",
                 "livestream_url", "description"):
        setattr(conference, name, getattr(data, name))
    changes = audit.pending_changes(conference)
    after = [i for i in dict.fromkeys(data.participant_ids) if i != conference.host_organization_id]
    if sorted(before) != sorted(after):
        changes["participant_ids"] = [sorted(before), sorted(after)]
    if changes:
        session.add(conference)
        flag_modified(conference, "title")  # a change of participants alone is a new version too
        audit.record(session, actor=actor, action="conference.updated", subject=conference,
                     changes=changes)
    _set_participants(session, conference, data.participant_ids)
    session.flush()
    return conference


def _participant_ids(session: Session, conference: PressConference) -> list[int]:
    return list(session.execute(
        select(col(ConferenceParticipant.organization_id)).where(
            col(ConferenceParticipant.conference_id) == conference.id
        )
    ).scalars())


def _move(session: Session, conference: PressConference, target: ConferenceStatus, *,
          actor: User, action: str) -> None:
    """Changes the status (after the caller set any other fields) and records the event."""
    if target not in CONFERENCE_TRANSITIONS[conference.status]:
        raise InvalidTransition(_("This press conference is not in a state that allows this."))
    conference.status = target
    session.add(conference)
    audit.record(session, actor=actor, action=action, subject=conference)
    session.flush()


def announce_conference(session: Session, *, actor: User, conference: PressConference) -> None:
    """Makes a draft conference public. Side effects: status → announced."""
    _managed(session, actor, conference)
    _move(session, conference, ConferenceStatus.ANNOUNCED, actor=actor,
          action="conference.announced")


def mark_conference_held(session: Session, *, actor: User, conference: PressConference) -> None:
    """Records that the conference took place. Side effects: status → held."""
    _managed(session, actor, conference)
    if conference.starts_at > now():
        raise InvalidTransition(_("A press conference cannot be held before it starts."))
    _move(session, conference, ConferenceStatus.HELD, actor=actor, action="conference.held")


def cancel_conference(session: Session, *, actor: User, conference: PressConference) -> None:
    """Cancels a draft or announced conference. Side effects: status → cancelled."""
    _managed(session, actor, conference)
    _move(session, conference, ConferenceStatus.CANCELLED, actor=actor,
          action="conference.cancelled")


_question = table("question", column("id"), column("conference_id"))


def _check_linked_questions(
    session: Session, conference: PressConference, data: TranscriptIn
) -> None:
    # The questions domain sits above this one, so read its table, not its model.
    wanted = {turn.question_id for turn in data.turns if turn.question_id is not None}
    if not wanted:
        return
    found = set(
        session.exec(  # type: ignore[call-overload]
            select(_question.c.id).where(
                _question.c.id.in_(wanted), _question.c.conference_id == conference.id
            )
        ).scalars()
    )
    if wanted - found:
        raise ValidationFailed(
            _("A linked question was not asked at this press conference."),
            fields={"turns": _("A linked question was not asked at this press conference.")},
        )


def replace_transcript(
    session: Session, *, actor: User, conference: PressConference, data: TranscriptIn
) -> list[TranscriptTurn]:
    """Saves the transcript's speaker turns (replacing earlier ones) of a held conference.
    Side effects: deletes and inserts turns. Errors: PermissionDenied, InvalidTransition."""
    _managed(session, actor, conference)
    _check_linked_questions(session, conference, data)
    if conference.status != ConferenceStatus.HELD:
        raise InvalidTransition(
            _("A transcript is entered once the conference is held and until it is published.")
        )
    before = [_turn_record(t) for t in session.exec(  # type: ignore[call-overload]
        select(TranscriptTurn).where(TranscriptTurn.conference_id == conference.id)  # type: ignore[arg-type]
        .order_by(TranscriptTurn.position)  # type: ignore[arg-type]
    ).scalars()]
    session.exec(  # type: ignore[call-overload]
        delete(TranscriptTurn).where(TranscriptTurn.conference_id == conference.id)  # type: ignore[arg-type]
    )
    turns = [
        TranscriptTurn(
            conference_id=conference.id or 0,
            position=position,
            speaker_name=turn.speaker_name,
            speaker_role=turn.speaker_role,
            text=turn.text,
            offset_seconds=turn.offset_seconds,
            question_id=turn.question_id,
        )
        for position, turn in enumerate(data.turns, start=1)
    ]
    session.add_all(turns)
    # Bump the conference's row version so that a concurrent edit of the transcript loses cleanly.
    flag_modified(conference, "transcript_version")
    session.add(conference)
    after = [_turn_record(t) for t in turns]
    if after != before:
        audit.record(session, actor=actor, action="conference.transcript_saved",
                     subject=conference, changes={"turns": [before, after]})
    session.flush()
    return turns


def _turn_record(turn: TranscriptTurn) -> dict[str, object]:
    return {"speaker_name": turn.speaker_name, "speaker_role": turn.speaker_role,
            "text": turn.text, "offset_seconds": turn.offset_seconds,
            "question_id": turn.question_id}


def publish_transcript(session: Session, *, actor: User, conference: PressConference) -> None:
    """Publishes the transcript: public page now, PDF rendered off the request path.
    Side effects: status → transcript_published, publication time, version + 1."""
    _managed(session, actor, conference)
    turn_count = session.execute(
        select(func.count()).select_from(TranscriptTurn).where(
            TranscriptTurn.conference_id == conference.id  # type: ignore[arg-type]
        )
    ).scalar_one()
    if turn_count == 0:
        raise InvalidTransition(_("Enter the transcript before publishing it."))
    conference.transcript_published_at = now()
    conference.transcript_version += 1
    _move(session, conference, ConferenceStatus.TRANSCRIPT_PUBLISHED, actor=actor,
          action="conference.transcript_published")

