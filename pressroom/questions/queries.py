"""Reads of questions, always scoped by the principal."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, union_all
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.core.clock import now
from pressroom.core.config import get_settings
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import local_zone
from pressroom.core.workdays import Overrides, add_working_days
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import scope_of
from pressroom.questions import similarity
from pressroom.questions.enums import MERGE_TARGET_STATES, QuestionState
from pressroom.questions.models import (
    Assignment,
    AssignmentHelper,
    CalendarDay,
    Question,
    QuestionTerm,
)
from pressroom.questions.permissions import can_see_question


def current_assignment(session: Session, question_id: int) -> Assignment | None:
    """The newest assignment (highest id, as the lists take it: a clock that steps back
    between two assignments must not make the older one current)."""
    return session.exec(
        select(Assignment)
        .where(Assignment.question_id == question_id)
        .order_by(col(Assignment.id).desc())
    ).first()


def extension_of(session: Session, question_id: int) -> Assignment | None:
    """The assignment whose due date was extended, if the question's one extension is used."""
    return session.exec(select(Assignment).where(
        Assignment.question_id == question_id, col(Assignment.extended_from).is_not(None))).first()


def current_assignments(session: Session, question_ids: list[int]) -> dict[int, Assignment]:
    """The current assignment of many questions in one query (list pages)."""
    latest = (
        select(func.max(Assignment.id))
        .where(col(Assignment.question_id).in_(question_ids))
        .group_by(col(Assignment.question_id))
    )
    rows = session.exec(select(Assignment).where(col(Assignment.id).in_(latest)))
    return {row.question_id: row for row in rows}


def question_visible_to(session: Session, user: User | None, question_id: int) -> Question:
    """The question if ``user`` (None: the public) may see it; NotFound otherwise, so that
    its existence is not revealed."""
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(_("Question not found."))
    scope = scope_of(session, user.id) if user is not None and user.id is not None else set()
    assignment = current_assignment(session, question_id)
    helpers = set(helper_units(session, assignment.id or 0)) if (
        assignment is not None and user is not None and user.role == Role.UNIT_OFFICER) else set()
    if not can_see_question(user, question, assignment, scope, helpers):
        raise NotFound(_("Question not found."))
    return question


def questions_of_journalist(session: Session, user: User) -> list[Question]:
    return list(
        session.exec(
            select(Question)
            .where(Question.asker_id == user.id)
            .order_by(col(Question.created_at).desc())
        )
    )


def screening_queue(
    session: Session, user: User, states: list[QuestionState] | None = None
) -> list[Question]:
    """Questions addressed to the spokesperson's organisations, oldest first."""
    query = select(Question).where(col(Question.addressed_to_id).in_(scope_of(session, user.id or 0)))
    if states:
        query = query.where(col(Question.state).in_(states))
    return list(session.exec(query.order_by(col(Question.created_at))))


def assigned_to_officer(session: Session, user: User) -> list[tuple[Question, Assignment]]:
    """Questions whose current assignment is to the officer's unit (or below it)."""
    latest = select(func.max(Assignment.id)).group_by(col(Assignment.question_id))
    rows = session.exec(
        select(Question, Assignment)
        .join(Assignment, Assignment.question_id == Question.id)  # type: ignore[arg-type]
        .where(
            col(Assignment.id).in_(latest),
            col(Assignment.unit_id).in_(scope_of(session, user.id or 0)),
            col(Question.state).in_(
                [QuestionState.ASSIGNED, QuestionState.ANSWERED, QuestionState.PUBLISHED]
            ),
        )
        .order_by(col(Assignment.due_date), col(Question.id).desc())
    )
    return list(rows.all())


def helper_units(session: Session, assignment_id: int) -> list[int]:
    """The ids of the units asked for input to the assignment."""
    return list(session.exec(select(AssignmentHelper.unit_id)
                             .where(AssignmentHelper.assignment_id == assignment_id)
                             .order_by(col(AssignmentHelper.unit_id))))


def helped_by_officer(session: Session, user: User) -> list[tuple[Question, Assignment]]:
    """Open questions whose current assignment asks the officer's unit (or one below it) for
    input, by due date."""
    latest = select(func.max(Assignment.id)).group_by(col(Assignment.question_id))
    asked = select(AssignmentHelper.assignment_id).where(
        col(AssignmentHelper.unit_id).in_(scope_of(session, user.id or 0)))
    rows = session.exec(
        select(Question, Assignment)
        .join(Assignment, Assignment.question_id == Question.id)  # type: ignore[arg-type]
        .where(col(Assignment.id).in_(latest), col(Assignment.id).in_(asked),
               Question.state == QuestionState.ASSIGNED)
        .order_by(col(Assignment.due_date), col(Question.id).desc()))
    return list(rows.all())


