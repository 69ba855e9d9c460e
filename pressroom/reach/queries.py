"""Reads: whether a thing may be counted (it is public now), and the counts a press office
may see, scoped by the principal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from pressroom.accounts.enums import Role
from pressroom.accounts.models import User
from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer
from pressroom.conferences.models import PressConference
from pressroom.conferences.queries import is_public
from pressroom.core.clock import now
from pressroom.core.errors import PermissionDenied
from pressroom.core.i18n import gettext as _
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import (
    organization_of,
    subtree_ids,
    top_level_of,
    top_level_organizations,
)
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question
from pressroom.reach.enums import ReachKind
from pressroom.reach.models import ReachDay


@dataclass(frozen=True)
class Countable:
    """A public thing that may be counted; for a conference, since when its transcript (shown
    on its page) is public, if it is."""

    transcript_since: datetime | None = None


def countable(session: Session, kind: ReachKind, object_id: int) -> Countable | None:
    """Whether anyone may read the thing now (the public pages' rules), else None."""
    if kind == ReachKind.ANSWER:
        published = session.exec(
            select(Answer.id).join(Question, col(Question.id) == Answer.question_id)
            .where(Answer.id == object_id, Answer.state == AnswerState.APPROVED,
                   Question.state == QuestionState.PUBLISHED,
                   col(Question.published_at) <= now())).first()
        return Countable() if published is not None else None
    conference = session.get(PressConference, object_id)
    if conference is None or not is_public(conference):
        return None
    if kind == ReachKind.TRANSCRIPT and conference.transcript_published_at is None:
        return None
    return Countable(conference.transcript_published_at)


def ministries_for(session: Session, user: User) -> list[Organization]:
    """The ministries (agencies, the Government Office) whose reach ``user`` may see: every one
    for an administrator, else the one the account works for."""
    if user.role == Role.ADMIN:
        return top_level_organizations(session)
    org = organization_of(session, user.id or 0)
    return [] if org is None or org.id is None else [top_level_of(session, org.id)]


def chosen_ministry(session: Session, user: User, ministry_id: int | None
                    ) -> tuple[list[Organization], Organization | None]:
    """The ministries ``user`` may see and the one chosen (None: all of them, for an
    administrator who chose none). Errors: PermissionDenied (another ministry's, or none)."""
    allowed = ministries_for(session, user)
    if not allowed:
        raise PermissionDenied(_("Your account works for no ministry."))
    if ministry_id is None:
        return allowed, None if user.role == Role.ADMIN else allowed[0]
    for org in allowed:
        if org.id == ministry_id:
            return allowed, org
    raise PermissionDenied(_("You may only see the reach of your own ministry."))


@dataclass(frozen=True)
class ReachRow:
    day: date
    kind: ReachKind
    object_id: int
    title: str
    views: int
    downloads: int
    ministry_id: int


_KIND_ORDER = {ReachKind.ANSWER: 0, ReachKind.CONFERENCE: 1, ReachKind.TRANSCRIPT: 2}


def reach_rows(session: Session, ministry_id: int | None, start: date, end: date
               ) -> list[ReachRow]:
    """The day counters from ``start`` to ``end`` (both included) of the answers, conferences
    and transcripts of one ministry (None: of every one), with each thing's title and
    ministry; by day, kind and id. Two queries and one read of the organisation tree."""
    parents = dict(session.exec(select(Organization.id, Organization.parent_id)).all())
    tops = {org.id for org in top_level_organizations(session)}
    scope = subtree_ids(session, ministry_id) if ministry_id is not None else None
    answers = (
        select(ReachDay.day, ReachDay.kind, ReachDay.object_id,  # type: ignore[call-overload]
               Question.title, ReachDay.views, ReachDay.downloads, Answer.unit_id)
        .join(Answer, col(Answer.id) == ReachDay.object_id)
        .join(Question, col(Question.id) == Answer.question_id)
        .where(ReachDay.kind == ReachKind.ANSWER, col(ReachDay.day) >= start,
               col(ReachDay.day) <= end))
    conferences = (
        select(ReachDay.day, ReachDay.kind, ReachDay.object_id,  # type: ignore[call-overload]
               PressConference.title, ReachDay.views, ReachDay.downloads,
               PressConference.host_organization_id)
        .join(PressConference, col(PressConference.id) == ReachDay.object_id)
        .where(col(ReachDay.kind).in_((ReachKind.CONFERENCE, ReachKind.TRANSCRIPT)),
               col(ReachDay.day) >= start, col(ReachDay.day) <= end))
    if scope is not None:
        answers = answers.where(col(Answer.unit_id).in_(scope))
        conferences = conferences.where(col(PressConference.host_organization_id).in_(scope))
    rows = []
    for day, kind, object_id, title, views, downloads, org_id in [
            *session.exec(answers), *session.exec(conferences)]:
        top = org_id
        while top is not None and top not in tops:
            top = parents.get(top)
        rows.append(ReachRow(day, ReachKind(kind), object_id, title, views, downloads,
                             top if top is not None else org_id))
    rows.sort(key=lambda r: (r.day, _KIND_ORDER[r.kind], r.object_id))
    return rows
