"""Case pages: one question with its screening, assignment and answer, for each role that
works on it (journalist, spokesperson, focal officer), and the actions on them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from pressroom.accounts.enums import role_names
from pressroom.accounts.models import Outlet, User
from pressroom.accounts.queries import users_by_id
from pressroom.answers import files, service
from pressroom.answers.enums import ANSWER_STATE_LABELS, AnswerState
from pressroom.answers.forms import (
    assign_form,
    comment_form,
    correction_form,
    draft_form,
    extension_form,
    holding_form,
    merge_form,
    publish_form,
    question_edit_form,
    reject_form,
    return_form,
    transfer_form,
)
from pressroom.answers.models import Answer, Attachment
from pressroom.answers.queries import (
    answer_for_question,
    answers_for_questions,
    attachments_of,
    comments_of,
    downloadable,
    for_review,
)
from pressroom.conferences.models import PressConference
from pressroom.core import audit, idempotency
from pressroom.core.bodyguard import allow_larger
from pressroom.core.clock import now
from pressroom.core.deps import (
    MAX_ID,
    CsrfDep,
    DbId,
    FormDep,
    SessionDep,
    download,
    flash_redirect,
    form_int,
    form_once,
    public,
    require,
)
from pressroom.core.errors import NotFound, ValidationFailed
from pressroom.core.formtools import FIELD_LABELS
from pressroom.core.i18n import fmt_date, fmt_datetime, lazy, local_zone
from pressroom.core.i18n import gettext as _
from pressroom.core.templating import render
from pressroom.core.workdays import reckon
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    all_organizations,
    scope_of,
    top_level_organizations,
    units_in,
)
from pressroom.questions import service as questions
from pressroom.questions import similarity
from pressroom.questions.enums import (
    DECLINE_GROUND_LABELS,
    MERGE_TARGET_STATES,
    QuestionState,
    question_state_labels,
)
from pressroom.questions.models import Question
from pressroom.questions.permissions import can_screen
from pressroom.questions.queries import (
    DUE_SOON_WORKING_DAYS,
    assigned_to_officer,
    calendar_overrides,
    current_assignment,
    default_due,
    due_filter_choices,
    due_window,
    extension_of,
    followers,
    helped_by_officer,
    helper_units,
    merge_candidates,
    open_assignments,
    question_visible_to,
    screening_queue,
    similar_questions,
)
from pressroom.questions.schemas import URGENT_HOURS_MAX

router = APIRouter(include_in_schema=False)
Journalist = Annotated[User, require("questions.own")]
Asker = Annotated[User, require("questions.submit")]
Screener = Annotated[User, require("questions.screen")]
Visitor = Annotated[Any, public]  # anyone; the route itself decides (a file of a case)
Reviewer = Annotated[User, require("answers.review")]
Officer = Annotated[User, require("answers.draft")]
Viewer = Annotated[User, require("assignments.view")]


def _labels() -> dict[str, dict[str, str]]:
    return {
        "question": question_state_labels(),
        "answer": {s.value: _(label) for s, label in ANSWER_STATE_LABELS.items()},
        "ground": {g.value: _(label) for g, label in DECLINE_GROUND_LABELS.items()},
    }


def _history(session: SessionDep, question: Question, after: int = 0) -> list[audit.HistoryEntry]:
    orgs = {str(o.id): o.name for o in all_organizations(session)}
    labels = _labels()
    return audit.history_entries(session, question, roles=role_names(), after=after, values={
        ("question", "state"): labels["question"], ("answer", "state"): labels["answer"],
        ("question", "addressed_to_id"): orgs, ("question", "transferred_from_id"): orgs,
        ("assignment", "unit_id"): orgs, ("answer", "unit_id"): orgs,
    })


def _case_version(question: Question, answer: Answer | None) -> str:
    """What a case page's forms were read at: the question's and the answer's row versions."""
    return f"{question.row_version}.{answer.row_version if answer else 0}"


def _read_at(session: SessionDep, question: Question, form: FormData) -> bool:
    """Whether a case page's form was read at the case's current version (or names none)."""
    sent = form.get("version")
    return sent is None or sent == _case_version(
        question, answer_for_question(session, question.id or 0))


def _changed_since(session: SessionDep, question: Question, form: FormData
                   ) -> list[audit.HistoryEntry] | None:
    """None when the form was read at the case's current version (or names none); else what
    changed on the case since the form's page was shown."""
    if _read_at(session, question, form):
        return None
    return _history(session, question, after=form_int(form, "seen") or 0)


