"""Public reads: what anyone may see, built as plain documents for pages, PDFs and the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from pressroom.accounts.models import Outlet, User
from pressroom.answers.enums import AnswerState
from pressroom.answers.models import Answer, AnswerVersion
from pressroom.conferences.enums import AccreditationStatus
from pressroom.conferences.models import PressConference, TranscriptTurn
from pressroom.conferences.queries import (
    accreditations,
    managed_conference,
    participants,
    public_conference,
    transcript,
)
from pressroom.core.audit import Event
from pressroom.core.clock import now
from pressroom.core.errors import NotFound
from pressroom.core.i18n import gettext as _
from pressroom.core.i18n import lazy
from pressroom.core.text import time_link
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import spokesperson_for_user, subtree_ids, top_level_of
from pressroom.publishing.documents import (
    AnswerDocument,
    DoorListDocument,
    DoorListRow,
    SearchFacet,
    SearchHit,
    SearchPage,
    TranscriptDocument,
    TranscriptTurnDocument,
)
from pressroom.publishing.enums import PdfKind
from pressroom.publishing.models import StoredPdf
from pressroom.questions.enums import QuestionState
from pressroom.questions.models import Question
from pressroom.search import analysis, index

_Approver = aliased(User)


def _published_rows(*, include_scheduled: bool = False):  # type: ignore[no-untyped-def]
    query = (
        select(Answer, Question, User, Outlet, Organization, _Approver)  # type: ignore[call-overload]
        .join(Question, Question.id == Answer.question_id)  # type: ignore[arg-type]
        # An imported question has no asker's account, only the name (Question.asker_name).
        .outerjoin(User, User.id == Question.asker_id)  # type: ignore[arg-type]
        .join(Outlet, Outlet.id == Question.outlet_id)  # type: ignore[arg-type]
        .join(Organization, Organization.id == Answer.unit_id)  # type: ignore[arg-type]
        .join(_Approver, _Approver.id == Answer.approved_by_id)  # type: ignore[arg-type]
        .where(Answer.state == AnswerState.APPROVED, Question.state == QuestionState.PUBLISHED)
    )
    return query if include_scheduled else query.where(col(Question.published_at) <= now())


def _document(
    session: Session, row: tuple, conference_titles: dict[int, str], cache: dict[str, Any]  # type: ignore[type-arg]
) -> AnswerDocument:
    answer, question, asker, outlet, unit, approver = row
    ministry_key, approver_key = f"m{unit.id}", f"s{approver.id}"
    if ministry_key not in cache:
        cache[ministry_key] = top_level_of(session, unit.id)
    if approver_key not in cache:
        cache[approver_key] = spokesperson_for_user(session, approver.id)
    ministry, spokesperson = cache[ministry_key], cache[approver_key]
    return AnswerDocument(
        answer_id=answer.id,
        question_id=question.id,
        question_title=question.title,
        question_text=question.body,
        asker_name=question.asker_name or (asker.full_name if asker else ""),
        outlet_id=outlet.id,
        outlet_name=outlet.name,
        conference_id=question.conference_id,
        conference_title=conference_titles.get(question.conference_id or 0),
        asked_at=question.created_at,
        unit_name=unit.name,
        ministry_id=ministry.id,
        ministry_name=ministry.name,
        answer_text=answer.body,
        approver_name="" if question.source_id else approver.full_name,
        approver_title="" if question.source_id else (
            spokesperson.title if spokesperson else _("Spokesperson")),
        approved_at=answer.approved_at,
        published_at=question.published_at,
        version=answer.version,
        corrected_at=answer.corrected_at,
        correction_reason=answer.correction_reason,
        source_id=question.source_id or "",
    )


def _conference_titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(
        select(PressConference.id, PressConference.title).where(col(PressConference.id).in_(ids))
    )
    return {cid: title for cid, title in rows if cid is not None}


def _documents(session: Session, rows: list) -> list[AnswerDocument]:  # type: ignore[type-arg]
    titles = _conference_titles(session, {r[1].conference_id for r in rows if r[1].conference_id})
    moments = _transcript_moments(session, {r[1].id for r in rows if r[1].conference_id})
    cache: dict[str, Any] = {}
    return [replace(_document(session, row, titles, cache),
                    transcript_turn=moments.get(row[1].id)) for row in rows]


def _transcript_moments(session: Session, question_ids: set[int]) -> dict[int, int]:
    """The first turn of a published transcript that links each question."""
    if not question_ids:
        return {}
    rows = session.exec(
        select(TranscriptTurn.question_id, func.min(TranscriptTurn.position))
        .join(PressConference, PressConference.id == TranscriptTurn.conference_id)  # type: ignore[arg-type]
        .where(col(TranscriptTurn.question_id).in_(question_ids),
               col(PressConference.transcript_published_at).is_not(None))
        .group_by(col(TranscriptTurn.question_id)))
    return {qid: position for qid, position in rows if qid is not None}


def public_answer(session: Session, answer_id: int) -> AnswerDocument:
    """A published answer, or NotFound (also while its publication time has not come)."""
    row = session.exec(_published_rows().where(Answer.id == answer_id)).first()
    if row is None:
        raise NotFound(_("Answer not found."))
    return _documents(session, [row])[0]


def latest_answers(session: Session, limit: int, offset: int = 0,
                   *conditions: Any) -> list[AnswerDocument]:
    """Published answers, newest first (only those meeting ``conditions``, if given)."""
    rows = session.exec(
        _published_rows()
        .where(*conditions)
        .order_by(col(Question.published_at).desc(), col(Answer.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return _documents(session, list(rows))


def organization_answers(session: Session, org_id: int, limit: int,
                         offset: int = 0) -> list[AnswerDocument]:
    """The published answers of a ministry or agency (any of its units answered), newest
    first."""
    return latest_answers(session, limit, offset,
                          col(Answer.unit_id).in_(subtree_ids(session, org_id)))


def public_outlet(session: Session, outlet_id: int) -> Outlet:
    outlet = session.get(Outlet, outlet_id)
    if outlet is None:
        raise NotFound(_("Press agency not found."))
    return outlet


def outlet_answers(session: Session, outlet_id: int, limit: int,
                   offset: int = 0) -> list[AnswerDocument]:
    """The published answers to questions the press agency's journalists asked (for it at the
    time), newest first."""
    return latest_answers(session, limit, offset, Question.outlet_id == outlet_id)


def outlets_with_answers(session: Session) -> list[tuple[Outlet, int]]:
    """The press agencies whose journalists' questions have published answers, with how many,
    by name."""
    answered = _published_rows().with_only_columns(Question.outlet_id).subquery()
    return [(outlet, count) for outlet, count in session.exec(
        select(Outlet, func.count())  # type: ignore[call-overload]
        .join(answered, answered.c.outlet_id == Outlet.id)
        .group_by(col(Outlet.id))
        .order_by(col(Outlet.name)))]


def published_answer_times(session: Session) -> list[tuple[int, datetime]]:
    """Every published answer's id and when its public text last changed (its correction,
    else its publication), newest first: the sitemap's list, without building documents."""
    rows = session.exec(
        select(Answer.id, Question.published_at, Answer.corrected_at)  # type: ignore[call-overload]
        .join(Question, Question.id == Answer.question_id)  # type: ignore[arg-type]
        .where(Answer.state == AnswerState.APPROVED, Question.state == QuestionState.PUBLISHED,
               col(Question.published_at) <= now())
        .order_by(col(Question.published_at).desc(), col(Answer.id).desc()))
    return [(answer_id or 0, corrected or published) for answer_id, published, corrected in rows
            if published is not None]


