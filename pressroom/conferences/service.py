"""Press conferences: scheduling, announcing, holding, cancelling, transcripts.

Every function flushes and never commits; the route commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import column, delete, func, select, table
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col

from pressroom.accounts.models import User
from pressroom.conferences.enums import CONFERENCE_TRANSITIONS, ConferenceStatus
from pressroom.conferences.models import ConferenceParticipant, PressConference, TranscriptTurn
from pressroom.conferences.permissions import can_manage_conference
from pressroom.conferences.schemas import (
    ConferenceAnnounce,
    ConferenceCancel,
    ConferenceCreate,
    ConferencePostpone,
    TranscriptIn,
)
from pressroom.core import audit
from pressroom.core.clock import now
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.core.i18n import fmt_datetime, lazy
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


SCHEDULE_AHEAD = timedelta(days=730)
LONGEST = timedelta(hours=12)
NOTICE = timedelta(hours=24)
# Called with (session, actor, conference) once a conference is cancelled: higher domains
# react here (the questions domain makes the pending questions written ones).
WHEN_CANCELLED: list[Callable[[Session, User, PressConference], None]] = []


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    """A time to hold a conference at: in the future, at most two years ahead, at most
    twelve hours long. Errors: ValidationFailed naming the field."""
    moment = now()
    errors: dict[str, str] = {}
    if starts_at <= moment:
        errors["starts_at"] = _("Start: choose a time in the future.")
    elif starts_at > moment + SCHEDULE_AHEAD:
        errors["starts_at"] = _("Start: at most two years ahead.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("End must be after the start.")
    elif ends_at - starts_at > LONGEST:
        errors["ends_at"] = _("End: a press conference lasts at most 12 hours.")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)


def create_conference(session: Session, *, actor: User, data: ConferenceCreate) -> PressConference:
    """Schedules a conference as a draft (not public yet), in the future and at most two
    years ahead. Side effects: inserts the conference and its participants.
    Errors: PermissionDenied, ValidationFailed."""
    if not actor.allows("conferences.manage"):
        raise PermissionDenied(_("Only a spokesperson schedules press conferences."))
    _check_organizations(session, data, scope_of(session, actor.id or 0))
    _check_times(data.starts_at, data.ends_at)
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
    """Changes a conference's details (not once it is cancelled or its transcript is out). A
    conference still to come moves only to another future time; a held one keeps its times.
    Side effects: updates the row and the participants. Errors: PermissionDenied,
    ValidationFailed, InvalidTransition."""
    scope = _managed(session, actor, conference)
    if conference.status in (ConferenceStatus.CANCELLED, ConferenceStatus.TRANSCRIPT_PUBLISHED):
        raise InvalidTransition(state_message(conference))
    _check_organizations(session, data, scope)
    if (data.starts_at, data.ends_at) != (conference.starts_at, conference.ends_at):
        if conference.status == ConferenceStatus.HELD:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields={
                "starts_at": _("Start: a press conference that was held keeps its times.")})
        _check_times(data.starts_at, data.ends_at)
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


NEXT_STEPS = {
    ConferenceStatus.DRAFT: lazy("It is a draft: change it, announce it or cancel it."),
    ConferenceStatus.ANNOUNCED: lazy("It is announced: change it, postpone it, cancel it or, "
                                     "once it has started, record it as held."),
    ConferenceStatus.POSTPONED: lazy("It is postponed to a new time: change it, postpone it "
                                     "again, cancel it or, once it has started, record it as "
                                     "held."),
    ConferenceStatus.HELD: lazy("It was held: enter and publish its transcript."),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: lazy("Its transcript is published: nothing more "
                                                "can be changed."),
    ConferenceStatus.CANCELLED: lazy("It was cancelled: nothing more can be changed."),
}


def state_message(conference: PressConference) -> str:
    """Why an action is not possible now: the conference's state and what can be done."""
    return _("This action is not possible for this press conference now.") + " " + _(
        NEXT_STEPS[conference.status])