def _worked_on(session: SessionDep, question: Question, stale: list[audit.HistoryEntry] | None
               ) -> dict[str, Any]:
    """What the staff and officer pages add to the case: its history, the version and last
    event their forms carry, and what changed meanwhile after a refused save."""
    history = _history(session, question)
    comments = comments_of(session, question.id or 0)
    assignment = current_assignment(session, question.id or 0)
    helper_ids = helper_units(session, assignment.id or 0) if assignment else []
    return {"history": history, "seen": history[-1].id if history else 0, "stale": stale,
            "helpers": [o for o in all_organizations(session) if o.id in helper_ids],
            "helper_ids": helper_ids,
            "comments": comments, "attachments": attachments_of(session, question.id or 0),
            "comment_authors": users_by_id(session, {c.author_id for c in comments})}


def _case(session: SessionDep, question: Question) -> dict[str, Any]:
    asker = session.get(User, question.asker_id) if question.asker_id else None
    return {
        "question": question,
        "asker": asker,
        "outlet": session.get(Outlet, question.outlet_id),
        "conference": session.get(PressConference, question.conference_id)
        if question.conference_id else None,
        "addressed_to": session.get(Organization, question.addressed_to_id),
        "transferred_from": session.get(Organization, question.transferred_from_id)
        if question.transferred_from_id else None,
        "assignment": (assignment := current_assignment(session, question.id or 0)),
        "due_reckoning": reckon(assignment.assigned_at.astimezone(local_zone()).date(),
                                assignment.due_date, calendar_overrides(session))
        if assignment and assignment.due_at is None else None,
        "unit": session.get(Organization, assignment.unit_id) if assignment else None,
        "answer": (answer := answer_for_question(session, question.id or 0)),
        "approver": session.get(User, answer.approved_by_id)
        if answer and answer.approved_by_id else None,
        "labels": _labels(),
        "version": _case_version(question, answer),
    }


# --- journalist -------------------------------------------------------------------------

def _mine(session: SessionDep, user: User, question_id: int) -> Question:
    question = question_visible_to(session, user, question_id)
    if question.asker_id != user.id:
        raise NotFound(_("Question not found."))
    return question


def _journalist_page(request: Request, session: SessionDep, question: Question,
                     form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                     status: int = 200) -> Response:
    lead = session.get(Question, question.merged_into_id) if question.merged_into_id else None
    # A merged question is answered by its group's lead: the journalist sees that answer once
    # it is public (nothing of the other question before then).
    lead_public = lead is not None and lead.is_public(now())
    return render(request, "answers/journalist_case.html", {
        **_case(session, question),
        "timeline": _timeline(session, question),
        "lead": lead if lead_public else None,
        "lead_answer": answer_for_question(session, lead.id or 0)
        if lead is not None and lead_public else None,
        "form": form or {"title": question.title, "body": question.body},
        "errors": errors or {},
        # Refused because the question moved on: what was typed, when its form is gone.
        "kept": [(_(FIELD_LABELS[k]), v) for k, v in (form or {}).items() if v]
        if status == 409 and question.state != QuestionState.SUBMITTED else [],
    }, status)


# States whose questions are worth pointing out as "already asked" (not declined, withdrawn
# or merged: a merged question's group is represented by the question it was merged into).
_ASKED = (QuestionState.SUBMITTED, QuestionState.ACCEPTED, QuestionState.ASSIGNED,
          QuestionState.ANSWERED, QuestionState.PUBLISHED)
SUGGESTION_MINIMUM = 0.35


@router.get("/my/questions/similar")
def similar_to_draft(request: Request, session: SessionDep, user: Asker,
                     title: Annotated[str, Query(max_length=300)] = "",
                     body: Annotated[str, Query(max_length=20000)] = "",
                     addressed_to_id: Annotated[str, Query(max_length=20)] = "",
                     conference_id: Annotated[str, Query(max_length=20)] = "") -> Response:
    """While a journalist types a question (htmx, debounced): up to five similar questions
    already sent to that ministry. Published ones link to their answers and the journalist's
    own to their page; other journalists' unpublished questions are only counted."""
    ministry = _addressee_of_draft(session, addressed_to_id, conference_id)
    text = f"{title}\n{body}".strip()
    found = similar_questions(session, text, addressed_to_id=ministry, states=_ASKED,
                              limit=5, minimum=SUGGESTION_MINIMUM) if ministry and text else []
    at = now()
    published = [(q, score) for q, score in found if q.is_public(at)]
    own = [(q, score) for q, score in found if q.asker_id == user.id and not q.is_public(at)]
    return render(request, "questions/_similar.html", {
        "published": published,
        "answers": answers_for_questions(session, [q.id or 0 for q, _s in published]),
        "own": own,
        "others": len(found) - len(published) - len(own),
        "threshold": similarity.THRESHOLD,
        "asked": bool(ministry and len(text) >= 20),
    })