PUBLIC_CONFERENCE_ACTIONS = ("conference.created", "conference.updated", "conference.announced",
                             "conference.live", "conference.ended", "conference.held",
                             "conference.cancelled", "conference.postponed",
                             "conference.transcript_published")
"""Changes to a conference that its public page shows (a transcript's draft saves are not)."""


def last_changes(session: Session, conferences: list[PressConference]) -> dict[int, datetime]:
    """When each public conference last changed in a way its page shows (announced,
    rescheduled, postponed, cancelled, held, transcript published), from the event record in
    one query; a conference without events falls back on the times it keeps itself."""
    ids = [c.id for c in conferences if c.id is not None]
    recorded: dict[int, datetime] = {}
    if ids:
        recorded = {cid: at for cid, at in session.exec(
            select(Event.case_id, func.max(Event.at))
            .where(Event.case_type == PressConference.__tablename__,
                   col(Event.case_id).in_(ids),
                   Event.subject_type == PressConference.__tablename__,
                   col(Event.action).in_(PUBLIC_CONFERENCE_ACTIONS))
            .group_by(col(Event.case_id)))}
    changes: dict[int, datetime] = {}
    for conference in conferences:
        own = [t for t in (conference.announced_at, conference.live_started_at,
                           conference.live_ended_at, conference.transcript_published_at,
                           recorded.get(conference.id or 0)) if t is not None]
        changes[conference.id or 0] = max(own, default=conference.created_at)
    return changes


def conference_answers(session: Session, conference_id: int) -> list[AnswerDocument]:
    rows = session.exec(
        _published_rows()
        .where(Question.conference_id == conference_id)
        .order_by(col(Question.published_at), col(Answer.id))
    ).all()
    return _documents(session, list(rows))


def _version_document(current: AnswerDocument, row: AnswerVersion) -> AnswerDocument:
    return replace(current, answer_text=row.body, version=row.version,
                   corrected_at=row.published_at if row.version > 1 else None,
                   correction_reason=row.correction_reason, superseded_at=row.superseded_at)


