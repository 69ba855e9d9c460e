"""The spokesperson's conference pages: schedule, edit, announce, go live, end, hold, cancel,
transcript, accreditation; and the journalist's registration page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session
from starlette.datastructures import FormData

from pressroom.accounts.enums import role_names
from pressroom.accounts.models import User
from pressroom.conferences import service
from pressroom.conferences.enums import (
    ACCREDITATION_OPEN,
    ACCREDITATION_STATUS_LABELS,
    CONFERENCE_STATUS_LABELS,
    LIVE_STATUS_LABELS,
    TRANSCRIPT_EDITABLE,
    AccreditationStatus,
    ConferenceStatus,
)
from pressroom.conferences.forms import (
    change_form,
    conference_form,
    conference_values,
    imported_rows,
    offset_text,
    rebase,
    transcript_form,
    transcript_upload,
)
from pressroom.conferences.models import PressConference
from pressroom.conferences.queries import (
    accreditation_of,
    accreditations,
    accredited_count,
    all_outlets,
    is_accredited,
    live_board,
    live_queue,
    managed_accreditation,
    managed_by,
    managed_conference,
    managed_live_question,
    own_live,
    participants,
    participants_by_conference,
    pending_question_count,
    public_conference,
    public_live_question,
    question_choices,
    speaker_choices,
    transcript,
    trusted_outlets,
)
from pressroom.conferences.schemas import ConferenceAnnounce, ConferenceCancel, ConferencePostpone
from pressroom.conferences.transcript_import import MAX_FILE_BYTES, parse_transcript
from pressroom.conferences.versions import diff_versions, transcript_versions, version_count
from pressroom.core import audit, idempotency, pagecache
from pressroom.core.bodyguard import allow_larger
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.db import check_version
from pressroom.core.deps import (
    CsrfDep,
    DbId,
    FormDep,
    SessionDep,
    SharedFragment,
    StreamSessionDep,
    flash_redirect,
    form_int,
    form_once,
    live_stream,
    per_change,
    public,
    require,
    stream_access,
)
from pressroom.core.errors import InvalidTransition, NotFound, StaleVersion, ValidationFailed
from pressroom.core.formtools import text_of, validate
from pressroom.core.i18n import get_locale, lazy
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render, render_to_string
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import scope_of, top_level_organizations, units_in

router = APIRouter(include_in_schema=False)
# Event streams of the live pages: they last minutes and take no database slot, so they stay
# out of the page router, whose dependencies (the unread badge) hold one per request.
streams = APIRouter(include_in_schema=False)
Manager = Annotated[User, require("conferences.manage")]
Attendee = Annotated[User, require("conferences.attend")]
TRANSCRIPT_ROWS_EXTRA = 3


def labels() -> dict[str, str]:
    return {state.value: _(label) for state, label in CONFERENCE_STATUS_LABELS.items()}


def _choices(session: SessionDep, user: User) -> dict[str, Any]:
    scope = scope_of(session, user.id or 0)
    tops = top_level_organizations(session)
    return {
        "hosts": [(str(o.id), o.name) for o in tops if o.id in scope],
        "ministries": [(str(o.id), o.name) for o in tops],
    }


def _history(session: SessionDep, conference: PressConference, after: int = 0
             ) -> list[audit.HistoryEntry]:
    orgs = {str(o.id): o.name for o in top_level_organizations(session)}
    return audit.history_entries(session, conference, roles=role_names(), after=after, values={
        ("press_conference", "status"): labels(),
        ("press_conference", "host_organization_id"): orgs,
        ("press_conference", "participant_ids"): orgs,
    })


def _changed_since(session: SessionDep, conference: PressConference, form: FormData
                   ) -> list[audit.HistoryEntry] | None:
    """None when the form was read at the conference's current version; else what changed
    since the form's page was shown."""
    try:
        check_version(conference, form_int(form, "version"))
    except StaleVersion:
        return _history(session, conference, after=form_int(form, "seen") or 0)
    return None


@router.get("/staff/conferences")
def conference_list(request: Request, session: SessionDep, user: Manager) -> Response:
    conferences = managed_by(session, user)
    parts = participants_by_conference(session, [c.id or 0 for c in conferences])
    return render(request, "conferences/list.html", {
        "conferences": conferences, "participants": parts, "labels": labels()})


