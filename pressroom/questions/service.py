"""Questions: submission, the journalist's edits and withdrawal, screening (accept, decline on
a ground, merge into another question), assignment, and the states that the answers domain
moves them to. Functions flush and never commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.conferences import service as conferences
from pressroom.conferences.enums import UPCOMING_STATUSES
from pressroom.conferences.models import LiveQuestion, PressConference
from pressroom.conferences.queries import participants
from pressroom.core import audit
from pressroom.core.clock import now
from pressroom.core.db import insert_now, table_of
from pressroom.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from pressroom.core.formtools import FIELD_LABELS
from pressroom.core.i18n import fmt_date, local_zone
from pressroom.core.i18n import gettext as _
from pressroom.notifications.enums import NotificationKind
from pressroom.notifications.service import notify
from pressroom.organizations.enums import OrgKind
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    TOP_LEVEL,
    members,
    organization_by_id,
    scope_of,
    subtree_ids,
    units_in,
)
from pressroom.questions.enums import (
    MERGE_TARGET_STATES,
    QUESTION_NEXT_STEPS,
    QUESTION_TRANSITIONS,
    REDIRECTED_GROUNDS,
    QuestionState,
)
from pressroom.questions.models import (
    Assignment,
    AssignmentHelper,
    CalendarDay,
    Question,
    QuestionTerm,
)
from pressroom.questions.permissions import can_screen
from pressroom.questions.queries import (
    current_assignment,
    default_due,
    extension_of,
    followers,
    helper_units,
    recent_duplicate,
    text_terms,
)
from pressroom.questions.schemas import (
    AnswerDueDays,
    CalendarDayIn,
    DueExtension,
    HoldingReply,
    QuestionAssign,
    QuestionCreate,
    QuestionEdit,
    QuestionMerge,
    QuestionReject,
    QuestionTransfer,
)

# Called with (session, withdrawn lead, new lead) when the asker of a question that others
# were merged into withdraws it: the group's work moves to the new lead (the answers domain
# moves the answer here).
WHEN_LEAD_CHANGES: list[Callable[[Session, Question, Question], None]] = []


def _move(session: Session, question: Question, target: QuestionState) -> None:
    if target not in QUESTION_TRANSITIONS[question.state]:
        raise InvalidTransition(_("This is not possible for this question now.") + " "
                                + _(QUESTION_NEXT_STEPS[question.state]))
    question.state = target
    question.updated_at = now()
    session.add(question)


def _moved(session: Session, question: Question, target: QuestionState, *, actor: User | None,
           action: str) -> None:
    """Changes the state (after the caller set any other fields), records it and flushes."""
    _move(session, question, target)
    audit.record(session, actor=actor, action=action, subject=question)
    session.flush()


def _addressee(session: Session, data: QuestionCreate) -> Organization:
    """The ministry or agency a new question goes to. Errors: ValidationFailed."""
    if data.conference_id is not None:
        conference = session.get(PressConference, data.conference_id)
        if (
            conference is None
            or conference.status not in UPCOMING_STATUSES
            or conference.ends_at <= now()
        ):
            raise ValidationFailed(
                _("Questions can only be sent for an announced press conference that has not ended."),
                fields={"conference_id": _("Choose an upcoming press conference.")},
            )
        allowed = {conference.host_organization_id} | {
            org.id for org in participants(session, conference.id or 0)
        }
        target = data.addressed_to_id or conference.host_organization_id
        if target not in allowed:
            raise ValidationFailed(
                _("Address the question to the host or a participant of the conference."),
                fields={"addressed_to_id": _("Choose the host or a participant.")},
            )
        host = organization_by_id(session, target)
        assert host is not None  # the host or a participant: foreign keys
        return host
    org = organization_by_id(session, data.addressed_to_id) if data.addressed_to_id else None
    if org is None or org.kind not in TOP_LEVEL:
        raise ValidationFailed(
            _("Choose the ministry or agency that should answer."),
            fields={"addressed_to_id": _("Choose the ministry or agency that should answer.")},
        )
    return org


def submit_question(session: Session, *, actor: User, data: QuestionCreate) -> Question:
    """A journalist sends a question, for a conference or in writing.
    Side effects: inserts the question (a repeat of the same question within ten minutes
    returns the first one instead). Errors: PermissionDenied, ValidationFailed."""
    if not actor.allows("questions.submit") or actor.outlet_id is None:
        raise PermissionDenied(_("Only an accredited journalist can send questions."))
    ministry = _addressee(session, data)
    addressed_to = ministry.id or 0
    duplicate = recent_duplicate(session, asker_id=actor.id or 0, title=data.title, body=data.body,
                                 addressed_to_id=addressed_to, conference_id=data.conference_id)
    if duplicate is not None:
        return duplicate
    question = Question(
        asker_id=actor.id or 0,
        outlet_id=actor.outlet_id,
        conference_id=data.conference_id,
        addressed_to_id=addressed_to,
        title=data.title,
        body=data.body,
    )
    changes = audit.pending_changes(question)
    insert_now(session, question)
    audit.record(session, actor=actor, action="question.submitted", subject=question,
                 changes=changes)
    index_terms(session, question, new=True)
    notify(session, recipients=members(session, addressed_to, Role.SPOKESPERSON),
           kind=NotificationKind.QUESTION_SUBMITTED, case_path=f"/staff/questions/{question.id}",
           params={"title": question.title, "asker": actor.full_name,
                   "organization": ministry.name})
    return question


def tell_askers(session: Session, question: Question, kind: NotificationKind,
                once_key: str | None = None, **params: object) -> int:
    """Notifies the journalist who asked ``question`` and those whose questions were merged
    into it, each about their own question (``once_key``: see ``notify``). Side effects:
    notification rows. Returns how many were told."""
    told = 0
    for asked in (question, *followers(session, question.id or 0)):
        asker = session.get(User, asked.asker_id) if asked.asker_id else None
        if asker is not None:  # an imported question's asker has no account to tell
            told += notify(session, recipients=[asker], kind=kind,
                           case_path=f"/my/questions/{asked.id}", once_key=once_key,
                           params={"title": asked.title, **params})
    return told


def _ministry_name(session: Session, question: Question) -> str:
    ministry = session.get(Organization, question.addressed_to_id)
    return ministry.name if ministry else ""


def index_terms(session: Session, question: Question, *, new: bool = False) -> None:
    """(Re)writes the question's entries in the duplicate index (its distinctive terms).
    Side effects: replaces its question_term rows (a new question has none) in one
    statement each."""
    if not new:
        session.execute(delete(QuestionTerm).where(col(QuestionTerm.question_id) == question.id))
    rows = [{"term": term, "question_id": question.id} for term in text_terms(question)]
    if rows:
        session.execute(_INSERT_TERMS, rows)


def index_new_terms(session: Session, new_questions: list[Question]) -> None:
    """``index_terms`` of many new questions at once (an import). Side effects: their
    question_term rows, in one statement."""
    rows = [{"term": term, "question_id": question.id} for question in new_questions
            for term in text_terms(question)]
    if rows:
        session.execute(_INSERT_TERMS, rows)


# On the table, not the entity: the ORM's bulk insert does per-row bookkeeping that rows of
# two plain columns do not need (in a profile of a burst of submissions it cost twice what
# finding the terms did). RETURNING makes SQLAlchemy send the rows as one multi-row INSERT
# (its "insertmanyvalues") instead of psycopg's executemany, a statement per row in a
# pipeline: three terms took 0.5 ms instead of 0.8 ms on PostgreSQL.
_TERMS = table_of(QuestionTerm)
_INSERT_TERMS = insert(_TERMS).returning(_TERMS.c.question_id)


def _screened(session: Session, actor: User, question: Question) -> set[int]:
    scope = scope_of(session, actor.id or 0)
    if not can_screen(actor, question, scope):
        raise PermissionDenied(_("Only the spokesperson of the addressed ministry handles this question."))
    return scope


def accept_question(session: Session, *, actor: User, question: Question) -> None:
    """Accepts a submitted question. Side effects: state → accepted."""
    _screened(session, actor, question)
    question.screened_by_id = actor.id
    _moved(session, question, QuestionState.ACCEPTED, actor=actor, action="question.accepted")


def reject_question(
    session: Session, *, actor: User, question: Question, data: QuestionReject
) -> None:
    """Declines a submitted question on a ground (Press Law 2016 Art. 38, or other) with a
    message the journalist reads. Side effects: state → rejected, ground and message stored.
    Errors: PermissionDenied, ValidationFailed (outside the remit or a duplicate: those are
    transferred or merged instead), InvalidTransition."""
    _screened(session, actor, question)
    if data.ground in REDIRECTED_GROUNDS:
        raise ValidationFailed(_(REDIRECTED_GROUNDS[data.ground]),
                               fields={"ground": _(REDIRECTED_GROUNDS[data.ground])})
    _move(session, question, QuestionState.REJECTED)
    question.decline_ground = data.ground
    question.rejection_reason = data.message
    question.screened_by_id = actor.id
    audit.record(session, actor=actor, action="question.rejected", subject=question)
    tell_askers(session, question, NotificationKind.QUESTION_DECLINED,
                organization=_ministry_name(session, question), reason=data.message)


def merge_question(session: Session, *, actor: User, question: Question,
                   data: QuestionMerge) -> Question:
    """Merges a question into another one addressed to the same ministry, which is then
    answered for both: each asker receives that answer. Questions merged into this one
    follow it. Side effects: state → merged, the target stored. Returns the target.
    Errors: PermissionDenied, ValidationFailed (no such target, itself, another ministry's
    or one that cannot take it in), InvalidTransition."""
    _screened(session, actor, question)
    target = session.get(Question, data.into_id)
    refused = _("Choose a question of the same ministry that is still open or answered.")
    if (target is None or target.id == question.id
            or target.addressed_to_id != question.addressed_to_id
            or target.state not in MERGE_TARGET_STATES):
        raise ValidationFailed(refused, fields={"into_id": refused})
    _move(session, question, QuestionState.MERGED)
    question.merged_into_id = target.id
    question.screened_by_id = actor.id
    audit.record(session, actor=actor, action="question.merged", subject=question)
    for follower in followers(session, question.id or 0):
        follower.merged_into_id = target.id
        follower.updated_at = now()
        audit.record(session, actor=actor, action="question.merged", subject=follower)
    session.flush()
    # The other question is named by its number only: its text is its own journalist's.
    tell_askers(session, question, NotificationKind.QUESTION_MERGED, other_title=f"#{target.id}")
    return target


def transfer_question(session: Session, *, actor: User, question: Question,
                      data: QuestionTransfer) -> Organization:
    """Sends a question outside the ministry's remit to the ministry or agency whose remit
    it is, with a reason the journalist reads; that one screens it afresh (questions merged
    into it go along). Side effects: addressee changed, the first one and the reason kept,
    state → submitted, its spokespersons and the journalists told. Returns the new addressee.
    Errors: PermissionDenied, ValidationFailed (not a ministry or agency, or the same one),
    InvalidTransition (assigned to a unit already, or later)."""
    _screened(session, actor, question)
    if question.state not in (QuestionState.SUBMITTED, QuestionState.ACCEPTED):
        raise InvalidTransition(_("A question is transferred to another ministry before it is "
                                  "assigned to a unit.") + " "
                                + _(QUESTION_NEXT_STEPS[question.state]))
    target = session.get(Organization, data.to_id)
    if target is None or target.kind not in TOP_LEVEL or target.id == question.addressed_to_id:
        refused = _("Choose another ministry or agency.")
        raise ValidationFailed(refused, fields={"to_id": refused})
    if question.state != QuestionState.SUBMITTED:
        _move(session, question, QuestionState.SUBMITTED)
    question.transferred_from_id = question.addressed_to_id
    question.transfer_reason = data.reason
    question.addressed_to_id = target.id or 0
    question.screened_by_id = None
    question.holding_until, question.holding_message = None, ""
    question.updated_at = now()
    audit.record(session, actor=actor, action="question.transferred", subject=question)
    for follower in followers(session, question.id or 0):
        follower.addressed_to_id = target.id or 0
        follower.updated_at = now()
        audit.record(session, actor=actor, action="question.transferred", subject=follower)
    session.flush()
    asker = session.get(User, question.asker_id) if question.asker_id else None
    notify(session, recipients=members(session, target.id or 0, Role.SPOKESPERSON),
           kind=NotificationKind.QUESTION_SUBMITTED, case_path=f"/staff/questions/{question.id}",
           params={"title": question.title,
                   "asker": question.asker_name or (asker.full_name if asker else ""),
                   "organization": target.name})
    tell_askers(session, question, NotificationKind.QUESTION_TRANSFERRED,
                organization=target.name, reason=data.reason)
    return target


def edit_question(session: Session, *, actor: User, question: Question,
                  data: QuestionEdit) -> None:
    """The journalist corrects their question's title and text until it is screened.
    Side effects: title and text replaced (the earlier ones stay in the record).
    Errors: PermissionDenied, InvalidTransition."""
    _own(actor, question)
    if question.state != QuestionState.SUBMITTED:
        raise InvalidTransition(_("A question can be edited only until it is screened.") + " "
                                + _(QUESTION_NEXT_STEPS[question.state]))
    question.title = data.title
    question.body = data.body
    question.updated_at = now()
    audit.record(session, actor=actor, action="question.edited", subject=question)
    index_terms(session, question)


def withdraw_question(session: Session, *, actor: User, question: Question) -> None:
    """The journalist withdraws their question until it is answered. When others were merged
    into it, the oldest of them takes its place (its state, assignments and, through
    WHEN_LEAD_CHANGES, its answer), so the other askers still get their answer.
    Side effects: state → withdrawn, the group moved. Errors: PermissionDenied,
    InvalidTransition."""
    _own(actor, question)
    state = question.state
    _moved(session, question, QuestionState.WITHDRAWN, actor=actor, action="question.withdrawn")
    group = followers(session, question.id or 0)
    if not group:
        return
    lead = group[0]
    # Not a transition of the lead's own: it steps into the withdrawn question's place.
    lead.state, lead.merged_into_id, lead.updated_at = state, None, now()
    lead.screened_by_id = question.screened_by_id
    audit.record(session, actor=actor, action="question.took_over", subject=lead)
    for follower in group[1:]:
        follower.merged_into_id = lead.id
        follower.updated_at = now()
        audit.record(session, actor=actor, action="question.merged", subject=follower)
    for assignment in session.exec(select(Assignment).where(
            Assignment.question_id == question.id)):
        assignment.question_id = lead.id or 0
        session.add(assignment)
    for react in WHEN_LEAD_CHANGES:
        react(session, question, lead)
    session.flush()


def _own(actor: User, question: Question) -> None:
    if not actor.allows("questions.own") or question.asker_id != actor.id:
        raise PermissionDenied(_("Only the journalist who sent the question can do this."))


def _within_a_year(day: date, field: str) -> dict[str, str]:
    """The error for ``field`` when ``day`` is before today or more than a year ahead."""
    today = now().astimezone(local_zone()).date()
    label = _(FIELD_LABELS[field])
    if day < today:
        return {field: _("%(field)s: not before today (%(today)s).", field=label,
                         today=fmt_date(today))}
    if day > today + timedelta(days=365):
        return {field: _("%(field)s: at most one year ahead (%(last)s).", field=label,
                         last=fmt_date(today + timedelta(days=365)))}
    return {}


def send_holding_reply(session: Session, *, actor: User, question: Question,
                       data: HoldingReply) -> None:
    """Tells the journalist (and those whose questions were merged into this one) when the
    answer will come and why it takes time, while it is being prepared. Side effects: the
    question's holding reply (the latest one counts), one event, notifications.
    Errors: PermissionDenied, InvalidTransition (screened, declined or answered already),
    ValidationFailed (a date before today or over a year ahead)."""
    _screened(session, actor, question)
    if question.state not in (QuestionState.ACCEPTED, QuestionState.ASSIGNED):
        raise InvalidTransition(_("A holding reply is sent while the answer is being "
                                  "prepared (the question is accepted or assigned).") + " "
                                + _(QUESTION_NEXT_STEPS[question.state]))
    errors = _within_a_year(data.answer_by, "answer_by")
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    question.holding_until = data.answer_by
    question.holding_message = data.message
    question.updated_at = now()
    session.add(question)
    audit.record(session, actor=actor, action="question.holding_reply", subject=question)
    session.flush()
    tell_askers(session, question, NotificationKind.HOLDING_ANSWER,
                organization=_ministry_name(session, question), answer_by=data.answer_by,
                message=data.message)


def extend_due_date(session: Session, *, actor: User, question: Question,
                    data: DueExtension) -> Assignment:
    """Gives the unit more time, once per question, with a reason the journalist reads.
    Side effects: the current assignment's due date (the earlier one kept), one event.
    Errors: PermissionDenied, InvalidTransition (not assigned, or
    extended before), ValidationFailed (not later than the due date, over a year ahead)."""
    _screened(session, actor, question)
    assignment = current_assignment(session, question.id or 0)
    if question.state != QuestionState.ASSIGNED or assignment is None:
        raise InvalidTransition(_("Only the due date of a question assigned to a unit can be "
                                  "extended.") + " " + _(QUESTION_NEXT_STEPS[question.state]))
    earlier = extension_of(session, question.id or 0)
    if earlier is not None:
        raise InvalidTransition(_("The due date of this question was extended once already "
                                  "(from %(before)s to %(after)s); it can be extended only once.",
                                  before=fmt_date(earlier.extended_from),
                                  after=fmt_date(earlier.due_date)))
    errors = _within_a_year(data.extended_to, "extended_to")
    if not errors and data.extended_to <= assignment.due_date:
        errors = {"extended_to": _("New due date: later than the current one (%(due)s).",
                                   due=fmt_date(assignment.due_date))}
    if errors:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    assignment.extended_from = assignment.due_date
    assignment.due_date = data.extended_to
    assignment.due_at = None  # an urgent question given more time is due on a day
    assignment.extension_reason = data.reason
    session.add(assignment)
    question.updated_at = now()  # a new version: a form read before the extension is stale
    session.add(question)
    audit.record(session, actor=actor, action="question.extended", subject=assignment,
                 case=question)
    session.flush()
    return assignment


def assign_question(
    session: Session, *, actor: User, question: Question, data: QuestionAssign
) -> Assignment:
    """Assigns an accepted question (or re-assigns an assigned one) to a (lead) unit with a due
    date, or, when urgent, a due time some hours ahead, and asks helper units for input.
    Side effects: inserts an assignment and its helpers, state → assigned; the units'
    officers are told. Errors: PermissionDenied, ValidationFailed, InvalidTransition."""
    _screened(session, actor, question)
    unit = session.get(Organization, data.unit_id)
    errors: dict[str, str] = {}
    if (
        unit is None
        or unit.kind != OrgKind.UNIT
        or unit.id not in subtree_ids(session, question.addressed_to_id)
    ):
        errors["unit_id"] = _("Choose a unit of the addressed ministry.")
    moment = now()
    due_at = moment + timedelta(hours=data.urgent_hours) if data.urgent_hours else None
    due_date = due_at.astimezone(local_zone()).date() if due_at else data.due_date
    if due_date is None:
        errors["due_date"] = _("Due date: enter a day, or hours for an urgent question.")
    else:
        errors.update(_within_a_year(due_date, "due_date"))
    helpers = sorted(set(data.helper_unit_ids))
    ministry_units = {u.id for u in units_in(session, question.addressed_to_id)}
    if data.unit_id in helpers or not set(helpers) <= ministry_units:
        errors["helper_unit_ids"] = _("Helper units: choose other units of the addressed "
                                      "ministry than the lead unit.")
    if errors or due_date is None:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=errors)
    before = current_assignment(session, question.id or 0) if (
        question.state == QuestionState.ASSIGNED) else None
    helped_before = set(helper_units(session, before.id or 0)) if before is not None else set()
    _move(session, question, QuestionState.ASSIGNED)
    assignment = Assignment(
        question_id=question.id or 0,
        unit_id=data.unit_id,
        due_date=due_date,
        due_at=due_at,
        note=data.note,
        assigned_by_id=actor.id or 0,
    )
    changes = {**audit.pending_changes(question), **audit.pending_changes(assignment)}
    if helpers or helped_before:
        changes["helper_unit_ids"] = [sorted(helped_before), helpers]
    audit.record(session, actor=actor, action="question.assigned", subject=assignment,
                 case=question, changes=changes)
    session.add_all([AssignmentHelper(assignment_id=assignment.id or 0, unit_id=unit_id)
                     for unit_id in helpers])
    for unit_id in sorted(set(helpers) - helped_before):  # units asked anew
        notify(session, recipients=members(session, unit_id, Role.UNIT_OFFICER),
               kind=NotificationKind.INPUT_REQUESTED, case_path=f"/unit/questions/{question.id}",
               params={"title": question.title, "unit": unit.name if unit else "",
                       "due_date": due_date})
    if before is None or before.unit_id != assignment.unit_id:  # not a new due date alone
        notify(session, recipients=members(session, assignment.unit_id, Role.UNIT_OFFICER),
               kind=NotificationKind.QUESTION_ASSIGNED if before is None
               else NotificationKind.QUESTION_TRANSFERRED_TO_UNIT,
               case_path=f"/unit/questions/{question.id}",
               params={"title": question.title, "unit": unit.name if unit else "",
                       "due_date": assignment.due})
    session.flush()
    return assignment


def move_to_writing(session: Session, actor: User, conference: PressConference) -> None:
    """Reaction to a cancelled conference: its questions not yet answered or declined become
    written questions to the ministry they were addressed to (the host, unless the journalist
    chose a participant, whose units may already work on it); they keep their state and
    history, and the journalist sees the change on their list. Side effects: marks them, one
    event each."""
    pending = session.exec(select(Question).where(
        Question.conference_id == conference.id,
        col(Question.state).in_(PENDING_STATES))).all()
    for question in pending:
        question.moved_to_writing_at = now()
        question.updated_at = now()
        session.add(question)
        audit.record(session, actor=actor, action="question.moved_to_writing", subject=question)
    session.flush()


PENDING_STATES = (QuestionState.SUBMITTED, QuestionState.ACCEPTED, QuestionState.ASSIGNED)
conferences.WHEN_CANCELLED.append(move_to_writing)


def mark_answered(session: Session, *, actor: User, question: Question) -> None:
    """Called by the answers domain when an answer is approved. Side effects: state → answered."""
    _moved(session, question, QuestionState.ANSWERED, actor=actor, action="question.answered")


def mark_published(session: Session, *, actor: User, question: Question, at: datetime) -> None:
    """Called by the answers domain when the answer is published (``at`` may be in the future).
    Side effects: state → published, publication time."""
    question.published_at = at
    _moved(session, question, QuestionState.PUBLISHED, actor=actor, action="question.published")


def _calendar_keeper(actor: User) -> None:
    if not actor.allows("calendar.manage"):
        raise PermissionDenied(_("Only an administrator changes the working calendar."))


def set_calendar_day(session: Session, *, actor: User, data: CalendarDayIn) -> None:
    """Adds (or changes) an extra day off or a make-up working day; due dates computed from
    now on count it. Errors: PermissionDenied, ValidationFailed (a weekday made a working
    day, or a Saturday or Sunday made a day off: they already are)."""
    _calendar_keeper(actor)
    weekend = data.day.weekday() >= 5
    if data.working != weekend:
        message = (_("Only a Saturday or Sunday can be made a working day.") if data.working
                   else _("A Saturday or Sunday is a day off already."))
        raise ValidationFailed(message, fields={"day": message})
    row = session.get(CalendarDay, data.day) or CalendarDay(day=data.day, working=data.working,
                                                             note=data.note)
    row.working, row.note = data.working, data.note
    session.add(row)
    session.flush()


def remove_calendar_day(session: Session, *, actor: User, day: date) -> None:
    """Takes a day off the press office's calendar changes. Errors: PermissionDenied,
    NotFound."""
    _calendar_keeper(actor)
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(_("That day is not on the calendar."))
    session.delete(row)
    session.flush()


def set_answer_due_days(session: Session, *, actor: User, organization: Organization,
                        data: AnswerDueDays) -> None:
    """Sets a ministry's default time to answer (working days; None: the setting's).
    Errors: PermissionDenied, ValidationFailed (not a ministry or agency)."""
    _calendar_keeper(actor)
    if organization.kind not in TOP_LEVEL:
        message = _("Only a ministry or agency has a default time to answer.")
        raise ValidationFailed(message, fields={"days": message})
    organization.answer_due_working_days = data.days
    session.add(organization)
    session.flush()


LIVE_TITLE_CHARS = 120


def _live_title(body: str) -> str:
    """A written question's title from a live question's text: its first words."""
    line = " ".join(body.split())
    if len(line) <= LIVE_TITLE_CHARS:
        return line
    return line[:LIVE_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def defer_live_question(session: Session, *, actor: User, live: LiveQuestion, unit_id: int,
                        due_date: date | None) -> Question:
    """Turns a live question that is not answered live into a written question of the host
    ministry, asked by the same journalist at this conference, accepted and assigned to
    ``unit_id`` by ``due_date`` (default: the ministry's usual time to answer). Side effects:
    inserts the question and its assignment (the unit is told), the live question → deferred
    and linked to it. Errors: PermissionDenied, InvalidTransition, ValidationFailed."""
    conference = session.get(PressConference, live.conference_id)
    journalist = session.get(User, live.journalist_id)
    if conference is None or journalist is None:
        raise InvalidTransition(_("This press conference no longer exists."))
    question = Question(asker_id=journalist.id or 0, outlet_id=journalist.outlet_id or 0,
                        conference_id=conference.id, addressed_to_id=conference.host_organization_id,
                        title=_live_title(live.body), body=live.body)
    audit.record(session, actor=actor, action="question.deferred_from_live", subject=question)
    index_terms(session, question, new=True)
    conferences.defer_live(session, actor=actor, question=live, question_id=question.id or 0)
    accept_question(session, actor=actor, question=question)
    assign_question(session, actor=actor, question=question, data=QuestionAssign(
        unit_id=unit_id, due_date=due_date or default_due(session, question.addressed_to_id)[0]))
    return question