def followers(session: Session, question_id: int) -> list[Question]:
    """The questions merged into this one, oldest first."""
    return list(session.exec(select(Question).where(Question.merged_into_id == question_id)
                             .order_by(col(Question.id))))


def merge_candidates(session: Session, question: Question, limit: int = 100) -> list[Question]:
    """Questions the given one could be merged into: the same ministry's, open or answered,
    newest first."""
    return list(session.exec(
        select(Question).where(Question.addressed_to_id == question.addressed_to_id,
                               Question.id != question.id,
                               col(Question.state).in_(MERGE_TARGET_STATES))
        .order_by(col(Question.id).desc()).limit(limit)))


def calendar_days(session: Session) -> list[CalendarDay]:
    """The press office's extra days off and make-up working days, by date."""
    return list(session.exec(select(CalendarDay).order_by(col(CalendarDay.day))))


def calendar_overrides(session: Session) -> Overrides:
    """The calendar changes as core.workdays reads them."""
    days = calendar_days(session)
    return Overrides(days_off={d.day: d.note for d in days if not d.working},
                     working_days={d.day: d.note for d in days if d.working})


# "Due soon": due within this many working days (work lists, filters, reminders).
DUE_SOON_WORKING_DAYS = 2
DUE_FILTERS = ("overdue", "soon")


@dataclass(frozen=True)
class DueWindow:
    """The moment, its day in Hà Nội, and the last day that counts as "due soon"."""

    moment: datetime
    today: date
    soon_until: date

    def matches(self, question: Question, assignment: Assignment | None, due: str) -> bool:
        """Whether a question still being answered is ``overdue`` (past its due day or, when
        urgent, time) or due ``soon`` (not yet, and by ``soon_until``: an urgent one always);
        any other ``due`` matches every question."""
        if due not in DUE_FILTERS:
            return True
        if question.state != QuestionState.ASSIGNED or assignment is None:
            return False
        late = assignment.is_overdue(self.moment)
        if due == "overdue":
            return late
        return not late and assignment.due_date <= self.soon_until


def due_filter_choices(due: str) -> dict[str, object]:
    """The work lists' due-date filter: its options and the chosen one."""
    return {"due": due if due in DUE_FILTERS else "", "due_choices": [
        ("", _("Any due date")), ("overdue", _("Overdue")),
        ("soon", _("Due within %(days)s working days", days=DUE_SOON_WORKING_DAYS))]}


def due_window(session: Session, moment: datetime | None = None) -> DueWindow:
    moment = moment or now()
    today = moment.astimezone(local_zone()).date()
    return DueWindow(moment, today, add_working_days(today, DUE_SOON_WORKING_DAYS,
                                                     calendar_overrides(session)))


def text_terms(question: Question) -> set[str]:
    """The question's entries in the duplicate index (as long as the column holds)."""
    return {term[:100] for term in similarity.terms(f"{question.title}\n{question.body}")}


# A term found in more questions than this says little about any of them: it is used only
# when the text has no rarer one (counting its postings would cost more than it tells).
COMMON_TERM = 2000
# How many questions sharing the rarest terms are scored in full, and how many terms (the
# rarest) are looked up.
CANDIDATES = 40
TERMS = 10


def similar_questions(session: Session, text: str, *, addressed_to_id: int,
                      states: Collection[QuestionState], exclude_id: int | None = None,
                      limit: int = 5, minimum: float = 0.0) -> list[tuple[Question, float]]:
    """The questions to ``addressed_to_id`` in ``states`` most alike ``text`` (a title, a
    newline and a text), best first, with their similarity (0 to 1, at least ``minimum``).
    Reads the inverted index: the questions sharing most of the text's rare terms (at most
    CANDIDATES of them) are scored in full. Not scoped: callers decide what each reader may see."""
    wanted = sorted(t[:100] for t in similarity.terms(text))
    if not wanted:
        return []
    # How many questions hold each term, counted only up to COMMON_TERM (one round trip).
    capped = [select(func.count()).select_from(
        select(QuestionTerm.question_id).where(QuestionTerm.term == term)
        .limit(COMMON_TERM).subquery()).scalar_subquery() for term in wanted]
    counts = dict(zip(wanted, session.exec(select(*capped)).one(), strict=True))
    present = sorted((t for t in wanted if counts[t]), key=lambda t: (counts[t], t))
    rare = [t for t in present if counts[t] < COMMON_TERM]
    if len(rare) >= 2:
        # The rare terms say what the question is about: the questions sharing most of them.
        chosen, needed, cap = rare[:TERMS], 1, COMMON_TERM
    else:
        # Hardly any rare term: the questions holding all three of the least common words
        # (their postings read whole, which three lists keep affordable).
        chosen, needed, cap = present[:3], len(present[:3]), None
    if not chosen:
        return []
    postings = union_all(*(select(sub.c.question_id) for sub in (
        select(QuestionTerm.question_id).where(QuestionTerm.term == term)
        .order_by(col(QuestionTerm.question_id).desc()).limit(cap).subquery()
        for term in chosen))).subquery()
    shared = func.count().label("shared")
    grouped = (select(postings.c.question_id, shared).group_by(postings.c.question_id)
               .having(shared >= needed)
               .order_by(shared.desc(), postings.c.question_id.desc())
               .limit(CANDIDATES * 5).subquery())
    query = (select(grouped.c.question_id)
             .join(Question, col(Question.id) == grouped.c.question_id)
             .where(Question.addressed_to_id == addressed_to_id,
                    col(Question.state).in_(list(states)))
             .order_by(grouped.c.shared.desc(), grouped.c.question_id.desc())
             .limit(CANDIDATES))
    if exclude_id is not None:
        query = query.where(grouped.c.question_id != exclude_id)
    ids = list(session.exec(query))
    if not ids:
        return []
    wanted_profile = similarity.profile(text)
    scored = [(q, similarity.score_profiles(wanted_profile,
                                            similarity.profile(f"{q.title}\n{q.body}")))
              for q in session.exec(select(Question).where(col(Question.id).in_(ids)))]
    scored = [(q, round(value, 4)) for q, value in scored if value >= minimum]
    scored.sort(key=lambda pair: (-pair[1], -(pair[0].id or 0)))
    return scored[:limit]