def _earlier_rows(session: Session, answer_id: int) -> list[AnswerVersion]:
    return list(session.exec(select(AnswerVersion).where(AnswerVersion.answer_id == answer_id)
                             .order_by(col(AnswerVersion.version))))


def earlier_versions(session: Session, current: AnswerDocument) -> list[AnswerDocument]:
    """The texts a correction replaced, oldest (the original) first."""
    return [_version_document(current, row) for row in _earlier_rows(session, current.answer_id)]


def answer_version(session: Session, answer_id: int, version: int) -> AnswerDocument:
    """Version ``version`` of a published answer (the current one or an earlier one), or
    NotFound."""
    current = public_answer(session, answer_id)
    if version == current.version:
        return current
    row = session.exec(select(AnswerVersion).where(
        AnswerVersion.answer_id == answer_id, AnswerVersion.version == version)).first()
    if row is None:
        raise NotFound(_("This version of the answer does not exist."))
    return _version_document(current, row)


def answers_to_render(session: Session) -> list[AnswerDocument]:
    """Versions of published answers (scheduled ones included) that have no PDF yet: the
    current ones, and earlier ones that a correction replaced before their PDF was made."""
    rendered = select(StoredPdf.object_id).where(
        StoredPdf.kind == PdfKind.ANSWER, StoredPdf.version == Answer.version
    )
    rows = session.exec(
        _published_rows(include_scheduled=True).where(col(Answer.id).not_in(rendered))
    ).all()
    pending = _documents(session, list(rows))
    earlier = session.exec(select(AnswerVersion).where(~exists().where(
        col(StoredPdf.kind) == PdfKind.ANSWER,
        col(StoredPdf.object_id) == col(AnswerVersion.answer_id),
        col(StoredPdf.version) == col(AnswerVersion.version))).order_by(col(AnswerVersion.id))
    ).all()
    if earlier:
        current = {doc.answer_id: doc for doc in _documents(session, list(session.exec(
            _published_rows(include_scheduled=True).where(
                col(Answer.id).in_({row.answer_id for row in earlier}))).all()))}
        pending += [_version_document(current[row.answer_id], row) for row in earlier
                    if row.answer_id in current]
    return pending


def public_transcript(session: Session, conference_id: int) -> TranscriptDocument | None:
    """The published transcript of a public conference, or None while there is none."""
    conference = public_conference(session, conference_id)
    if conference.transcript_published_at is None:
        return None
    host = session.get(Organization, conference.host_organization_id)
    public_titles: dict[int | None, str] = {}
    answered: dict[int | None, tuple[int | None, Any]] = {}
    for question, answer_id in session.exec(
        select(Question, Answer.id)  # type: ignore[call-overload]
        .join(Answer, Answer.question_id == Question.id)  # type: ignore[arg-type]
        .where(Question.conference_id == conference_id,
               Question.state == QuestionState.PUBLISHED,
               col(Question.published_at) <= now())
    ):
        public_titles[question.id] = question.title
        answered[question.id] = (answer_id, question.published_at)
    return TranscriptDocument(
        conference_id=conference.id or 0,
        title=conference.title,
        host_name=host.name if host else "",
        starts_at=conference.starts_at,
        ends_at=conference.ends_at,
        venue=conference.venue,
        participants=[org.name for org in participants(session, conference_id)],
        published_at=conference.transcript_published_at,
        version=conference.transcript_version,
        turns=[
            TranscriptTurnDocument(
                position=turn.position,
                speaker_name=turn.speaker_name,
                speaker_role=turn.speaker_role,
                text=turn.text,
                offset_seconds=turn.offset_seconds,
                question_id=turn.question_id if turn.question_id in public_titles else None,
                question_title=public_titles.get(turn.question_id),
                answer_id=answered[turn.question_id][0] if turn.question_id in answered else None,
                answered_at=answered[turn.question_id][1] if turn.question_id in answered else None,
                recording_link=(time_link(conference.recording_url, turn.offset_seconds)
                                if conference.recording_url and turn.offset_seconds is not None
                                else None),
            )
            for turn in transcript(session, conference_id)
        ],
        recording_url=conference.recording_url,
    )


def stored_pdfs(session: Session, kind: PdfKind, object_id: int) -> dict[int, StoredPdf]:
    """Every stored PDF of the object, by version."""
    return {row.version: row for row in session.exec(select(StoredPdf).where(
        StoredPdf.kind == kind, StoredPdf.object_id == object_id))}


def stored_pdf(session: Session, kind: PdfKind, object_id: int, version: int) -> StoredPdf | None:
    return session.exec(
        select(StoredPdf).where(
            StoredPdf.kind == kind, StoredPdf.object_id == object_id, StoredPdf.version == version
        )
    ).first()


