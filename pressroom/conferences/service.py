"""Press conferences: scheduling, announcing, holding, cancelling, transcripts.

Every function flushes and never commits; the route commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import column, delete, func, select, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col

from pressroom.accounts.models import User
from pressroom.alerts import service as alerts
from pressroom.alerts.enums import PublishedKind
from pressroom.conferences.enums import (
    ACCREDITATION_OPEN,
    CONFERENCE_TRANSITIONS,
    LIVE_MOVES,
    LIVE_STATUS_LABELS,
    SHOWN_LIVE,
    TRANSCRIPT_EDITABLE,
    AccreditationStatus,
    ConferenceStatus,
    LiveQuestionStatus,
)
from pressroom.conferences.models import (
    Accreditation,
    ConferenceParticipant,
    LiveQuestion,
    LiveVote,
    PressConference,
    TranscriptTurn,
    TrustedOutlet,
)
from pressroom.conferences.permissions import can_manage_conference
from pressroom.conferences.queries import accredited_count, is_accredited, search_entries
from pressroom.conferences.schemas import (
    ConferenceAnnounce,
    ConferenceCancel,
    ConferenceCreate,
    ConferencePostpone,
    TranscriptIn,
)
from pressroom.conferences.versions import TRANSCRIPT_SAVED
from pressroom.core import audit, broadcast
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from pressroom.core.i18n import fmt_datetime, lazy
from pressroom.core.i18n import gettext as _
from pressroom.core.text import clean
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.service import notify
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import TOP_LEVEL, scope_of
from pressroom.search import index


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
        capacity=data.capacity,
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
    _index(session, conference)
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
        if conference.status in (ConferenceStatus.LIVE, *TRANSCRIPT_EDITABLE):
            raise ValidationFailed(_("Please correct the highlighted fields."), fields={
                "starts_at": _("Start: a press conference that was held keeps its times.")})
        _check_times(data.starts_at, data.ends_at)
        conference.schedule_sequence += 1
    before = _participant_ids(session, conference)
    for name in ("title", "host_organization_id", "starts_at", "ends_at", "venue",
                 "livestream_url", "description", "capacity"):
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
    _index(session, conference)
    return conference


def _participant_ids(session: Session, conference: PressConference) -> list[int]:
    return list(session.execute(
        select(col(ConferenceParticipant.organization_id)).where(
            col(ConferenceParticipant.conference_id) == conference.id
        )
    ).scalars())


NEXT_STEPS = {
    ConferenceStatus.DRAFT: lazy("It is a draft: change it, announce it or cancel it."),
    ConferenceStatus.ANNOUNCED: lazy("It is announced: change it, postpone it, cancel it, go "
                                     "live from an hour before it starts or, once it has "
                                     "started, record it as held."),
    ConferenceStatus.POSTPONED: lazy("It is postponed to a new time: change it, postpone it "
                                     "again, cancel it or, once it has started, record it as "
                                     "held."),
    ConferenceStatus.LIVE: lazy("It is live: moderate the questions, and end it when it is "
                                "over."),
    ConferenceStatus.HELD: lazy("It was held: enter and publish its transcript."),
    ConferenceStatus.TRANSCRIPT_DRAFT: lazy("Its transcript is a draft: correct it and publish "
                                            "it as final."),
    ConferenceStatus.TRANSCRIPT_PUBLISHED: lazy("Its transcript is published as final: nothing "
                                                "more can be changed."),
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
    _index(session, conference)


def _index(session: Session, conference: PressConference) -> None:
    """Search finds the conference (and its published transcript) as it now is, or not at
    all when it is not public."""
    entries = search_entries(session, conference)
    if entries:
        index.put(session, entries)
    else:
        index.remove(session, "conference", [conference.id or 0])


def _alert(session: Session, conference: PressConference, kind: PublishedKind) -> None:
    """Tells the followers of the host ministry, of the conference (its transcript) and of
    matching searches by e-mail (once; see alerts.service.alert_followers)."""
    cid = conference.id or 0
    if kind == PublishedKind.TRANSCRIPT:
        ids = tuple(session.execute(select(col(TranscriptTurn.id)).where(
            col(TranscriptTurn.conference_id) == cid)).scalars())
        path = f"/conferences/{cid}#transcript"
    else:
        ids, path = (cid,), f"/conferences/{cid}"
    when = fmt_datetime(conference.starts_at)
    summary = " · ".join(p for p in (when, conference.venue) if p)
    alerts.alert_followers(session, item=alerts.Published(
        kind=kind, ref_id=cid, title=conference.title, path=path,
        organization_id=conference.host_organization_id, conference_id=cid, summary=summary,
        index_ids=tuple(i for i in ids if i is not None)))


def announce_conference(session: Session, *, actor: User, conference: PressConference,
                        data: ConferenceAnnounce | None = None) -> None:
    """Makes a draft conference public. Less than 24 hours ahead it needs a stated reason
    (Press Law 2016, Art. 41), kept in the record. Side effects: status → announced, time of
    announcement; the host ministry's followers get an e-mail alert (alerts).
    Errors: PermissionDenied, InvalidTransition, ValidationFailed."""
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
    _alert(session, conference, PublishedKind.CONFERENCE)


GO_LIVE_EARLY = timedelta(hours=1)


def go_live(session: Session, *, actor: User, conference: PressConference) -> None:
    """Opens the live session of an announced (or postponed) conference, from an hour before
    its start: accredited journalists may then send questions from the room or online.
    Side effects: status → live, the time it went live. Errors: PermissionDenied,
    InvalidTransition (wrong state, or too early: the message names the earliest time)."""
    _managed(session, actor, conference)
    if ConferenceStatus.LIVE not in CONFERENCE_TRANSITIONS[conference.status]:
        raise InvalidTransition(state_message(conference))
    if conference.starts_at - now() > GO_LIVE_EARLY:
        raise InvalidTransition(_("A press conference goes live at the earliest an hour before "
                                  "it starts: from %(time)s.",
                                  time=fmt_datetime(conference.starts_at - GO_LIVE_EARLY)))
    conference.live_started_at = now()
    _move(session, conference, ConferenceStatus.LIVE, actor=actor, action="conference.live")
    broadcast.changed(session, live_topic(conference.id or 0))


def end_conference(session: Session, *, actor: User, conference: PressConference) -> None:
    """Ends the live session: no more live questions; the transcript can be entered.
    Side effects: status → held, the time it ended. Errors: PermissionDenied,
    InvalidTransition."""
    _managed(session, actor, conference)
    if conference.status != ConferenceStatus.LIVE:
        raise InvalidTransition(state_message(conference))
    conference.live_ended_at = now()
    _move(session, conference, ConferenceStatus.HELD, actor=actor, action="conference.ended")
    broadcast.changed(session, live_topic(conference.id or 0))


def mark_conference_held(session: Session, *, actor: User, conference: PressConference) -> None:
    """Records that a conference that did not go live here took place.
    Side effects: status → held."""
    _managed(session, actor, conference)
    if conference.status == ConferenceStatus.LIVE:
        raise InvalidTransition(state_message(conference))
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
    conference.schedule_sequence += 1
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
    conference.schedule_sequence += 1
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
    """Saves the transcript's speaker turns (replacing earlier ones) and the recording's address
    of a held conference, until it is published. The first save makes the transcript draft;
    each save that changes something is a version (its event keeps the turns before and
    after: see ``versions.transcript_versions``).
    Side effects: deletes and inserts turns; status held → transcript draft. Errors:
    PermissionDenied, InvalidTransition, ValidationFailed (a linked question not of this
    conference)."""
    _managed(session, actor, conference)
    if conference.status not in TRANSCRIPT_EDITABLE:
        raise InvalidTransition(
            _("A transcript is entered once the conference is held and until it is published.")
        )
    _check_linked_questions(session, conference, data)
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
    after = [_turn_record(t) for t in turns]
    changes: dict[str, list[object]] = {"turns": [before, after]} if after != before else {}
    if data.recording_url != conference.recording_url:
        changes["recording_url"] = [conference.recording_url, data.recording_url]
        conference.recording_url = data.recording_url
    if conference.status == ConferenceStatus.HELD:
        _move(session, conference, ConferenceStatus.TRANSCRIPT_DRAFT, actor=actor,
              action=TRANSCRIPT_SAVED, changes=changes)
        return turns
    # Bump the conference's row version so that a concurrent edit of the transcript loses cleanly.
    flag_modified(conference, "transcript_version")
    session.add(conference)
    if changes:
        audit.record(session, actor=actor, action=TRANSCRIPT_SAVED, subject=conference,
                     changes=changes)
    session.flush()
    return turns


def _turn_record(turn: TranscriptTurn) -> dict[str, object]:
    return {"speaker_name": turn.speaker_name, "speaker_role": turn.speaker_role,
            "text": turn.text, "offset_seconds": turn.offset_seconds,
            "question_id": turn.question_id}


def publish_transcript(session: Session, *, actor: User, conference: PressConference) -> None:
    """Publishes the transcript draft as the final version, locked: public page now, PDF
    rendered off the request path. Side effects: status → transcript published, publication
    time, version + 1; the conference's and host ministry's followers get an e-mail alert.
    Errors: PermissionDenied, InvalidTransition (nothing saved yet, or not a draft)."""
    _managed(session, actor, conference)
    if conference.status == ConferenceStatus.HELD:
        raise InvalidTransition(_("Enter the transcript before publishing it."))
    conference.transcript_published_at = now()
    conference.transcript_version += 1
    _move(session, conference, ConferenceStatus.TRANSCRIPT_PUBLISHED, actor=actor,
          action="conference.transcript_published")
    _alert(session, conference, PublishedKind.TRANSCRIPT)



def _lock(session: Session, conference: PressConference) -> None:
    """Serialises decisions on one conference's places (a row lock on PostgreSQL; SQLite's
    writing requests already run one at a time)."""
    session.execute(select(col(PressConference.id)).where(col(PressConference.id) == conference.id)
                    .with_for_update())


def _full(session: Session, conference: PressConference) -> bool:
    return (conference.capacity is not None
            and accredited_count(session, conference.id or 0) >= conference.capacity)


def _open_for_accreditation(conference: PressConference) -> None:
    if conference.status not in ACCREDITATION_OPEN:
        raise InvalidTransition(_("Registration is open while the press conference is announced "
                                  "or live.") + " " + _(NEXT_STEPS[conference.status]))


def _trusted(session: Session, organization_id: int, outlet_id: int | None) -> bool:
    return outlet_id is not None and session.get(
        TrustedOutlet, (organization_id, outlet_id)) is not None


def _tell_decision(session: Session, accreditation: Accreditation,
                   conference: PressConference) -> None:
    journalist = session.get(User, accreditation.journalist_id)
    if journalist is None:
        return
    path = f"/conferences/{conference.id}/accreditation"
    if accreditation.status == AccreditationStatus.APPROVED:
        notify(session, recipients=[journalist], kind=NotificationKind.ACCREDITATION_APPROVED,
               case_path=path, params={"title": conference.title,
                                       "starts_at": conference.starts_at,
                                       "venue": conference.venue})
    else:
        notify(session, recipients=[journalist], kind=NotificationKind.ACCREDITATION_DECLINED,
               case_path=path, params={"title": conference.title, "reason": accreditation.reason})


def request_accreditation(session: Session, *, journalist: User,
                          conference: PressConference) -> Accreditation:
    """Registers a journalist to attend an announced or live conference. A journalist of an
    outlet the host trusts is accredited at once while places remain; others wait for the
    press office. Asking again returns the registration already made.
    Side effects: inserts the accreditation (and, when automatic, tells the journalist).
    Errors: PermissionDenied (not a journalist), InvalidTransition (registration closed),
    ValidationFailed (no places left)."""
    if not journalist.allows("conferences.attend"):
        raise PermissionDenied(_("Only journalists register to attend press conferences."))
    _open_for_accreditation(conference)
    _lock(session, conference)  # a second tab's request waits here, then finds the first
    existing = session.exec(select(Accreditation).where(  # type: ignore[call-overload]
        col(Accreditation.conference_id) == conference.id,
        col(Accreditation.journalist_id) == journalist.id)).scalars().first()
    if existing is not None:
        return existing
    if _full(session, conference):
        raise ValidationFailed(_("All %(count)d places are taken: registration is closed.",
                                 count=conference.capacity or 0))
    accreditation = Accreditation(conference_id=conference.id or 0,
                                  journalist_id=journalist.id or 0)
    if _trusted(session, conference.host_organization_id, journalist.outlet_id):
        accreditation.status = AccreditationStatus.APPROVED
        accreditation.decided_at = now()
    audit.record(session, actor=journalist, action="accreditation.requested",
                 subject=accreditation, case=conference,
                 changes=audit.pending_changes(accreditation))
    if accreditation.status == AccreditationStatus.APPROVED:
        _tell_decision(session, accreditation, conference)
    session.flush()
    return accreditation


def decide_accreditation(session: Session, *, actor: User, accreditation: Accreditation,
                         approve: bool, reason: str = "") -> None:
    """The press office approves or declines a registration (a decision may be changed until
    the conference ends; declining needs a reason the journalist is told). Approving stops at
    the capacity. Side effects: status, decider and time; the journalist is told.
    Errors: PermissionDenied, InvalidTransition, ValidationFailed."""
    conference = session.get(PressConference, accreditation.conference_id)
    if conference is None:
        raise InvalidTransition(_("This press conference no longer exists."))
    _managed(session, actor, conference)
    _open_for_accreditation(conference)
    target = AccreditationStatus.APPROVED if approve else AccreditationStatus.DECLINED
    if accreditation.status == target:
        return
    if not approve and not reason:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "reason": _("Reason: say why the registration is declined; the journalist is "
                        "told.")})
    if approve:
        _lock(session, conference)
        if _full(session, conference):
            raise ValidationFailed(_("All %(count)d places are taken: decline or withdraw "
                                     "another accreditation first, or raise the capacity.",
                                     count=conference.capacity or 0))
    accreditation.status = target
    accreditation.reason = "" if approve else reason
    accreditation.decided_at = now()
    accreditation.decided_by_id = actor.id
    session.add(accreditation)
    audit.record(session, actor=actor, action=f"accreditation.{target.value}",
                 subject=accreditation, case=conference,
                 changes=audit.pending_changes(accreditation))
    _tell_decision(session, accreditation, conference)
    session.flush()


def set_trusted_outlet(session: Session, *, actor: User, organization_id: int, outlet_id: int,
                       trusted: bool) -> None:
    """Adds an outlet to (or removes it from) the list whose journalists the organisation's
    press office accredits automatically. Decisions already made stay.
    Side effects: inserts or deletes the row. Errors: PermissionDenied."""
    if not actor.allows("conferences.manage") or organization_id not in scope_of(
            session, actor.id or 0):
        raise PermissionDenied(_("You do not speak for this organisation."))
    row = session.get(TrustedOutlet, (organization_id, outlet_id))
    if trusted and row is None:
        session.add(TrustedOutlet(organization_id=organization_id, outlet_id=outlet_id,
                                  added_by_id=actor.id or 0))
    elif not trusted and row is not None:
        session.delete(row)
    else:
        return
    session.flush()


def live_topic(conference_id: int) -> str:
    """A change that everyone watching sees (the board, the presenter screen, the conference
    going live or ending): every live page of the conference listens to it (core.broadcast)."""
    return f"conference:{conference_id}"


def live_queue_topic(conference_id: int) -> str:
    """A change that only the moderators see (a question waiting for them): their queue
    listens to it, the public pages do not."""
    return f"conference:{conference_id}:queue"


def own_live_topic(conference_id: int, journalist_id: int) -> str:
    """A change to a journalist's own live questions: their live page listens to it."""
    return f"conference:{conference_id}:journalist:{journalist_id}"