def _move(session: Session, conference: PressConference, target: ConferenceStatus, *,
          actor: User, action: str, changes: dict[str, list[object]] | None = None) -> None:
    """Changes the status (after the caller set any other fields) and records the event."""
    if target not in CONFERENCE_TRANSITIONS[conference.status]:
        raise InvalidTransition(state_message(conference))
    conference.status = target
    session.add(conference)
    audit.record(session, actor=actor, action=action, subject=conference,
                 changes={**audit.pending_changes(conference), **(changes or {})})
    session.flush()


def announce_conference(session: Session, *, actor: User, conference: PressConference,
                        data: ConferenceAnnounce | None = None) -> None:
    """Makes a draft conference public. Less than 24 hours ahead it needs a stated reason
    (Press Law 2016, Art. 41), kept in the record. Side effects: status → announced, time of
    announcement. Errors: PermissionDenied, InvalidTransition, ValidationFailed."""
    _managed(session, actor, conference)
    reason = data.reason if data else ""
    if conference.status == ConferenceStatus.DRAFT:
        if conference.starts_at <= now():
            raise ValidationFailed(_("Please correct the highlighted fields."), fields={
                "starts_at": _("Start: the time has passed; choose a new one before announcing.")})
        if conference.starts_at - now() < NOTICE and not reason:
            raise ValidationFailed(_("Please correct the highlighted fields."), fields={
                "reason": _("Reason: the press is told at least 24 hours ahead; say why this "
                            "press conference is announced at shorter notice.")})
    conference.announced_at = now()
    _move(session, conference, ConferenceStatus.ANNOUNCED, actor=actor,
          action="conference.announced", changes={"reason": [None, reason]} if reason else None)


def mark_conference_held(session: Session, *, actor: User, conference: PressConference) -> None:
    """Records that the conference took place. Side effects: status → held."""
    _managed(session, actor, conference)
    if conference.starts_at > now():
        raise InvalidTransition(_("A press conference cannot be recorded as held before it "
                                  "starts (%(time)s).", time=fmt_datetime(conference.starts_at)))
    _move(session, conference, ConferenceStatus.HELD, actor=actor, action="conference.held")


def cancel_conference(session: Session, *, actor: User, conference: PressConference,
                      data: ConferenceCancel) -> None:
    """Cancels a conference still to come, with a reason its public page shows (an announced
    one stays public). Side effects: status → cancelled, reason; then every WHEN_CANCELLED
    reaction (its pending questions become written ones). Errors: PermissionDenied,
    InvalidTransition."""
    _managed(session, actor, conference)
    conference.status_reason = data.reason
    _move(session, conference, ConferenceStatus.CANCELLED, actor=actor,
          action="conference.cancelled")
    for react in WHEN_CANCELLED:
        react(session, actor, conference)


def postpone_conference(session: Session, *, actor: User, conference: PressConference,
                        data: ConferencePostpone) -> None:
    """Moves an announced conference to a later time with a reason its public page shows
    ("Postponed to …"); questions stay open. Side effects: new times, status → postponed,
    first planned start kept. Errors: PermissionDenied, InvalidTransition, ValidationFailed."""
    _managed(session, actor, conference)
    if ConferenceStatus.POSTPONED not in CONFERENCE_TRANSITIONS[conference.status]:
        raise InvalidTransition(state_message(conference))
    _check_times(data.starts_at, data.ends_at)
    if data.starts_at <= conference.starts_at:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "starts_at": _("Start: a postponed press conference starts later than planned.")})
    conference.postponed_from = conference.postponed_from or conference.starts_at
    conference.starts_at, conference.ends_at = data.starts_at, data.ends_at
    conference.status_reason = data.reason
    _move(session, conference, ConferenceStatus.POSTPONED, actor=actor,
          action="conference.postponed")


_question = table("question", column("id"), column("conference_id"), column("state"))


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
                _question.c.id.in_(wanted), _question.c.conference_id == conference.id,
                _question.c.state != "rejected",
            )
        ).scalars()
    )
    if wanted - found:
        raise ValidationFailed(
            _("A linked question was not asked at this press conference, or was declined."),
            fields={"turns": _("A linked question was not asked at this press conference, or "
                               "was declined.")},
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