def _addressee_of_draft(session: SessionDep, addressed_to_id: str, conference_id: str) -> int:
    """The ministry a question being typed goes to: the one chosen, else the conference's
    host; 0 when neither is known yet."""
    chosen, asked_for = _draft_id(addressed_to_id), _draft_id(conference_id)
    if chosen is not None and session.get(Organization, chosen) is not None:
        return chosen
    conference = session.get(PressConference, asked_for) if asked_for is not None else None
    return conference.host_organization_id if conference is not None else 0


def _draft_id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


# What a journalist's timeline shows of their question's record: the steps they may know of
# (who in the press office did it is not shown; the unit that answers is).
TIMELINE_STEPS = {
    "question.submitted": lazy("You sent the question"),
    "question.edited": lazy("You edited the question"),
    "question.accepted": lazy("The press office accepted it"),
    "question.rejected": lazy("The press office declined it"),
    "question.merged": lazy("Merged with another question on the same subject"),
    "question.assigned": lazy("Passed to %(unit)s, to answer by %(due)s"),
    "question.moved_to_writing": lazy("The press conference was cancelled: now a written "
                                      "question"),
    "question.answered": lazy("The answer was approved"),
    "question.published": lazy("The answer was published"),
    "answer.corrected": lazy("The answer was corrected"),
    "question.withdrawn": lazy("You withdrew the question"),
    "question.holding_reply": lazy("The press office sent a holding reply: the answer will "
                                   "come by %(due)s"),
    "question.extended": lazy("The due date was extended to %(due)s"),
    "question.transferred": lazy("Transferred to %(organization)s, whose remit it is"),
}
# Which of an event's changes holds the date its timeline step names.
_TIMELINE_DATES = {"question.assigned": "due_date", "question.extended": "due_date",
                   "question.holding_reply": "holding_until"}


def _timeline(session: SessionDep, question: Question) -> list[tuple[Any, str]]:
    """(time, what happened) for each step of the question the journalist may know of."""
    steps = []
    units = {o.id: o.name for o in all_organizations(session)}
    for event in audit.history(session, question):
        label = TIMELINE_STEPS.get(event.action)
        if label is None or (event.action == "question.published"
                             and not question.is_public(now())):
            continue  # a scheduled publication is told by the banner until its time
        if event.action in _TIMELINE_DATES:
            changes = json.loads(event.changes)
            unit = changes.get("unit_id", [None, None])[1]
            due = changes.get(_TIMELINE_DATES[event.action], [None, None])[1]
            at = changes.get("due_at", [None, None])[1]  # urgent: a time
            text = _(label, unit=units.get(unit, ""),
                     due=fmt_datetime(datetime.fromisoformat(at)) if isinstance(at, str)
                     else fmt_date(date.fromisoformat(due)) if isinstance(due, str) else "")
        elif event.action == "question.transferred":
            to = json.loads(event.changes).get("addressed_to_id", [None, None])[1]
            text = _(label, organization=units.get(to, ""))
        else:
            text = _(label)
        steps.append((event.at, text))
    return steps


@router.get("/my/questions/{question_id}")
def my_question(request: Request, session: SessionDep, user: Journalist,
                question_id: DbId) -> Response:
    return _journalist_page(request, session, _mine(session, user, question_id))


@router.post("/my/questions/{question_id}/edit", dependencies=[CsrfDep])
def edit_my_question(request: Request, session: SessionDep, user: Journalist, form: FormDep,
                     question_id: DbId) -> Response:
    question = _mine(session, user, question_id)
    data, raw, errors = question_edit_form(form)
    if not _read_at(session, question, form):
        return _journalist_page(request, session, question, raw, {"__all__": _(
            "Not saved: the question changed since you opened it (the press office may have "
            "screened it). Your text is below; check the question and send it again.")}, 409)
    if data is None:
        return _journalist_page(request, session, question, raw, errors, 400)
    questions.edit_question(session, actor=user, question=question, data=data)
    session.commit()
    return flash_redirect(f"/my/questions/{question_id}", _("Your question is updated."))