def _changed_live(session: Session, question: LiveQuestion, *, public: bool,
                  askers: tuple[int, ...] = ()) -> None:
    """Wakes the live pages that show ``question``: its asker's (and those of ``askers``,
    whose questions changed with it) and the moderators', and everyone's when ``public`` (it
    is, or was until now, on the board)."""
    cid = question.conference_id
    owners = sorted({question.journalist_id, *askers})
    broadcast.changed(session, *([live_topic(cid)] if public else []), live_queue_topic(cid),
                      *(own_live_topic(cid, owner) for owner in owners))


LIVE_TEXT_MAX = 1000
LIVE_STALE = lazy("Someone else moderated this question meanwhile: see its state below.")
RATE_WINDOW = timedelta(minutes=1)


def ask_live(session: Session, *, journalist: User, conference: PressConference,
             body: str) -> LiveQuestion:
    """An accredited journalist sends a question while the conference is live; it waits for
    the moderator. At most ``live_questions_per_minute`` a minute each.
    Side effects: inserts the question, wakes the live pages. Errors: PermissionDenied (not
    accredited), InvalidTransition (not live), ValidationFailed (empty, too long, too many)."""
    if not journalist.allows("conferences.attend") or not is_accredited(
            session, conference.id or 0, journalist.id or 0):
        raise PermissionDenied(_("Only journalists accredited to this press conference ask "
                                 "live questions."))
    if conference.status != ConferenceStatus.LIVE:
        raise InvalidTransition(_("Live questions are sent while the press conference is live.")
                                + " " + _(NEXT_STEPS[conference.status]))
    body = clean(body).strip()
    if not body:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "body": _("Question: write your question.")})
    if len(body) > LIVE_TEXT_MAX:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "body": _("Question: at most %(max)s characters.", max=LIVE_TEXT_MAX)})
    limit = get_settings().live_questions_per_minute
    recent = session.execute(select(col(LiveQuestion.created_at)).where(
        col(LiveQuestion.journalist_id) == journalist.id,
        col(LiveQuestion.conference_id) == conference.id,
        col(LiveQuestion.created_at) > now() - RATE_WINDOW,
    ).order_by(col(LiveQuestion.created_at))).scalars().all()
    if len(recent) >= limit:
        wait = max(1, int((recent[-limit] + RATE_WINDOW - now()).total_seconds()) + 1)
        raise ValidationFailed(_("Please correct the highlighted fields."), fields={
            "body": _("Question: you have sent %(count)s questions in the last minute; send "
                      "the next in %(seconds)s seconds.", count=limit, seconds=wait)})
    question = LiveQuestion(conference_id=conference.id or 0, journalist_id=journalist.id or 0,
                            body=body)
    audit.record(session, actor=journalist, action="live_question.asked", subject=question,
                 case=conference)
    # Not on the board until approved: a new question wakes its asker and the moderators
    # only, not everyone watching.
    _changed_live(session, question, public=False)
    return question


