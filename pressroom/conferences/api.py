"""JSON API of the spokesperson's conferences under /api/v1: schedule, edit, announce, go live,
end, hold, cancel, the transcript and its versions, accreditation and the live questions'
moderation; the journalist's registration, live questions and votes; the public live board.
Same services and scoping as the conference pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response, Security
from fastapi.security import HTTPBearer
from sqlmodel import Session

from pressroom.accounts.models import Outlet, User
from pressroom.accounts.schemas import ErrorPublic
from pressroom.conferences import service
from pressroom.conferences.models import PressConference, TranscriptTurn
from pressroom.conferences.queries import (
    LiveRow,
    accreditation_of,
    accreditations,
    live_board,
    live_queue,
    live_row,
    managed_accreditation,
    managed_by,
    managed_conference,
    managed_live_question,
    own_live,
    participants,
    participants_by_conference,
    public_conference,
    public_live_question,
)
from pressroom.conferences.schemas import (
    AccreditationDecision,
    AccreditationPublic,
    ConferenceAnnounce,
    ConferenceCancel,
    ConferenceCreate,
    ConferencePostpone,
    ConferencePublic,
    LiveModeration,
    LiveQuestionIn,
    LiveQuestionPublic,
    TranscriptIn,
    TranscriptVersionPublic,
    TurnPublic,
)
from pressroom.conferences.versions import transcript_versions
from pressroom.core import idempotency
from pressroom.core.db import check_version
from pressroom.core.deps import (
    DbId,
    IdempotencyKey,
    IfMatch,
    SessionDep,
    claim_once,
    etag,
    public,
    require,
)
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import all_organizations

router = APIRouter(tags=["conferences"], dependencies=[Security(HTTPBearer(auto_error=False))])
Manager = Annotated[User, require("conferences.manage")]
Attendee = Annotated[User, require("conferences.attend")]
TranscriptManager = Annotated[User, require("transcripts.manage")]

Responses = dict[int | str, dict[str, Any]]
AUTH: Responses = {
    401: {"model": ErrorPublic, "description": "No valid bearer token"},
    403: {"model": ErrorPublic, "description": "Only a spokesperson may do this"},
}
FOUND: Responses = {
    **AUTH,
    404: {"model": ErrorPublic, "description": "No such conference among those you manage"},
}
CHANGE: Responses = {
    **FOUND,
    409: {"model": ErrorPublic,
          "description": "Not possible in the conference's current state, or changed by "
                         "someone else at the same time"},
    412: {"description": "If-Match names an older version: someone changed the conference "
                         "since you read it (`current_version` and the ETag give the new one)"},
}
INPUT: Responses = {
    422: {"description": "Invalid body (`detail` lists the errors) or rejected values "
                         "(`detail` is a message and `errors` has one message per field)"},
}


def _one(session: Session, conference: PressConference) -> ConferencePublic:
    return ConferencePublic.from_model(
        conference, session.get(Organization, conference.host_organization_id),
        participants(session, conference.id or 0))


def _turn(turn: TranscriptTurn) -> TurnPublic:
    return TurnPublic(position=turn.position, speaker_name=turn.speaker_name,
                      speaker_role=turn.speaker_role, text=turn.text,
                      offset_seconds=turn.offset_seconds, question_id=turn.question_id)


@router.get("/staff/conferences", response_model=list[ConferencePublic], responses=AUTH,
            summary="Conferences you manage")
def list_managed(session: SessionDep, user: Manager) -> list[ConferencePublic]:
    """Every conference hosted by your organisation or below it, drafts and cancelled ones
    included, latest first."""
    conferences = managed_by(session, user)
    guests = participants_by_conference(session, [c.id or 0 for c in conferences])
    orgs = {org.id: org for org in all_organizations(session)}
    return [ConferencePublic.from_model(c, orgs.get(c.host_organization_id), guests[c.id or 0])
            for c in conferences]


@router.get("/staff/conferences/{conference_id}", response_model=ConferencePublic,
            responses=FOUND, summary="One conference you manage (with its ETag)")
def get_managed(response: Response, session: SessionDep, user: Manager,
                conference_id: DbId) -> ConferencePublic:
    """The conference as you may change it; its `ETag` (the row version) goes back as
    `If-Match` on a change so that a change made meanwhile is never overwritten."""
    conference = managed_conference(session, user, conference_id)
    etag(response, conference.row_version)
    return _one(session, conference)


@router.post("/conferences", status_code=201, response_model=ConferencePublic,
             responses={**AUTH, **INPUT}, summary="Schedule a conference (as a draft)")
def create(request: Request, response: Response, session: SessionDep, user: Manager,
           body: ConferenceCreate, key: IdempotencyKey = None) -> Any:
    """Saves a press conference as a draft, not public until it is announced. The host must be
    an organisation you speak for; participants are ministries or agencies. With an
    `Idempotency-Key`, a repeat returns the first conference instead of a second one."""
    replay, slot = claim_once(request, session, user, key, body.model_dump(mode="json"))
    if replay is not None:
        return replay
    conference = service.create_conference(session, actor=user, data=body)
    result = _one(session, conference)
    idempotency.settle(session, slot, status=201, body=result.model_dump(mode="json"))
    return _committed(response, session, conference, result)


@router.put("/conferences/{conference_id}", response_model=ConferencePublic,
            responses={**CHANGE, **INPUT}, summary="Change a conference's details")
def update(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
           body: ConferenceCreate, if_match: IfMatch) -> ConferencePublic:
    """Replaces the details and participants (not once cancelled or its transcript is out).
    Send `If-Match` with the ETag you read: a stale one gets 412."""
    conference = managed_conference(session, user, conference_id)
    check_version(conference, if_match)
    service.update_conference(session, actor=user, conference=conference, data=body)
    return _committed(response, session, conference)


def _committed(response: Response, session: Session, conference: PressConference,
               result: ConferencePublic | None = None) -> ConferencePublic:
    result = result or _one(session, conference)
    session.commit()
    etag(response, conference.row_version)
    return result


def _transition(response: Response, session: Session, user: User, conference_id: DbId,
                if_match: int | None, function: Callable[..., None], **data: Any
                ) -> ConferencePublic:
    conference = managed_conference(session, user, conference_id)
    check_version(conference, if_match)
    function(session, actor=user, conference=conference, **data)
    return _committed(response, session, conference)


@router.post("/conferences/{conference_id}/announce", response_model=ConferencePublic,
             responses={**CHANGE, **INPUT},
             summary="Announce a draft conference (makes it public)")
def announce(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
             if_match: IfMatch, body: ConferenceAnnounce | None = None) -> ConferencePublic:
    """draft → announced: the conference appears publicly and journalists may send questions
    for it until it ends. Less than 24 hours before it starts, `reason` is required (Press
    Law 2016, Art. 41); it is kept in the record."""
    return _transition(response, session, user, conference_id, if_match,
                       service.announce_conference, data=body or ConferenceAnnounce())


@router.post("/conferences/{conference_id}/held", response_model=ConferencePublic,
             responses=CHANGE, summary="Record that a conference was held")
def held(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
         if_match: IfMatch) -> ConferencePublic:
    """announced → held, once its start time has passed; the transcript can then be entered."""
    return _transition(response, session, user, conference_id, if_match,
                       service.mark_conference_held)


@router.post("/conferences/{conference_id}/live", response_model=ConferencePublic,
             responses=CHANGE, summary="Go live")
def go_live(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
            if_match: IfMatch) -> ConferencePublic:
    """announced or postponed → live, from an hour before its start: accredited journalists
    may send questions."""
    return _transition(response, session, user, conference_id, if_match, service.go_live)


@router.post("/conferences/{conference_id}/end", response_model=ConferencePublic,
             responses=CHANGE, summary="End a live conference")
def end(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
        if_match: IfMatch) -> ConferencePublic:
    """live → held: no more live questions; the transcript can be entered."""
    return _transition(response, session, user, conference_id, if_match,
                       service.end_conference)


@router.post("/conferences/{conference_id}/cancel", response_model=ConferencePublic,
             responses={**CHANGE, **INPUT}, summary="Cancel a conference still to come")
def cancel(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
           body: ConferenceCancel, if_match: IfMatch) -> ConferencePublic:
    """draft, announced or postponed → cancelled (final), with a `reason` its public page
    shows (an announced one stays public). Its questions not yet answered become written
    questions to the ministry they were addressed to."""
    return _transition(response, session, user, conference_id, if_match,
                       service.cancel_conference, data=body)


@router.post("/conferences/{conference_id}/postpone", response_model=ConferencePublic,
             responses={**CHANGE, **INPUT}, summary="Postpone a conference to a later time")
def postpone(response: Response, session: SessionDep, user: Manager, conference_id: DbId,
             body: ConferencePostpone, if_match: IfMatch) -> ConferencePublic:
    """announced or postponed → postponed, to a later time (in the future, at most two years
    ahead) with a `reason` its public page shows; questions stay open until it ends."""
    return _transition(response, session, user, conference_id, if_match,
                       service.postpone_conference, data=body)


@router.put("/conferences/{conference_id}/transcript", response_model=list[TurnPublic],
            responses={**CHANGE, **INPUT}, summary="Save a held conference's transcript (draft)")
def save_transcript(request: Request, response: Response, session: SessionDep,
                    user: TranscriptManager, conference_id: DbId, body: TranscriptIn,
                    if_match: IfMatch, key: IdempotencyKey = None) -> Any:
    """Replaces the speaker turns, in the order given (positions from 1), and the recording's
    address. Only once the conference is held and until its transcript is published; the
    first save makes the transcript draft (`transcript_draft`), and each save that changes it
    is a version. A turn may link a question asked at this conference."""
    conference = managed_conference(session, user, conference_id)
    replay, slot = claim_once(request, session, user, key, body.model_dump(mode="json"))
    if replay is not None:
        return replay
    check_version(conference, if_match)
    turns = service.replace_transcript(session, actor=user, conference=conference, data=body)
    result = [_turn(turn) for turn in turns]
    idempotency.settle(session, slot, status=200, body=[t.model_dump(mode="json") for t in result])
    session.commit()
    etag(response, conference.row_version)
    return result


@router.post("/conferences/{conference_id}/transcript/publish", response_model=ConferencePublic,
             responses=CHANGE, summary="Publish the saved transcript")
def publish_transcript(request: Request, response: Response, session: SessionDep,
                       user: TranscriptManager, conference_id: DbId, if_match: IfMatch
                       ) -> ConferencePublic:
    """transcript_draft → transcript_published: the saved draft becomes the final version,
    public at once and locked; its PDF is rendered shortly after, off the request path."""
    conference = managed_conference(session, user, conference_id)
    check_version(conference, if_match)
    service.publish_transcript(session, actor=user, conference=conference)
    result = _committed(response, session, conference)
    request.app.state.wake_pdf_worker()
    return result


@router.get("/staff/conferences/{conference_id}/transcript/versions",
            response_model=list[TranscriptVersionPublic], responses=FOUND,
            summary="Every saved version of a conference's transcript")
def list_transcript_versions(session: SessionDep, user: TranscriptManager,
                             conference_id: DbId) -> list[TranscriptVersionPublic]:
    """Each save that changed the transcript, the first first, with its turns as saved; the
    last is the current text (the final one once published)."""
    conference = managed_conference(session, user, conference_id)
    return [TranscriptVersionPublic(
        number=version.number, saved_at=version.at, saved_by=version.actor_name,
        recording_url=version.recording_url,
        turns=[TurnPublic(position=position, speaker_name=turn["speaker_name"],
                          speaker_role=turn.get("speaker_role") or "", text=turn["text"],
                          offset_seconds=turn.get("offset_seconds"),
                          question_id=turn.get("question_id"))
               for position, turn in enumerate(version.turns, start=1)])
        for version in transcript_versions(session, conference)]


@router.get("/staff/conferences/{conference_id}/accreditations",
            response_model=list[AccreditationPublic], responses=FOUND,
            summary="Registrations for a conference you manage")
def list_accreditations(session: SessionDep, user: Manager,
                        conference_id: DbId) -> list[AccreditationPublic]:
    """Every journalist who registered, awaiting approval first, then by outlet and name."""
    conference = managed_conference(session, user, conference_id)
    return [AccreditationPublic.from_model(a, j, o)
            for a, j, o in accreditations(session, conference.id or 0)]


@router.post("/accreditations/{accreditation_id}/decision", response_model=AccreditationPublic,
             responses={**CHANGE, **INPUT}, summary="Approve or decline a registration")
def decide(response: Response, session: SessionDep, user: Manager, accreditation_id: DbId,
           body: AccreditationDecision, if_match: IfMatch) -> AccreditationPublic:
    """Approves (up to the conference's capacity) or declines (with a `reason` the journalist
    is told) while the conference is announced or live. Send `If-Match` with the
    registration's `row_version`: a stale one gets 412."""
    accreditation = managed_accreditation(session, user, accreditation_id)
    check_version(accreditation, if_match)
    service.decide_accreditation(session, actor=user, accreditation=accreditation,
                                 approve=body.approve, reason=body.reason)
    return _registration(response, session, accreditation)