@router.post("/my/questions/{question_id}/withdraw", dependencies=[CsrfDep])
def withdraw_my_question(request: Request, session: SessionDep, user: Journalist,
                         form: FormDep, question_id: DbId) -> Response:
    question = _mine(session, user, question_id)
    if not _read_at(session, question, form):
        return _journalist_page(request, session, question, errors={"__all__": _(
            "Not withdrawn: the question changed since you opened it. Check its state below "
            "and withdraw it again if you still want to.")}, status=409)
    questions.withdraw_question(session, actor=user, question=question)
    session.commit()
    return flash_redirect(f"/my/questions/{question_id}", _("Your question is withdrawn."))


# --- spokesperson -----------------------------------------------------------------------

def _screened(session: SessionDep, user: User, question_id: DbId) -> Question:
    question = session.get(Question, question_id)
    if question is None or not can_screen(user, question, scope_of(session, user.id or 0)):
        raise NotFound(_("Question not found."))
    return question


def _due_default(session: SessionDep, question: Question) -> tuple[str, str]:
    """The due date an assignment form suggests: the ministry's default time to answer (else
    the setting's) in working days from today, and how it was counted."""
    due, days = default_due(session, question.addressed_to_id)
    return due.isoformat(), _(
        "Suggested: %(days)s working days from today, not counting weekends, public holidays "
        "and the days off of the working calendar.", days=days)


def _staff_page(request: Request, session: SessionDep, user: User, question: Question,
                forms: dict[str, dict[str, Any]] | None = None,
                errors: dict[str, str] | None = None, status: int = 200,
                stale: list[audit.HistoryEntry] | None = None,
                kept: list[tuple[str, str]] | None = None) -> Response:
    due, due_hint = _due_default(session, question)
    case, worked = _case(session, question), _worked_on(session, question, stale)
    current = case["assignment"] if question.state == QuestionState.ASSIGNED else None
    assign = {"due_date": due} if current is None else {
        "due_date": due, "unit_id": str(current.unit_id),
        "helper_unit_ids": [str(i) for i in worked["helper_ids"]]}
    forms = {"assign": assign, "reject": {}, "merge": {}, "return": {}, "publish": {},
             "correct": {}, "hold": {}, "extend": {}, "transfer": {}, "comment": {}, **(forms or {})}
    mergeable = question.state in (QuestionState.SUBMITTED, QuestionState.ACCEPTED)
    return render(request, "answers/staff_case.html", {
        **case,
        **worked,
        "kept": kept or [],
        "units": [(str(u.id), u.name) for u in units_in(session, question.addressed_to_id)],
        # Only a question still being screened can be merged: only then are these read.
        "merge_candidates": [(str(q.id), f"#{q.id} {q.title}")
                             for q in merge_candidates(session, question)] if mergeable else [],
        "duplicates": similar_questions(
            session, f"{question.title}\n{question.body}", addressed_to_id=question.addressed_to_id,
            states=MERGE_TARGET_STATES, exclude_id=question.id, minimum=SUGGESTION_MINIMUM)
        if mergeable else [],
        "duplicate_threshold": similarity.THRESHOLD,
        "merged_in": followers(session, question.id or 0),
        "extension": extension_of(session, question.id or 0)
        if question.state == QuestionState.ASSIGNED else None,
        "due_hint": due_hint,
        "urgent_max": URGENT_HOURS_MAX,
        "ministries": [(str(o.id), o.name) for o in top_level_organizations(session)
                       if o.id != question.addressed_to_id],
        "forms": forms,
        "errors": errors or {},
    }, status)


@router.get("/staff/questions/{question_id}")
def staff_question(request: Request, session: SessionDep, user: Screener,
                   question_id: DbId) -> Response:
    return _staff_page(request, session, user, _screened(session, user, question_id))


KEPT_LABELS = {"text": lazy("Internal comment"), "comment": lazy("Comment to the unit"),
               "message": lazy("Message to the journalist"), "note": lazy("Note to the unit"),
               "reason": lazy("Reason"), "body": lazy("Corrected answer")}