def _live_conference(session: Session, actor: User, question: LiveQuestion) -> PressConference:
    conference = session.get(PressConference, question.conference_id)
    if conference is None:
        raise InvalidTransition(_("This press conference no longer exists."))
    _managed(session, actor, conference)
    if conference.status != ConferenceStatus.LIVE:
        raise InvalidTransition(_("Live questions are moderated while the press conference "
                                  "is live.") + " " + _(NEXT_STEPS[conference.status]))
    return conference


def moderate_live(session: Session, *, actor: User, question: LiveQuestion, action: str) -> None:
    """The moderator's move on a live question: approve, decline, screen (only one question is
    on screen: the one there goes back to the queue), unscreen, answered; highlight or
    unhighlight; up or down in the queue. Side effects: status, order or highlight; wakes the
    live pages. Errors: PermissionDenied, InvalidTransition (naming the question's state)."""
    conference = _live_conference(session, actor, question)
    was_shown = question.status in SHOWN_LIVE
    demoted: list[int] = []
    if action in LIVE_MOVES:
        allowed, target = LIVE_MOVES[action]
        if question.status not in allowed:
            raise InvalidTransition(_("This question is “%(state)s” now: reload the queue to see "
                                      "what can be done with it.",
                                      state=_(LIVE_STATUS_LABELS[question.status])))
        if target == LiveQuestionStatus.ON_SCREEN:
            for shown in session.exec(select(LiveQuestion).where(  # type: ignore[call-overload]
                    col(LiveQuestion.conference_id) == conference.id,
                    col(LiveQuestion.status) == LiveQuestionStatus.ON_SCREEN)).scalars():
                shown.status = LiveQuestionStatus.APPROVED
                session.add(shown)
                demoted.append(shown.journalist_id)
        if target == LiveQuestionStatus.APPROVED and question.status == LiveQuestionStatus.PENDING:
            question.position = _last_position(session, conference) + 1
        question.status = target
        question.moderated_at = now()
    elif action in ("highlight", "unhighlight"):
        question.highlighted = action == "highlight"
    elif action in ("up", "down"):
        _swap(session, conference, question, up=action == "up")
    else:
        raise ValidationFailed(_("This action is not possible for this question."))
    session.add(question)
    audit.record(session, actor=actor, action=f"live_question.{action}", subject=question,
                 case=conference)
    _changed_live(session, question, public=was_shown or question.status in SHOWN_LIVE,
                  askers=tuple(demoted))
    session.flush()