def _registration(response: Response, session: Session, accreditation: Any) -> AccreditationPublic:
    journalist = session.get(User, accreditation.journalist_id)
    assert journalist is not None
    result = AccreditationPublic.from_model(
        accreditation, journalist,
        session.get(Outlet, journalist.outlet_id) if journalist.outlet_id else None)
    session.commit()
    etag(response, accreditation.row_version)
    return result


@router.post("/conferences/{conference_id}/accreditation", response_model=AccreditationPublic,
             responses={**FOUND, 409: {"model": ErrorPublic, "description": "Registration is "
                                       "closed"}, **INPUT},
             summary="Register to attend a conference (journalists)")
def register(response: Response, session: SessionDep, user: Attendee,
             conference_id: DbId) -> AccreditationPublic:
    """Registers you for an announced or live conference; registering again returns your
    registration. Journalists of an outlet the host trusts are accredited at once while
    places remain; others wait for the press office (`status` pending)."""
    conference = public_conference(session, conference_id)
    accreditation = service.request_accreditation(session, journalist=user, conference=conference)
    return _registration(response, session, accreditation)


@router.get("/conferences/{conference_id}/accreditation", response_model=AccreditationPublic,
            responses=FOUND, summary="Your registration for a conference (journalists)")
def my_registration(response: Response, session: SessionDep, user: Attendee,
                    conference_id: DbId) -> AccreditationPublic:
    """Your registration and its state; 404 when you have not registered."""
    conference = public_conference(session, conference_id)
    found = accreditation_of(session, conference.id or 0, user.id or 0)
    if found is None:
        raise NotFound(_("Registration not found."))
    return _registration(response, session, found)