@router.get("/staff/conferences/new")
def new_conference(request: Request, session: SessionDep, user: Manager) -> Response:
    choices = _choices(session, user)
    form = {"host_organization_id": choices["hosts"][0][0] if choices["hosts"] else ""}
    return render(request, "conferences/form.html",
                  {"form": form, "errors": {}, "conference": None, **choices})


@router.post("/staff/conferences/new", dependencies=[CsrfDep])
def create_conference(request: Request, session: SessionDep, user: Manager,
                      form: FormDep) -> Response:
    data, raw, errors = conference_form(form)
    if data is not None:
        try:
            replay, slot = form_once(request, session, user, form)
            if replay is not None:
                return replay
            conference = service.create_conference(session, actor=user, data=data)
            location = f"/staff/conferences/{conference.id}"
            idempotency.settle(session, slot, status=303, location=location)
            session.commit()
            return flash_redirect(location, _("The press conference was saved as a draft."))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields or {"__all__": exc.message}
    return render(request, "conferences/form.html", {
        "form": raw, "errors": errors, "conference": None, **_choices(session, user)}, 400)


def _detail(request: Request, session: SessionDep, user: User, conference: PressConference,
            *, form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
            turns: list[dict[str, str]] | None = None, status: int = 200,
            stale: list[audit.HistoryEntry] | None = None,
            announce: dict[str, str] | None = None,
            extra_rows: int = TRANSCRIPT_ROWS_EXTRA,
            imported: tuple[str, int] | None = None,
            recording: str | None = None) -> Response:
    cid = conference.id or 0
    saved = transcript(session, cid)
    if turns is None:
        turns = [{"speaker_name": t.speaker_name, "speaker_role": t.speaker_role, "text": t.text,
                  "offset": offset_text(t.offset_seconds),
                  "question_id": str(t.question_id or "")} for t in saved]
    saved_turns = len(saved)
    return render(request, "conferences/detail.html", {
        "conference": conference,
        "participants": participants(session, cid),
        "labels": labels(),
        "form": form or conference_values(conference, [o.id or 0 for o in participants(session, cid)]),
        "errors": errors or {},
        "turns": turns + [{} for _i in range(extra_rows)],
        "saved_turns": saved_turns,
        "editable": conference.status not in (ConferenceStatus.CANCELLED,
                                              ConferenceStatus.TRANSCRIPT_PUBLISHED),
        "transcript_open": conference.status in TRANSCRIPT_EDITABLE,
        "recording": {"recording_url": conference.recording_url if recording is None
                      else recording},
        "speakers": speaker_choices(session, conference),
        "versions": version_count(session, conference),
        "question_choices": question_choices(session, cid),
        "history": (history := _history(session, conference)),
        "version": conference.row_version,
        "seen": history[-1].id if history else 0,
        "stale": stale,
        "announce": announce or {},
        "short_notice": conference.starts_at - now() < service.NOTICE,
        "accredited": accredited_count(session, cid),
        "imported": imported,
        **_choices(session, user),
    }, status)


@router.get("/staff/conferences/{conference_id}")
def conference_detail(request: Request, session: SessionDep, user: Manager,
                      conference_id: DbId) -> Response:
    return _detail(request, session, user, managed_conference(session, user, conference_id))


@router.post("/staff/conferences/{conference_id}/edit", dependencies=[CsrfDep])
def edit_conference(request: Request, session: SessionDep, user: Manager, form: FormDep,
                    conference_id: DbId) -> Response:
    conference = managed_conference(session, user, conference_id)
    data, raw, errors = conference_form(form)
    stale = _changed_since(session, conference, form)
    if stale is not None:
        current = conference_values(conference, [o.id or 0 for o in participants(session, conference_id)])
        raw = rebase(raw, current, audit.values_before(session, conference,
                                                       after=form_int(form, "seen") or 0))
    if data is not None and stale is None:
        try:
            service.update_conference(session, actor=user, conference=conference, data=data)
            session.commit()
            return flash_redirect(f"/staff/conferences/{conference_id}", _("Changes saved."))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields
    return _detail(request, session, user, conference, form=raw, errors=errors,
                   status=409 if stale is not None else 400, stale=stale)