def _last_position(session: Session, conference: PressConference) -> int:
    return int(session.execute(select(func.coalesce(func.max(col(LiveQuestion.position)), 0))
                               .where(col(LiveQuestion.conference_id) == conference.id)
                               ).scalar_one())


def _swap(session: Session, conference: PressConference, question: LiveQuestion, *,
          up: bool) -> None:
    """Moves an approved question one place up or down the queue (no-op at either end)."""
    if question.status != LiveQuestionStatus.APPROVED:
        raise InvalidTransition(_("Only questions in the queue can be moved."))
    position = col(LiveQuestion.position)
    neighbour = session.exec(select(LiveQuestion).where(  # type: ignore[call-overload]
        col(LiveQuestion.conference_id) == conference.id,
        col(LiveQuestion.status) == LiveQuestionStatus.APPROVED,
        position < question.position if up else position > question.position,
    ).order_by(position.desc() if up else position).limit(1)).scalars().first()
    if neighbour is not None:
        question.position, neighbour.position = neighbour.position, question.position
        session.add(neighbour)


def defer_live(session: Session, *, actor: User, question: LiveQuestion, question_id: int) -> None:
    """Records that a live question became the written question ``question_id`` (made by the
    questions domain, which calls this). Side effects: status → deferred; wakes the live
    pages. Errors: PermissionDenied, InvalidTransition."""
    conference = _live_conference(session, actor, question)
    if question.status not in (LiveQuestionStatus.APPROVED, LiveQuestionStatus.ON_SCREEN,
                               LiveQuestionStatus.PENDING):
        raise InvalidTransition(_("This question is “%(state)s” now: reload the queue to see "
                                  "what can be done with it.",
                                  state=_(LIVE_STATUS_LABELS[question.status])))
    question.status = LiveQuestionStatus.DEFERRED
    question.question_id = question_id
    question.moderated_at = now()
    session.add(question)
    audit.record(session, actor=actor, action="live_question.deferred", subject=question,
                 case=conference)
    _changed_live(session, question, public=True)
    session.flush()


