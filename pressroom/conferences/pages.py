"""The spokesperson's conference pages: schedule, edit, announce, hold, cancel, transcript."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from pressroom.accounts.enums import role_names
from pressroom.accounts.models import User
from pressroom.conferences import service
from pressroom.conferences.enums import CONFERENCE_STATUS_LABELS, ConferenceStatus
from pressroom.conferences.forms import (
    conference_form,
    conference_values,
    offset_text,
    rebase,
    transcript_form,
)
from pressroom.conferences.models import PressConference
from pressroom.conferences.queries import (
    managed_by,
    managed_conference,
    participants,
    participants_by_conference,
    question_choices,
    transcript,
)
from pressroom.core import audit, idempotency
from pressroom.core.db import check_version
from pressroom.core.deps import (
    CsrfDep,
    DbId,
    FormDep,
    SessionDep,
    flash_redirect,
    form_int,
    form_once,
    require,
)
from pressroom.core.errors import StaleVersion, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render
from pressroom.organizations.queries import scope_of, top_level_organizations

router = APIRouter(include_in_schema=False)
Manager = Annotated[User, require("conferences.manage")]
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
            stale: list[audit.HistoryEntry] | None = None) -> Response:
    cid = conference.id or 0
    if turns is None:
        turns = [{"speaker_name": t.speaker_name, "speaker_role": t.speaker_role, "text": t.text,
                  "offset": offset_text(t.offset_seconds),
                  "question_id": str(t.question_id or "")} for t in transcript(session, cid)]
    saved_turns = len(transcript(session, cid))
    return render(request, "conferences/detail.html", {
        "conference": conference,
        "participants": participants(session, cid),
        "labels": labels(),
        "form": form or conference_values(conference, [o.id or 0 for o in participants(session, cid)]),
        "errors": errors or {},
        "turns": turns + [{} for _i in range(TRANSCRIPT_ROWS_EXTRA)],
        "saved_turns": saved_turns,
        "editable": conference.status not in (ConferenceStatus.CANCELLED,
                                              ConferenceStatus.TRANSCRIPT_PUBLISHED),
        "transcript_open": conference.status == ConferenceStatus.HELD,
        "question_choices": question_choices(session, cid),
        "history": (history := _history(session, conference)),
        "version": conference.row_version,
        "seen": history[-1].id if history else 0,
        "stale": stale,
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


def _transition(action: str) -> Any:
    functions = {
        "announce": (service.announce_conference, _("The press conference is announced and public.")),
        "held": (service.mark_conference_held, _("The press conference is recorded as held.")),
        "cancel": (service.cancel_conference, _("The press conference is cancelled.")),
    }

    def endpoint(request: Request, session: SessionDep, user: Manager, form: FormDep,
                 conference_id: DbId) -> Response:
        conference = managed_conference(session, user, conference_id)
        stale = _changed_since(session, conference, form)
        if stale is not None:
            return _detail(request, session, user, conference, status=409, stale=stale)
        function, _message = functions[action]
        function(session, actor=user, conference=conference)
        session.commit()
        return flash_redirect(f"/staff/conferences/{conference_id}", _(_message))

    return endpoint


for _action in ("announce", "held", "cancel"):
    router.add_api_route(f"/staff/conferences/{{conference_id}}/{_action}", _transition(_action),
                         methods=["POST"], dependencies=[CsrfDep],
                         name=f"conference_{_action}")


@router.post("/staff/conferences/{conference_id}/transcript", dependencies=[CsrfDep])
def save_transcript(request: Request, session: SessionDep, user: Manager, form: FormDep,
                    conference_id: DbId) -> Response:
    conference = managed_conference(session, user, conference_id)
    data, turns, errors = transcript_form(form)
    try:
        replay, slot = form_once(request, session, user, form)
    except ValidationFailed as exc:  # the form's key was sent before with other content
        return _detail(request, session, user, conference, errors={"__all__": exc.message},
                       turns=turns, status=422)
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
                   status=409 if stale is not None else 400, stale=stale)