@router.post("/staff/conferences/{conference_id}/announce", dependencies=[CsrfDep])
def announce(request: Request, session: SessionDep, user: Manager, form: FormDep,
             conference_id: DbId) -> Response:
    conference = managed_conference(session, user, conference_id)
    raw = {"reason": text_of(form, "reason")}
    stale = _changed_since(session, conference, form)
    if stale is not None:
        return _detail(request, session, user, conference, status=409, stale=stale,
                       announce=raw)
    data, errors = validate(ConferenceAnnounce, raw)
    if data is not None:
        try:
            service.announce_conference(session, actor=user, conference=conference, data=data)
            session.commit()
            return flash_redirect(f"/staff/conferences/{conference_id}",
                                  _("The press conference is announced and public."))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields
    return _detail(request, session, user, conference, errors=errors, status=400, announce=raw)


STEPS: dict[str, tuple[Callable[..., None], str]] = {
    "held": (service.mark_conference_held, lazy("The press conference is recorded as held.")),
    "live": (service.go_live, lazy("The press conference is live: accredited journalists can "
                                   "send questions now.")),
    "end": (service.end_conference, lazy("The press conference has ended. Enter its "
                                         "transcript below.")),
}


def _step(action: str) -> Any:
    """The handler of a one-button transition (record as held, go live, end)."""
    act, done = STEPS[action]

    def submit(request: Request, session: SessionDep, user: Manager, form: FormDep,
               conference_id: DbId) -> Response:
        conference = managed_conference(session, user, conference_id)
        stale = _changed_since(session, conference, form)
        if stale is not None:
            return _detail(request, session, user, conference, status=409, stale=stale)
        act(session, actor=user, conference=conference)
        session.commit()
        return flash_redirect(f"/staff/conferences/{conference_id}", _(done))

    return submit


for _name in STEPS:
    router.add_api_route(f"/staff/conferences/{{conference_id}}/{_name}", _step(_name),
                         methods=["POST"], dependencies=[CsrfDep], name=f"conference_{_name}")


def _confirm_page(request: Request, session: SessionDep, conference: PressConference,
                  action: str, form: dict[str, Any], errors: dict[str, str],
                  status: int = 200, stale: list[audit.HistoryEntry] | None = None) -> Response:
    history = _history(session, conference)
    return render(request, "conferences/confirm.html", {
        "conference": conference, "action": action, "form": form, "errors": errors,
        "labels": labels(), "stale": stale,
        "pending": pending_question_count(session, conference.id or 0),
        "host": session.get(Organization, conference.host_organization_id),
        "version": conference.row_version, "seen": history[-1].id if history else 0,
    }, status)


DELIBERATE: dict[str, tuple[type[BaseModel], Callable[..., None], str]] = {
    "cancel": (ConferenceCancel, service.cancel_conference,
               lazy("The press conference is cancelled. Its public page says so, with your "
                    "reason.")),
    "postpone": (ConferencePostpone, service.postpone_conference,
                 lazy("The press conference is postponed. Its public page shows the new time "
                      "and your reason.")),
}


def _deliberate(action: str) -> tuple[Any, Any]:
    """The confirmation page of a cancellation or postponement (what will happen, the reason
    and, to postpone, the new time) and its form's handler."""
    schema, act, done = DELIBERATE[action]

    def page(request: Request, session: SessionDep, user: Manager,
             conference_id: DbId) -> Response:
        conference = managed_conference(session, user, conference_id)
        values = conference_values(conference, [])
        form = {"starts_at": values["starts_at"], "ends_at": values["ends_at"], "reason": ""}
        return _confirm_page(request, session, conference, action, form, {})

    def submit(request: Request, session: SessionDep, user: Manager, form: FormDep,
               conference_id: DbId) -> Response:
        conference = managed_conference(session, user, conference_id)
        data, raw, errors = change_form(schema, form)
        stale = _changed_since(session, conference, form)
        if stale is not None:
            return _confirm_page(request, session, conference, action, raw, {}, 409, stale)
        if data is not None:
            try:
                act(session, actor=user, conference=conference, data=data)
                session.commit()
                return flash_redirect(f"/staff/conferences/{conference_id}", _(done))
            except ValidationFailed as exc:
                session.rollback()
                errors = exc.fields
        return _confirm_page(request, session, conference, action, raw, errors, 400)

    return page, submit


for _action in ("cancel", "postpone"):
    _page, _submit = _deliberate(_action)
    router.add_api_route(f"/staff/conferences/{{conference_id}}/{_action}", _page,
                         methods=["GET"], name=f"conference_{_action}_page")
    router.add_api_route(f"/staff/conferences/{{conference_id}}/{_action}", _submit,
                         methods=["POST"], dependencies=[CsrfDep], name=f"conference_{_action}")