def open_assignments(session: Session, user: User) -> list[tuple[Question, Assignment]]:
    """Assigned questions (not answered yet) addressed to the spokesperson's organisations,
    with their current assignment, due soonest first."""
    latest = select(func.max(Assignment.id)).group_by(col(Assignment.question_id))
    rows = session.exec(
        select(Question, Assignment)
        .join(Assignment, col(Assignment.question_id) == Question.id)
        .where(col(Assignment.id).in_(latest),
               col(Question.addressed_to_id).in_(scope_of(session, user.id or 0)),
               Question.state == QuestionState.ASSIGNED)
        .order_by(col(Assignment.due_date), col(Question.id).desc()))
    return list(rows.all())


def by_urgency(questions: list[Question], assignments: dict[int, Assignment],
               window: DueWindow, due: str = "") -> list[Question]:
    """A work list in the order things need doing: overdue first, then due soonest (both
    only for questions still being answered), then the rest newest first; ``due`` keeps only
    the overdue or due-soon ones (DueWindow.matches)."""
    def key(question: Question) -> tuple[int, date, float]:
        assignment = assignments.get(question.id or 0)
        if question.state == QuestionState.ASSIGNED and assignment is not None:
            # On a day, the urgent ones first (by their time), then those due that day.
            at = assignment.due_at.timestamp() if assignment.due_at else float("inf")
            late = window.matches(question, assignment, "overdue")
            return (0 if late else 1, assignment.due_date, at)
        return (2, date.min, -question.created_at.timestamp())
    questions = [q for q in questions if window.matches(q, assignments.get(q.id or 0), due)]
    return sorted(questions, key=key)


def recent_duplicate(session: Session, *, asker_id: int, title: str, body: str,
                     addressed_to_id: int, conference_id: int | None) -> Question | None:
    """The same question from the same journalist to the same addressee and conference in the
    last ten minutes (a double submit); the same text to another ministry is a new question."""
    return session.exec(_recent_duplicate_query(conference_id is None), params={
        "asker_id": asker_id, "title": title, "body": body, "addressed_to_id": addressed_to_id,
        "conference_id": conference_id, "since": now() - timedelta(minutes=10),
    }).first()


@cache
def _recent_duplicate_query(written: bool) -> SelectOfScalar[Question]:
    # Built once per shape, values bound at execution: every submission runs this, and
    # building the six conditions cost more than running them (PostgreSQL, measured per
    # call: about 1 ms as built each time, 0.4 ms prebuilt).
    return select(Question).where(
        Question.asker_id == bindparam("asker_id"),
        Question.title == bindparam("title"),
        Question.body == bindparam("body"),
        Question.addressed_to_id == bindparam("addressed_to_id"),
        col(Question.conference_id).is_(None) if written
        else Question.conference_id == bindparam("conference_id"),
        Question.created_at > bindparam("since"),
    )


def default_due(session: Session, ministry_id: int) -> tuple[date, int]:
    """The due date an assignment gets unless told otherwise: the ministry's time to answer
    (else the setting's) in working days from today; and that number of days."""
    ministry = session.get(Organization, ministry_id)
    days = (ministry.answer_due_working_days if ministry else None) or (
        get_settings().answer_due_working_days)
    today = now().astimezone(local_zone()).date()
    return add_working_days(today, days, calendar_overrides(session)), days