def _staff_action(
    name: str,
    parse: Callable[[FormData], tuple[Any, dict[str, Any], dict[str, str]]] | None,
    act: Callable[[SessionDep, User, Question, Any], Any],
    message: str,
) -> Callable[..., Any]:
    def endpoint(request: Request, session: SessionDep, user: Screener, form: FormDep,
                 question_id: DbId) -> Response:
        question = _screened(session, user, question_id)
        raw: dict[str, Any] = {}
        errors: dict[str, str] = {}
        data = None
        if parse is not None:
            data, raw, errors = parse(form)
        try:
            replay, slot = form_once(request, session, user, form)
        except ValidationFailed as exc:  # the form's key was sent before with other content
            return _staff_page(request, session, user, question, {name: raw},
                               {"__all__": exc.message}, 422)
        if replay is not None:
            return replay
        stale = _changed_since(session, question, form)
        if stale is not None:
            # The action's form may be gone (a returned answer approved meanwhile): the typed
            # text is shown with what changed, so nothing is lost.
            kept = [(_(KEPT_LABELS[k]), v) for k, v in raw.items() if k in KEPT_LABELS and v]
            return _staff_page(request, session, user, question, {name: raw}, errors, 409,
                               stale, kept)
        if not errors:
            try:
                act(session, user, question, data)
                # A transferred question is another ministry's: back to the list.
                location = ("/staff/questions" if name == "transfer"
                            else f"/staff/questions/{question_id}")
                idempotency.settle(session, slot, status=303, location=location)
                session.commit()
                request.app.state.wake_pdf_worker()
                return flash_redirect(location, _(message))
            except ValidationFailed as exc:
                session.rollback()
                errors = exc.fields or {"__all__": exc.message}
        session.expire_all()
        question = _screened(session, user, question_id)
        return _staff_page(request, session, user, question, {name: raw}, errors, 400)

    endpoint.__name__ = f"staff_{name}"
    return endpoint


def _answer_of(session: SessionDep, question: Question) -> Answer:
    answer = answer_for_question(session, question.id or 0)
    if answer is None:
        raise NotFound(_("This question has no answer yet."))
    return answer


_ACTIONS: list[tuple[str, Any, Callable[..., Any], str]] = [
    ("accept", None,
     lambda s, u, q, d: questions.accept_question(s, actor=u, question=q),
     lazy("The question is accepted. Assign it to a unit.")),
    ("reject", reject_form,
     lambda s, u, q, d: questions.reject_question(s, actor=u, question=q, data=d),
     lazy("The question is declined; the journalist sees the reason.")),
    ("merge", merge_form,
     lambda s, u, q, d: questions.merge_question(s, actor=u, question=q, data=d),
     lazy("The question is merged: its journalist receives the other question's answer.")),
    ("transfer", transfer_form,
     lambda s, u, q, d: questions.transfer_question(s, actor=u, question=q, data=d),
     lazy("The question is transferred; the other ministry screens it and the journalist sees "
          "where it went and why.")),
    ("assign", assign_form,
     lambda s, u, q, d: questions.assign_question(s, actor=u, question=q, data=d),
     lazy("The question is assigned.")),
    ("hold", holding_form,
     lambda s, u, q, d: questions.send_holding_reply(s, actor=u, question=q, data=d),
     lazy("The holding reply is sent: the journalist sees by when the answer will come.")),
    ("extend", extension_form,
     lambda s, u, q, d: questions.extend_due_date(s, actor=u, question=q, data=d),
     lazy("The due date is extended; the journalist sees the new date and the reason.")),
    ("comment", comment_form,
     lambda s, u, q, d: service.add_comment(s, actor=u, question=q, data=d.comment,
                                            upload=d.upload),
     lazy("Your comment is added to the internal thread.")),
    ("approve", None,
     lambda s, u, q, d: service.approve_answer(s, actor=u, question=q, answer=_answer_of(s, q)),
     lazy("The answer is approved. Publish it now or at a set time.")),
    ("return", return_form,
     lambda s, u, q, d: service.return_answer(s, actor=u, question=q, answer=_answer_of(s, q),
                                              data=d),
     lazy("The answer is returned to the unit with your comment.")),
    ("publish", publish_form,
     lambda s, u, q, d: service.publish_answer(s, actor=u, question=q, answer=_answer_of(s, q),
                                               data=d),
     lazy("The answer is published (or scheduled).")),
    ("correct", correction_form,
     lambda s, u, q, d: service.correct_answer(s, actor=u, question=q, answer=_answer_of(s, q),
                                               data=d),
     lazy("The corrected answer is published; the earlier text stays readable with the "
          "reason.")),
]