LIVE: Responses = {
    **FOUND,
    403: {"model": ErrorPublic, "description": "Not a journalist accredited to this conference "
                                               "(or, to moderate, not its press office)"},
    409: {"model": ErrorPublic, "description": "Not possible in the question's or the "
                                               "conference's current state"},
}


def _live(rows: list[LiveRow]) -> list[LiveQuestionPublic]:
    return [LiveQuestionPublic.from_row(r.question, r.asker, r.outlet) for r in rows]


def _live_one(session: Session, question: Any) -> LiveQuestionPublic:
    return _live([live_row(session, question)])[0]


@router.get("/conferences/{conference_id}/live-questions",
            response_model=list[LiveQuestionPublic],
            responses={404: {"model": ErrorPublic, "description": "No such public conference"}},
            summary="The live board of a conference (public)")
def board(session: SessionDep, user: Annotated[Any, public],
          conference_id: DbId) -> list[LiveQuestionPublic]:
    """What everyone watching sees: the question on screen, the queue in the moderator's
    order, then those answered live or to be answered in writing. Questions waiting for the
    moderator, or declined, are not shown."""
    return _live(live_board(session, public_conference(session, conference_id).id or 0))


@router.get("/conferences/{conference_id}/live-questions/mine",
            response_model=list[LiveQuestionPublic], responses=FOUND,
            summary="Your live questions at a conference (journalists)")