@router.post("/staff/conferences/{conference_id}/transcript", dependencies=[CsrfDep])
def save_transcript(request: Request, session: SessionDep, user: Manager, form: FormDep,
                    conference_id: DbId) -> Response:
    conference = managed_conference(session, user, conference_id)
    data, turns, recording, errors = transcript_form(form)
    if form.get("add_rows"):  # more empty rows for a long transcript; nothing saved yet
        return _detail(request, session, user, conference, turns=turns, recording=recording,
                       extra_rows=len(turns) // 2 + TRANSCRIPT_ROWS_EXTRA + 5)
    try:
        replay, slot = form_once(request, session, user, form)
    except ValidationFailed as exc:  # the form's key was sent before with other content
        return _detail(request, session, user, conference, errors={"__all__": exc.message},
                       turns=turns, recording=recording, status=422)
    if replay is not None:
        return replay
    stale = _changed_since(session, conference, form)
    if data is not None and stale is None:
        try:
            service.replace_transcript(session, actor=user, conference=conference, data=data)
            if form.get("publish"):
                service.publish_transcript(session, actor=user, conference=conference)
            idempotency.settle(session, slot, status=303,
                               location=f"/staff/conferences/{conference_id}")
            session.commit()
            request.app.state.wake_pdf_worker()
            message = (_("The transcript is published.") if form.get("publish")
                       else _("The transcript is saved."))
            return flash_redirect(f"/staff/conferences/{conference_id}", message)
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields
    return _detail(request, session, user, conference, errors=errors, turns=turns,
                   recording=recording, status=409 if stale is not None else 400, stale=stale)


@router.post(allow_larger("/staff/conferences/{conference_id}/transcript/import",
                          MAX_FILE_BYTES + 256 * 1024), dependencies=[CsrfDep])
def import_transcript(request: Request, session: SessionDep, user: Manager, form: FormDep,
                      conference_id: DbId) -> Response:
    """Reads a transcript file (plain text, SRT, WebVTT, Word) into the editor's rows, to
    check and correct before saving: nothing is saved here."""
    conference = managed_conference(session, user, conference_id)
    if conference.status not in TRANSCRIPT_EDITABLE:
        raise InvalidTransition(service.state_message(conference))
    upload = transcript_upload(form)
    if upload is None:
        errors = {"transcript_file": _("Transcript file: choose a .txt, .srt, .vtt or .docx "
                                       "file.")}
    else:
        try:
            rows = imported_rows(parse_transcript(*upload))
            return _detail(request, session, user, conference, turns=rows,
                           imported=(upload[0], len(rows)))
        except ValidationFailed as exc:
            errors = exc.fields or {"transcript_file": exc.message}
    return _detail(request, session, user, conference, errors=errors, status=400)


@router.get("/staff/conferences/{conference_id}/transcript/versions")
def transcript_history(request: Request, session: SessionDep, user: Manager,
                       conference_id: DbId) -> Response:
    """The transcript's saved versions, the newest first, with what each changed."""
    conference = managed_conference(session, user, conference_id)
    versions = transcript_versions(session, conference)
    return render(request, "conferences/versions.html", {
        "conference": conference,
        "rows": [(version, diff_versions(versions[i - 1] if i else None, version))
                 for i, version in enumerate(versions)][::-1],
        "final": conference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED,
    })


@router.get("/staff/conferences/{conference_id}/transcript/versions/{number}")
def transcript_version(request: Request, session: SessionDep, user: Manager,
                       conference_id: DbId, number: DbId) -> Response:
    """One version of the transcript: what it changed in the one before, word by word, and
    its whole text."""
    conference = managed_conference(session, user, conference_id)
    versions = transcript_versions(session, conference)
    if number > len(versions):
        raise NotFound(_("This version of the transcript does not exist."))
    version = versions[number - 1]
    return render(request, "conferences/version.html", {
        "conference": conference, "version": version, "count": len(versions),
        "diff": diff_versions(versions[number - 2] if number > 1 else None, version),
        "final": (conference.status == ConferenceStatus.TRANSCRIPT_PUBLISHED
                  and number == len(versions)),
        "question_titles": dict(question_choices(session, conference_id)),
    })


def _accreditations_page(request: Request, session: SessionDep, conference: PressConference,
                         *, errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
                         status: int = 200) -> Response:
    rows = accreditations(session, conference.id or 0)
    trusted = trusted_outlets(session, conference.host_organization_id)
    trusted_ids = {o.id for o in trusted}
    return render(request, "conferences/accreditations.html", {
        "conference": conference,
        "rows": rows,
        "approved": sum(1 for a, _u, _o in rows if a.status == AccreditationStatus.APPROVED),
        "pending": sum(1 for a, _u, _o in rows if a.status == AccreditationStatus.PENDING),
        "labels": {s.value: _(label) for s, label in ACCREDITATION_STATUS_LABELS.items()},
        "open": conference.status in ACCREDITATION_OPEN,
        "host": session.get(Organization, conference.host_organization_id),
        "trusted": trusted,
        "outlet_choices": [(str(o.id), o.name) for o in all_outlets(session)
                           if o.id not in trusted_ids],
        "errors": errors or {}, "form": form or {},
    }, status)


@router.get("/staff/conferences/{conference_id}/accreditations")
def accreditation_list(request: Request, session: SessionDep, user: Manager,
                       conference_id: DbId) -> Response:
    return _accreditations_page(request, session, managed_conference(session, user, conference_id))


@router.post("/staff/accreditations/{accreditation_id}/decision", dependencies=[CsrfDep])
def decide_accreditation(request: Request, session: SessionDep, user: Manager, form: FormDep,
                         accreditation_id: DbId) -> Response:
    accreditation = managed_accreditation(session, user, accreditation_id)
    conference = managed_conference(session, user, accreditation.conference_id)
    approve = text_of(form, "decision") == "approve"
    reason = text_of(form, f"reason-{accreditation_id}").strip()
    back = f"/staff/conferences/{conference.id}/accreditations"
    try:
        check_version(accreditation, form_int(form, "version"))
        service.decide_accreditation(session, actor=user, accreditation=accreditation,
                                     approve=approve, reason=reason)
        session.commit()
    except StaleVersion:
        return flash_redirect(back, _("Someone else decided on this registration meanwhile: "
                                      "see its state below and decide again if needed."),
                              "warning")
    except ValidationFailed as exc:
        session.rollback()
        errors = {f"reason-{accreditation_id}": exc.fields.get("reason", exc.message)}
        return _accreditations_page(request, session, conference, errors=errors,
                                    form={f"reason-{accreditation_id}": reason}, status=400)
    journalist = session.get(User, accreditation.journalist_id)
    name = journalist.full_name if journalist else ""
    return flash_redirect(back, _("%(name)s is accredited.", name=name) if approve
                          else _("The registration of %(name)s is declined.", name=name))


@router.post("/staff/conferences/{conference_id}/trusted-outlets", dependencies=[CsrfDep])
def trust_outlet(request: Request, session: SessionDep, user: Manager, form: FormDep,
                 conference_id: DbId) -> Response:
    conference = managed_conference(session, user, conference_id)
    outlet_id = form_int(form, "outlet_id")
    if outlet_id is None or outlet_id not in {o.id for o in all_outlets(session)}:
        return _accreditations_page(request, session, conference, status=400, errors={
            "outlet_id": _("Press agency: choose one of the options.")})
    trusted = text_of(form, "trusted") != "0"
    service.set_trusted_outlet(session, actor=user, organization_id=conference.host_organization_id,
                               outlet_id=outlet_id, trusted=trusted)
    session.commit()
    return flash_redirect(f"/staff/conferences/{conference_id}/accreditations",
                          _("Its journalists are now accredited automatically.") if trusted
                          else _("Its journalists now wait for your approval."))


def _registration_page(request: Request, session: SessionDep, user: User,
                       conference: PressConference, status: int = 200,
                       error: str = "") -> Response:
    return render(request, "conferences/accreditation.html", {
        "conference": conference,
        "accreditation": accreditation_of(session, conference.id or 0, user.id or 0),
        "labels": {s.value: _(label) for s, label in ACCREDITATION_STATUS_LABELS.items()},
        "open": conference.status in ACCREDITATION_OPEN,
        "host": session.get(Organization, conference.host_organization_id),
        "error": error,
    }, status)


@router.get("/conferences/{conference_id}/accreditation")
def registration(request: Request, session: SessionDep, user: Attendee,
                 conference_id: DbId) -> Response:
    return _registration_page(request, session, user, public_conference(session, conference_id))


@router.post("/conferences/{conference_id}/accreditation", dependencies=[CsrfDep])
def register(request: Request, session: SessionDep, user: Attendee, form: FormDep,
             conference_id: DbId) -> Response:
    conference = public_conference(session, conference_id)
    try:
        accreditation = service.request_accreditation(session, journalist=user,
                                                      conference=conference)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        return _registration_page(request, session, user, conference, 409, exc.message)
    message = (_("You are accredited.") if accreditation.status == AccreditationStatus.APPROVED
               else _("Your registration is sent: the press office will decide on it."))
    return flash_redirect(f"/conferences/{conference_id}/accreditation", message)


# The live conference -----------------------------------------------------------------------

LIVE_MODERATION = ("approve", "decline", "screen", "unscreen", "answered", "highlight",
                   "unhighlight", "up", "down")
_shared_fragments = SharedFragment()


def _live_labels() -> dict[str, str]:
    return {s.value: _(label) for s, label in LIVE_STATUS_LABELS.items()}


def _board_context(session: Session, conference: PressConference) -> dict[str, Any]:
    return {"conference": conference, "rows": live_board(session, conference.id or 0),
            "labels": _live_labels(), "csrf_token": pagecache.CSRF_PLACEHOLDER}


def _fresh(session: Session, render: Callable[[], str]) -> str:
    """Renders with the stream's session, read afresh and released at once (a stream holds no
    connection while it waits)."""
    session.expunge_all()
    try:
        return render()
    finally:
        session.commit()


def _shared(session: Session, kind: str, conference_id: int, template: str) -> Awaitable[str]:
    """A fragment that is the same for everyone watching (the board, the presenter screen),
    rendered once per public change and language in this process."""

    def render() -> str:
        conference = session.get(PressConference, conference_id)
        return "" if conference is None else render_to_string(
            template, _board_context(session, conference))

    return _shared_fragments.get((kind, conference_id, get_locale()),
                                 (service.live_topic(conference_id),),
                                 lambda: _fresh(session, render))


def _unit_choices(session: Session, conference: PressConference) -> list[tuple[str, str]]:
    return [(str(u.id), u.name) for u in units_in(session, conference.host_organization_id)]


def _queue_context(session: Session, conference: PressConference) -> dict[str, Any]:
    return {"conference": conference, "rows": live_queue(session, conference.id or 0),
            "labels": _live_labels()}


@router.get("/conferences/{conference_id}/live")
def live_page(request: Request, session: SessionDep, conference_id: DbId,
              user: Annotated[Any, public]) -> Response:
    """The live conference for everyone: the question on screen and the queue; accredited
    journalists also ask, see their own questions and vote."""
    return _live_page(request, session, public_conference(session, conference_id), user)


def _live_page(request: Request, session: Session, conference: PressConference, user: Any,
               *, form: dict[str, str] | None = None, errors: dict[str, str] | None = None,
               status: int = 200) -> Response:
    cid = conference.id or 0
    journalist = user is not None and user.allows("conferences.attend")
    accredited = journalist and is_accredited(session, cid, user.id or 0)
    return render(request, "conferences/live/page.html", {
        **_board_context(session, conference),
        "csrf_token": request.state.csrf_token,
        "accredited": accredited, "journalist": journalist,
        "mine": own_live(session, cid, user.id or 0) if accredited else [],
        "form": form or {}, "errors": errors or {},
        "rate": get_settings().live_questions_per_minute,
    }, status)


@streams.get("/conferences/{conference_id}/live/stream")
def live_page_stream(request: Request, session: StreamSessionDep, conference_id: DbId,
                     user: Annotated[Any, stream_access()]) -> Response:
    """The live page's updates (Server-Sent Events): the board, and a journalist's own
    questions."""
    public_conference(session, conference_id)
    session.commit()
    topics = [service.live_topic(conference_id)]
    mine = None
    if user is not None and user.allows("conferences.attend"):
        # A new question wakes only its asker (and the moderators), not everyone watching.
        topics.append(service.own_live_topic(conference_id, user.id or 0))
        mine = per_change(topics[1:], lambda: _fresh(session, lambda: render_to_string(
            "conferences/live/_mine.html", {
                "rows": own_live(session, conference_id, user.id or 0),
                "labels": _live_labels()})))

    async def fragments() -> dict[str, str]:
        pieces = {"board": await _shared(session, "board", conference_id,
                                         "conferences/live/_board.html")}
        if mine is not None:
            pieces["mine"] = await mine()
        return pieces

    return live_stream(request, topics, fragments)


@router.get("/conferences/{conference_id}/live/screen")
def presenter_screen(request: Request, session: SessionDep, conference_id: DbId,
                     user: Annotated[Any, public]) -> Response:
    """The presenter screen for the projector: the question on screen in large type and the
    next ones."""
    conference = public_conference(session, conference_id)
    return render(request, "conferences/live/screen.html", _board_context(session, conference))


@streams.get("/conferences/{conference_id}/live/screen/stream")
def presenter_stream(request: Request, session: StreamSessionDep, conference_id: DbId,
                     user: Annotated[Any, stream_access()]) -> Response:
    public_conference(session, conference_id)
    session.commit()

    async def fragments() -> dict[str, str]:
        return {"screen": await _shared(session, "screen", conference_id,
                                        "conferences/live/_screen.html")}

    return live_stream(request, [service.live_topic(conference_id)], fragments)


@router.post("/conferences/{conference_id}/live/questions", dependencies=[CsrfDep])
def ask_live(request: Request, session: SessionDep, user: Attendee, form: FormDep,
             conference_id: DbId) -> Response:
    conference = public_conference(session, conference_id)
    body = text_of(form, "body")
    try:
        service.ask_live(session, journalist=user, conference=conference, body=body)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        return _live_page(request, session, conference, user, form={"body": body},
                          errors=exc.fields, status=400)
    return flash_redirect(f"/conferences/{conference_id}/live",
                          _("Your question is sent: the moderator will see it now."))


@router.post("/live-questions/{question_id}/vote", dependencies=[CsrfDep])
def vote_live(request: Request, session: SessionDep, user: Attendee, form: FormDep,
              question_id: DbId) -> Response:
    question = public_live_question(session, question_id)
    counted = service.vote_live(session, journalist=user, question=question)
    session.commit()
    return flash_redirect(f"/conferences/{question.conference_id}/live",
                          _("Your vote is counted.") if counted
                          else _("You had voted for this question already."),
                          "success" if counted else "info")


@router.get("/staff/conferences/{conference_id}/live")
def moderation(request: Request, session: SessionDep, user: Manager,
               conference_id: DbId) -> Response:
    """The moderator's queue of a live conference."""
    conference = managed_conference(session, user, conference_id)
    return render(request, "conferences/live/moderate.html", {
        **_queue_context(session, conference),
        "units": _unit_choices(session, conference)})


@streams.get("/staff/conferences/{conference_id}/live/stream")
def moderation_stream(request: Request, session: StreamSessionDep, conference_id: DbId,
                      user: Annotated[User, stream_access("conferences.manage")]) -> Response:
    managed_conference(session, user, conference_id)
    session.commit()
    token = request.state.csrf_token

    def render() -> str:
        conference = session.get(PressConference, conference_id)
        return "" if conference is None else render_to_string("conferences/live/_queue.html", {
            **_queue_context(session, conference), "csrf_token": token,
            "units": _unit_choices(session, conference)})

    # The queue shows the waiting questions too: it listens to the moderators' topic as well.
    topics = [service.live_topic(conference_id), service.live_queue_topic(conference_id)]
    queue = per_change(topics, lambda: _fresh(session, render))

    async def fragments() -> dict[str, str]:
        return {"queue": await queue()}

    return live_stream(request, topics, fragments)


def _moderation(action: str) -> Any:
    """The handler of one moderator's move on a live question."""

    def submit(request: Request, session: SessionDep, user: Manager, form: FormDep,
               question_id: DbId) -> Response:
        question = managed_live_question(session, user, question_id)
        back = f"/staff/conferences/{question.conference_id}/live"
        try:
            check_version(question, form_int(form, "version"))
        except StaleVersion:
            return flash_redirect(back, _(service.LIVE_STALE), "warning")
        service.moderate_live(session, actor=user, question=question, action=action)
        session.commit()
        return flash_redirect(back, _("Done."))

    return submit


for _move_name in LIVE_MODERATION:
    router.add_api_route(f"/staff/live-questions/{{question_id}}/{_move_name}",
                         _moderation(_move_name), methods=["POST"], dependencies=[CsrfDep],
                         name=f"live_question_{_move_name}")