allow_larger("/staff/questions/{question_id}/comment", files.FORM_BYTES)  # with a file
for _name, _parse, _act, _message in _ACTIONS:
    router.add_api_route(f"/staff/questions/{{question_id}}/{_name}",
                         _staff_action(_name, _parse, _act, _message),
                         methods=["POST"], dependencies=[CsrfDep], name=f"staff_{_name}")


@router.get("/staff")
def needs_action(request: Request, session: SessionDep, user: Screener) -> Response:
    """Where a spokesperson lands: what needs doing, most pressing first."""
    window = due_window(session)
    assigned = open_assignments(session, user)
    sections = [
        ("overdue", _("Overdue"), [(q, a) for q, a in assigned
                                   if window.matches(q, a, "overdue")]),
        ("due-soon", _("Due within %(days)s working days", days=DUE_SOON_WORKING_DAYS),
         [(q, a) for q, a in assigned if window.matches(q, a, "soon")]),
        ("new", _("New questions to screen"),
         [(q, None) for q in reversed(screening_queue(session, user, [QuestionState.SUBMITTED]))]),
        ("approval", _("Answers awaiting approval"),
         [(q, None) for _a, q in reversed(for_review(session, user, [AnswerState.SUBMITTED]))]),
    ]
    return render(request, "answers/needs_action.html", {
        "sections": sections, "labels": _labels(),
        "units": {o.id: o for o in all_organizations(session)}})


@router.get("/staff/answers")
def answers_to_review(request: Request, session: SessionDep, user: Reviewer) -> Response:
    waiting = for_review(session, user, [AnswerState.SUBMITTED])
    approved = [(a, q) for a, q in for_review(session, user, [AnswerState.APPROVED])
                if a.published_at is None]
    orgs = {o.id or 0: o for o in all_organizations(session)}
    return render(request, "answers/review_list.html",
                  {"waiting": waiting, "approved": approved, "labels": _labels(), "orgs": orgs})


# --- focal officer ----------------------------------------------------------------------

@router.get("/unit/assignments")
def assignments(request: Request, session: SessionDep, user: Viewer, due: str = "") -> Response:
    """The unit's queue, by due date; ``?due=overdue`` or ``?due=soon`` keeps those only."""
    window = due_window(session)
    rows = [(q, a) for q, a in assigned_to_officer(session, user) if window.matches(q, a, due)]
    answers = answers_for_questions(session, [q.id or 0 for q, _a in rows])
    orgs = {o.id: o for o in all_organizations(session)}
    holders = users_by_id(session, {a.claimed_by_id for _q, a in rows if a.claimed_by_id})
    return render(request, "answers/assignments.html", {
        "rows": rows, "answers": answers, "orgs": orgs, "labels": _labels(), "holders": holders,
        "helping": helped_by_officer(session, user), **due_filter_choices(due)})


def _officer_question(session: SessionDep, user: User, question_id: DbId) -> Question:
    return question_visible_to(session, user, question_id)


def _officer_page(request: Request, session: SessionDep, question: Question,
                  form: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                  status: int = 200, stale: list[audit.HistoryEntry] | None = None,
                  comment: dict[str, Any] | None = None) -> Response:
    case = _case(session, question)
    answer = case["answer"]
    return render(request, "answers/officer_case.html", {
        **case,
        **_worked_on(session, question, stale),
        "form": form or {"body": answer.body if answer else ""},
        "comment_form": comment or {},
        "errors": errors or {},
        "holder": session.get(User, case["assignment"].claimed_by_id)
        if case["assignment"] and case["assignment"].claimed_by_id else None,
        "backup": session.get(User, case["unit"].backup_officer_id)
        if case["unit"] and case["unit"].backup_officer_id else None,
        "leads": (leads := case["assignment"] is not None and case["assignment"].unit_id
                  in scope_of(session, request.state.user.id or 0)),
        "can_edit": leads and question.state == "assigned"
        and (answer is None or answer.state in (AnswerState.DRAFT, AnswerState.RETURNED)),
    }, status)


@router.get("/unit/questions/{question_id}")
def officer_question(request: Request, session: SessionDep, user: Officer,
                     question_id: DbId) -> Response:
    return _officer_page(request, session, _officer_question(session, user, question_id))