def door_list(session: Session, user: User, conference_id: int) -> DoorListDocument:
    """The accredited journalists of a conference the user manages (else NotFound), by outlet
    and name."""
    conference = managed_conference(session, user, conference_id)
    host = session.get(Organization, conference.host_organization_id)
    return DoorListDocument(
        conference_id=conference.id or 0, title=conference.title,
        host_name=host.name if host else "", starts_at=conference.starts_at,
        ends_at=conference.ends_at, venue=conference.venue, capacity=conference.capacity,
        published_at=now(),
        rows=[DoorListRow(journalist_name=journalist.full_name,
                          outlet_name=outlet.name if outlet else "",
                          press_card_number=journalist.press_card_number)
              for accreditation, journalist, outlet in accreditations(session, conference_id)
              if accreditation.status == AccreditationStatus.APPROVED])


def transcripts_without_pdf(session: Session) -> list[int]:
    """Published transcripts whose current edition (TranscriptDocument.edition: the version
    and the written answers shown) has no stored PDF, in one query."""
    shown = (select(TranscriptTurn.conference_id.label("cid"),  # type: ignore[attr-defined]
                    func.count().label("answers"))
             .join(Question, Question.id == TranscriptTurn.question_id)  # type: ignore[arg-type]
             .join(Answer, Answer.question_id == Question.id)  # type: ignore[arg-type]
             .where(Question.state == QuestionState.PUBLISHED, col(Question.published_at) <= now())
             .group_by(col(TranscriptTurn.conference_id)).subquery())
    edition = col(PressConference.transcript_version) + 10_000 * func.coalesce(shown.c.answers, 0)
    stored = exists().where(col(StoredPdf.kind) == PdfKind.TRANSCRIPT,
                            col(StoredPdf.object_id) == col(PressConference.id),
                            col(StoredPdf.version) == edition)
    return [cid for cid in session.exec(
        select(PressConference.id)
        .outerjoin(shown, shown.c.cid == PressConference.id)
        .where(col(PressConference.transcript_published_at).is_not(None), ~stored)) if cid]


SEARCH_KIND_LABELS = {"answer": lazy("Official answers"), "conference": lazy("Press conferences"),
                      "transcript": lazy("Transcripts")}


def search_page(session: Session, text: str, filters: index.Filters, *, limit: int,
                offset: int, newest: bool = False) -> SearchPage:
    """What search finds for ``text`` among public things: a page of hits with their
    snippets (best first; ``newest``: newest first, for a feed), the facets, and when nothing
    is found, why and what to try instead."""
    query = analysis.parse(text)
    results = index.search(session, query, filters, limit=limit, offset=offset, newest=newest)
    names = {o.id: o.name for o in session.exec(select(Organization))}

    def hit(f: index.Found, lacking: tuple[analysis.Clause, ...] = ()) -> SearchHit:
        return SearchHit(
            kind=f.entry.kind, ref_id=f.entry.ref_id, url=f.entry.url, title=f.entry.title,
            context=f.entry.context, organization_id=f.entry.organization_id,
            organization_name=names.get(f.entry.organization_id, ""),
            published_at=f.entry.published_at, year=f.entry.year, source_id=f.entry.source_id,
            snippet=analysis.snippet(f.entry.body, query),
            lacking=[clause.text for clause in lacking], body=f.entry.body)

    hits = [hit(f) for f in results.hits]
    chosen = {"kind": filters.kind, "organization": filters.organization_id, "year": filters.year}
    facets = [SearchFacet("kind", str(value), _(SEARCH_KIND_LABELS.get(value, value)), count,
                          chosen["kind"] == value)
              for value, count in results.facets.get("kind", [])]
    facets += [SearchFacet("organization", str(value), names.get(value, ""), count,
                           chosen["organization"] == value)
               for value, count in results.facets.get("organization_id", []) if value in names]
    facets += [SearchFacet("year", str(value), str(value), count, chosen["year"] == value)
               for value, count in sorted(results.facets.get("year", []), reverse=True)]
    page = SearchPage(query.text, hits, results.total, facets, capped=results.capped,
                      partial=[hit(f, lacking) for f, lacking in results.partial])
    if results.total or not query or len(query.clauses) > 8:
        return page
    # Nothing: which words no public document holds, and the query without them.
    alone = {clause: index.search(session, analysis.Query((clause,)), limit=0).total
             for clause in query.clauses}
    missing = [clause.text for clause, count in alone.items() if count == 0]
    kept = tuple(clause for clause, count in alone.items() if count)
    retry = None
    if missing and kept:
        found = index.search(session, analysis.Query(kept), filters, limit=0).total
        if found:
            retry = (" ".join(c.text if len(c.tokens) == 1 or c.text.count(" ") == 0
                              else f"\"{c.text}\"" for c in kept), found)
    return replace(page, missing=missing, retry=retry)
