"""Journalists' question pages (my questions, ask a question) and the screening list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from pressroom.accounts.models import User
from pressroom.accounts.queries import users_by_id
from pressroom.conferences import service as conferences
from pressroom.conferences.queries import (
    conferences_by_id,
    managed_live_question,
    open_for_questions,
)
from pressroom.core import idempotency
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.db import check_version
from pressroom.core.deps import (
    MAX_ID,
    CsrfDep,
    DbId,
    FormDep,
    SessionDep,
    flash_redirect,
    form_int,
    form_once,
    require,
)
from pressroom.core.errors import NotFound, StaleVersion, ValidationFailed
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.core.templating import render
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import all_organizations, top_level_organizations
from pressroom.questions import service
from pressroom.questions.enums import QUESTION_STATE_LABELS, QuestionState, question_state_labels
from pressroom.questions.forms import calendar_day_form, defer_form, due_days_form, question_form
from pressroom.questions.queries import (
    by_urgency,
    calendar_days,
    current_assignments,
    due_filter_choices,
    due_window,
    questions_of_journalist,
    screening_queue,
)

router = APIRouter(include_in_schema=False)
Journalist = Annotated[User, require("questions.own")]
Asker = Annotated[User, require("questions.submit")]
Screener = Annotated[User, require("questions.screen")]


def _names(session: SessionDep) -> dict[int, Organization]:
    return {o.id or 0: o for o in all_organizations(session)}


@router.get("/my/questions")
def my_questions(request: Request, session: SessionDep, user: Journalist) -> Response:
    questions = questions_of_journalist(session, user)
    return render(request, "questions/mine.html", {
        "today": now().astimezone(local_zone()).date(),
        "questions": questions,
        "conferences": conferences_by_id(
            session, {q.conference_id for q in questions if q.conference_id}),
        "assignments": current_assignments(session, [q.id or 0 for q in questions]),
        "orgs": _names(session),
        "labels": question_state_labels(),
    })


def _new_page(request: Request, session: SessionDep, form: dict[str, Any],
              errors: dict[str, str], status: int = 200) -> Response:
    conferences = open_for_questions(session)
    return render(request, "questions/new.html", {
        "form": form,
        "errors": errors,
        "conferences": [("", _("None: a written question"))]
        + [(str(c.id), f"{c.title}") for c in conferences],
        "ministries": [("", _("The conference's host (for a conference question)"))]
        + [(str(o.id), o.name) for o in top_level_organizations(session)],
    }, status)


@router.get("/my/questions/new")
def new_question(request: Request, session: SessionDep, user: Asker,
                 conference_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    return _new_page(request, session, {"conference_id": str(conference_id or "")}, {})


@router.post("/my/questions/new", dependencies=[CsrfDep])
def submit_question(request: Request, session: SessionDep, user: Asker,
                    form: FormDep) -> Response:
    data, raw, errors = question_form(form)
    if data is not None:
        try:
            replay, slot = form_once(request, session, user, form)
            if replay is not None:
                return replay
            question = service.submit_question(session, actor=user, data=data)
            location = f"/my/questions/{question.id}"
            idempotency.settle(session, slot, status=303, location=location)
            session.commit()
            return flash_redirect(location,
                                  _("Your question was sent. You can follow its status here."))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields or {"title": exc.message}
    return _new_page(request, session, raw, errors, 400)


@router.get("/staff/questions")
def screening_list(request: Request, session: SessionDep, user: Screener,
                   state: str = "", due: str = "") -> Response:
    """Every question of the organisation, what needs doing first; ``?state=`` keeps one
    state, ``?due=overdue`` or ``?due=soon`` the questions past or near their due date."""
    states = [QuestionState(state)] if state in QuestionState.__members__.values() else None
    found = screening_queue(session, user, states)
    assignments = current_assignments(session, [q.id or 0 for q in found])
    questions = by_urgency(found, assignments, due_window(session), due)
    return render(request, "questions/screening.html", {
        **due_filter_choices(due),
        "questions": questions,
        "askers": users_by_id(session, {q.asker_id for q in questions if q.asker_id}),
        "assignments": assignments,
        "orgs": _names(session),
        "labels": question_state_labels(),
        "state": state if states else "",
        "states": [("", _("All"))] + [(s.value, _(label)) for s, label in QUESTION_STATE_LABELS.items()],
    })


# --- the working calendar (admins) --------------------------------------------------------

CalendarKeeper = Annotated[User, require("calendar.manage")]


def _calendar_page(request: Request, session: SessionDep, form: dict[str, Any] | None = None,
                   errors: dict[str, str] | None = None, status: int = 200) -> Response:
    today = now().astimezone(local_zone()).date()
    return render(request, "questions/calendar.html", {
        "days": [d for d in calendar_days(session) if d.day >= today - timedelta(days=31)],
        "ministries": top_level_organizations(session),
        "default_days": get_settings().answer_due_working_days,
        "form": form or {"working": "false"},
        "errors": errors or {},
        "kinds": [("false", _("An extra day off")),
                  ("true", _("A make-up working day (a Saturday or Sunday worked)"))],
    }, status)


@router.get("/admin/calendar")
def calendar_page(request: Request, session: SessionDep, user: CalendarKeeper) -> Response:
    return _calendar_page(request, session)


@router.post("/admin/calendar", dependencies=[CsrfDep])
def add_calendar_day(request: Request, session: SessionDep, user: CalendarKeeper,
                     form: FormDep) -> Response:
    data, raw, errors = calendar_day_form(form)
    if data is not None:
        try:
            service.set_calendar_day(session, actor=user, data=data)
            session.commit()
            return flash_redirect("/admin/calendar", _("The calendar is changed: due dates set "
                                                       "from now on count it."))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields or {"day": exc.message}
    return _calendar_page(request, session, raw, errors, 400)


@router.post("/admin/calendar/remove", dependencies=[CsrfDep])
def remove_calendar_day(request: Request, session: SessionDep, user: CalendarKeeper,
                        form: FormDep) -> Response:
    value = form.get("day")
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        return _calendar_page(request, session, errors={"__all__": _("Choose a day to remove.")},
                              status=400)
    service.remove_calendar_day(session, actor=user, day=day)
    session.commit()
    return flash_redirect("/admin/calendar", _("The day is removed from the calendar."))


@router.post("/admin/calendar/defaults/{organization_id}", dependencies=[CsrfDep])
def set_due_days(request: Request, session: SessionDep, user: CalendarKeeper, form: FormDep,
                 organization_id: DbId) -> Response:
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(_("Organisation not found."))
    data, raw, errors = due_days_form(form)
    if data is not None:
        try:
            service.set_answer_due_days(session, actor=user, organization=organization,
                                        data=data)
            session.commit()
            return flash_redirect("/admin/calendar", _("The default time to answer of "
                                                       "%(name)s is saved.",
                                                       name=organization.name))
        except ValidationFailed as exc:
            session.rollback()
            errors = exc.fields or {"days": exc.message}
    return _calendar_page(request, session, errors={
        "__all__": f"{organization.name}: {errors.get('days', '')}"}, status=400)


@router.post("/staff/live-questions/{question_id}/defer", dependencies=[CsrfDep])
def defer_live_question(request: Request, session: SessionDep, user: Screener, form: FormDep,
                        question_id: DbId) -> Response:
    """The moderator turns a live question into a written one for a unit (the queue's "Answer
    in writing")."""
    live = managed_live_question(session, user, question_id)
    back = f"/staff/conferences/{live.conference_id}/live"
    data, errors = defer_form(form, question_id)
    if data is None:
        return flash_redirect(back, " ".join(errors.values()), "error")
    try:
        check_version(live, form_int(form, "version"))
    except StaleVersion:
        return flash_redirect(back, _(conferences.LIVE_STALE), "warning")
    try:
        question = service.defer_live_question(session, actor=user, live=live, **data)
        session.commit()
    except ValidationFailed as exc:
        session.rollback()
        return flash_redirect(back, " ".join(exc.fields.values()) or exc.message, "error")
    return flash_redirect(back, _("Written question #%(id)s made and assigned; the journalist "
                                  "sees it on their list.", id=question.id))