@router.post(allow_larger("/unit/questions/{question_id}/comment", files.FORM_BYTES),
             dependencies=[CsrfDep])
def officer_comment(request: Request, session: SessionDep, user: Officer, form: FormDep,
                    question_id: DbId) -> Response:
    """Writes in the question's internal thread (the press office reads it)."""
    question = _officer_question(session, user, question_id)
    data, raw, errors = comment_form(form)
    try:
        replay, slot = form_once(request, session, user, form)
    except ValidationFailed as exc:  # the form's key was sent before with other content
        return _officer_page(request, session, question, comment=raw,
                             errors={"__all__": exc.message}, status=422)
    if replay is not None:
        return replay
    if data is None:
        return _officer_page(request, session, question, comment=raw, errors=errors, status=400)
    try:
        service.add_comment(session, actor=user, question=question, data=data.comment,
                            upload=data.upload)
    except ValidationFailed as exc:
        session.rollback()
        return _officer_page(request, session, question, comment=raw,
                             errors=exc.fields or {"__all__": exc.message}, status=400)
    idempotency.settle(session, slot, status=303, location=f"/unit/questions/{question_id}")
    session.commit()
    return flash_redirect(f"/unit/questions/{question_id}",
                          _("Your comment is added to the internal thread."))


@router.post("/unit/questions/{question_id}/claim", dependencies=[CsrfDep])
def claim(request: Request, session: SessionDep, user: Officer, form: FormDep,
          question_id: DbId) -> Response:
    """Takes the question from the unit's queue (``release=1``: gives it back)."""
    question = _officer_question(session, user, question_id)
    release = form.get("release") == "1"
    stale = _changed_since(session, question, form)
    if stale is not None:
        return _officer_page(request, session, question, status=409, stale=stale)
    service.claim_question(session, actor=user, question=question, release=release)
    session.commit()
    return flash_redirect(f"/unit/questions/{question_id}", _(
        "The question is back in the unit's queue.") if release else _(
        "You handle this question now; its reminders come to you."))


@router.post(allow_larger("/unit/questions/{question_id}/answer", files.FORM_BYTES),
             dependencies=[CsrfDep])
def save_answer(request: Request, session: SessionDep, user: Officer, form: FormDep,
                question_id: DbId) -> Response:
    question = _officer_question(session, user, question_id)
    data, raw, errors = draft_form(form)
    stale = _changed_since(session, question, form)
    if stale is not None:
        return _officer_page(request, session, question, raw, errors, 409, stale)
    if data is not None:
        try:
            answer = service.save_draft(session, actor=user, question=question, data=data.draft,
                                        upload=data.upload)
        except ValidationFailed as exc:  # the file: the typed answer is shown again
            session.rollback()
            return _officer_page(request, session, _officer_question(session, user, question_id),
                                 raw, exc.fields or {}, 400)
        if form.get("action") == "submit":
            service.submit_answer(session, actor=user, question=question, answer=answer)
            message = _("The answer is sent to the spokesperson for approval.")
        else:
            message = _("The draft is saved.")
        session.commit()
        return flash_redirect(f"/unit/questions/{question_id}", message)
    return _officer_page(request, session, question, raw, errors, 400)


# --- attachments ----------------------------------------------------------------------------

@router.get("/attachments/{attachment_id}")
def attachment(session: SessionDep, user: Visitor, attachment_id: DbId) -> Response:
    """A file of a question's case, always as a download: to the staff of the case, and to
    anyone once the spokesperson published it with an answer that is public."""
    row, public = downloadable(session, user, attachment_id)
    return download(row.path, media_type=row.media_type, filename=row.filename,
                    public=public)


@router.post("/staff/questions/{question_id}/attachments/{attachment_id}",
             dependencies=[CsrfDep])
def publish_attachment(session: SessionDep, user: Screener, form: FormDep, question_id: DbId,
                       attachment_id: DbId) -> Response:
    """``published=1`` shows the file with the answer once it is public; ``0`` takes it back."""
    question = _screened(session, user, question_id)
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(_("This file does not exist."))
    shown = form.get("published") == "1"
    service.publish_attachment(session, actor=user, question=question, attachment=row,
                               published=shown)
    session.commit()
    return flash_redirect(f"/staff/questions/{question_id}#comments", _(
        "The file will be shown with the published answer.") if shown else _(
        "The file is no longer shown with the answer."))