def vote_live(session: Session, *, journalist: User, question: LiveQuestion) -> bool:
    """An accredited journalist's one vote for a question in the queue or on screen (not their
    own). Returns False when they had voted already. Side effects: the vote and the count;
    wakes the live pages. Errors: PermissionDenied, InvalidTransition."""
    conference = session.get(PressConference, question.conference_id)
    if conference is None or not journalist.allows("conferences.attend") or not is_accredited(
            session, conference.id or 0, journalist.id or 0):
        raise PermissionDenied(_("Only journalists accredited to this press conference vote."))
    if conference.status != ConferenceStatus.LIVE or question.status not in (
            LiveQuestionStatus.APPROVED, LiveQuestionStatus.ON_SCREEN):
        raise InvalidTransition(_("Votes go to questions in the queue while the press "
                                  "conference is live."))
    if question.journalist_id == journalist.id:
        raise InvalidTransition(_("You cannot vote for your own question."))
    if session.get(LiveVote, (question.id, journalist.id)) is not None:
        return False
    try:
        with session.begin_nested():  # two tabs voting at once: the second finds the first
            session.add(LiveVote(live_question_id=question.id or 0,
                                 journalist_id=journalist.id or 0))
    except IntegrityError:
        return False
    # Counted in SQL: concurrent votes of different journalists all count.
    session.execute(update(LiveQuestion).where(col(LiveQuestion.id) == question.id)
                    .values(votes=LiveQuestion.votes + 1))
    broadcast.changed(session, live_topic(conference.id or 0),
                      live_queue_topic(conference.id or 0))
    return True