def my_live_questions(session: SessionDep, user: Attendee,
                      conference_id: DbId) -> list[LiveQuestionPublic]:
    """Your own live questions at this conference, whatever their state."""
    conference = public_conference(session, conference_id)
    return _live(own_live(session, conference.id or 0, user.id or 0))


@router.post("/conferences/{conference_id}/live-questions", status_code=201,
             response_model=LiveQuestionPublic, responses={**LIVE, **INPUT},
             summary="Ask a question while the conference is live (accredited journalists)")
def ask(session: SessionDep, user: Attendee, conference_id: DbId,
        body: LiveQuestionIn) -> LiveQuestionPublic:
    """Sends a question to the moderator (`status` pending): it is shown to everyone once
    approved. Only journalists accredited to the conference ask, while it is live, at most a
    few a minute (422 says when the next may be sent)."""
    conference = public_conference(session, conference_id)
    question = service.ask_live(session, journalist=user, conference=conference, body=body.body)
    session.commit()
    return _live_one(session, question)


@router.post("/live-questions/{question_id}/vote", response_model=LiveQuestionPublic,
             responses=LIVE, summary="Vote for a question in the queue (accredited journalists)")
def vote(response: Response, session: SessionDep, user: Attendee,
         question_id: DbId) -> LiveQuestionPublic:
    """One vote per journalist per question, not for your own; voting again changes nothing
    (`X-Vote-Counted: false`)."""
    question = public_live_question(session, question_id)
    counted = service.vote_live(session, journalist=user, question=question)
    session.commit()
    session.refresh(question)
    response.headers["X-Vote-Counted"] = "true" if counted else "false"
    return _live_one(session, question)


@router.get("/staff/conferences/{conference_id}/live-questions",
            response_model=list[LiveQuestionPublic], responses=FOUND,
            summary="The moderator's queue of a conference you manage")
def queue(session: SessionDep, user: Manager, conference_id: DbId) -> list[LiveQuestionPublic]:
    """Every live question: on screen, waiting, the queue in order, then those dealt with."""
    return _live(live_queue(session, managed_conference(session, user, conference_id).id or 0))


@router.post("/live-questions/{question_id}/moderation", response_model=LiveQuestionPublic,
             responses={**LIVE, 412: CHANGE[412], **INPUT}, summary="Moderate a live question")
def moderate(response: Response, session: SessionDep, user: Manager, question_id: DbId,
             body: LiveModeration, if_match: IfMatch) -> LiveQuestionPublic:
    """The moderator's move while the conference is live. Send `If-Match` with the question's
    `row_version`: a move made meanwhile by another moderator gets 412."""
    question = managed_live_question(session, user, question_id)
    check_version(question, if_match)
    service.moderate_live(session, actor=user, question=question, action=body.action)
    session.commit()
    etag(response, question.row_version)
    return _live_one(session, question)
