"""Public JSON API under /api/v1 (no login): public conferences, published answers, search.

It reads through the same queries as the public pages, so nothing unpublished, embargoed or
scheduled for later reaches it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from pressroom.accounts.schemas import ErrorPublic
from pressroom.conferences.queries import (
    all_public,
    participants,
    participants_by_conference,
    public_conference,
)
from pressroom.conferences.schemas import ConferencePublic
from pressroom.core.deps import MAX_ID, DbId, PaginationDep, SessionDep, public
from pressroom.organizations.models import Organization
from pressroom.organizations.queries import all_organizations
from pressroom.publishing.documents import AnswerDocument, SearchHit
from pressroom.publishing.queries import (
    conference_answers,
    earlier_versions,
    latest_answers,
    public_answer,
    public_transcript,
    search_page,
)
from pressroom.publishing.schemas import (
    AnswerDocumentPublic,
    AnswerVersionPublic,
    ConferenceDetailPublic,
    PublicTurn,
    SearchFacetPublic,
    SearchHitPublic,
    SearchResultsPublic,
    SearchSegment,
)
from pressroom.search.index import Filters

router = APIRouter(tags=["public"], dependencies=[public])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "Unknown, or not public (yet)"}}


def answer_public(doc: AnswerDocument) -> AnswerDocumentPublic:
    return AnswerDocumentPublic(**asdict(doc), pdf_url=f"/answers/{doc.answer_id}/pdf",
                                versions_url=f"/api/v1/answers/{doc.answer_id}/versions")


def version_public(doc: AnswerDocument, *, current: bool) -> AnswerVersionPublic:
    return AnswerVersionPublic(
        version=doc.version, answer_text=doc.answer_text,
        published_at=doc.corrected_at or doc.published_at,
        correction_reason=doc.correction_reason, superseded_at=doc.superseded_at,
        is_current=current, pdf_url=f"/answers/{doc.answer_id}/versions/{doc.version}/pdf")


@router.get("/conferences", response_model=list[ConferencePublic],
            summary="Public press conferences")
def list_conferences(session: SessionDep, pagination: PaginationDep) -> list[ConferencePublic]:
    """Announced and held conferences and those with a published transcript. Pages of 20,
    latest first; `?page=2` for the next."""
    rows = all_public(session, pagination.size, pagination.offset)
    guests = participants_by_conference(session, [c.id or 0 for c in rows])
    orgs = {org.id: org for org in all_organizations(session)}
    return [ConferencePublic.from_model(c, orgs.get(c.host_organization_id), guests[c.id or 0])
            for c in rows]


@router.get("/conferences/{conference_id}", response_model=ConferenceDetailPublic,
            responses=NOT_FOUND, summary="A public press conference")
def get_conference(session: SessionDep, conference_id: DbId) -> ConferenceDetailPublic:
    """The conference with its participants, its transcript once published, and the answers
    published so far to questions asked at it."""
    conference = public_conference(session, conference_id)
    doc = public_transcript(session, conference_id)
    turns = [PublicTurn(**asdict(turn)) for turn in doc.turns] if doc else []
    summary = ConferencePublic.from_model(
        conference, session.get(Organization, conference.host_organization_id),
        participants(session, conference_id))
    return ConferenceDetailPublic(
        **summary.model_dump(),
        transcript_turns=turns,
        transcript_pdf_url=f"/conferences/{conference_id}/transcript/pdf" if doc else None,
        answers=[answer_public(a) for a in conference_answers(session, conference_id)],
    )


@router.get("/answers", response_model=list[AnswerDocumentPublic],
            summary="Latest published answers")
def list_answers(session: SessionDep, pagination: PaginationDep) -> list[AnswerDocumentPublic]:
    """Official answers whose publication time has come. Pages of 20, latest first;
    `?page=2` for the next."""
    return [answer_public(doc)
            for doc in latest_answers(session, pagination.size, pagination.offset)]


@router.get("/answers/{answer_id}", response_model=AnswerDocumentPublic, responses=NOT_FOUND,
            summary="A published answer")
def get_answer(session: SessionDep, answer_id: DbId) -> AnswerDocumentPublic:
    """The official answer with its question, who asked and who approved it, and the address
    of its PDF (which may answer 503 for a few seconds after publication while it renders).
    An answer scheduled for later is not found until its time."""
    return answer_public(public_answer(session, answer_id))


@router.get("/answers/{answer_id}/versions", response_model=list[AnswerVersionPublic],
            responses=NOT_FOUND, summary="Every published version of an answer")
def answer_versions(session: SessionDep, answer_id: DbId) -> list[AnswerVersionPublic]:
    """The text as first published and each correction, oldest first; the last is the
    current text. Each keeps its own PDF."""
    current = public_answer(session, answer_id)
    return [*(version_public(doc, current=False) for doc in earlier_versions(session, current)),
            version_public(current, current=True)]


@router.get("/search", response_model=SearchResultsPublic, summary="Search public documents")
def search(session: SessionDep, pagination: PaginationDep,
           q: Annotated[str, Query(max_length=500, description="Words (all required), "
                                   "\"phrases in quotes\", abbreviations, document numbers; "
                                   "with or without diacritics.")],
           kind: Annotated[Literal["answer", "conference", "transcript"] | None, Query()] = None,
           organization_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
           year: Annotated[int | None, Query(ge=1900, le=2200)] = None) -> SearchResultsPublic:
    """Published answers (with their questions), public press conferences and the turns of
    published transcripts matching every word of `q`, best first, 20 a page; the facets
    count the matches by kind, ministry and year."""
    found = search_page(session, q, Filters(kind, organization_id, year),
                        limit=pagination.size, offset=pagination.offset)
    facets: dict[str, list[SearchFacetPublic]] = {}
    for facet in found.facets:
        facets.setdefault(facet.name, []).append(SearchFacetPublic(
            value=facet.value, label=facet.label, count=facet.count, selected=facet.selected))
    return SearchResultsPublic(
        query=found.query, total=found.total, total_is_at_least=found.capped,
        page=pagination.page,
        results=[_hit(hit) for hit in found.hits],
        facets=facets, missing=found.missing, retry=found.retry[0] if found.retry else None,
        partial=[_hit(hit) for hit in found.partial])


def _hit(hit: SearchHit) -> SearchHitPublic:
    return SearchHitPublic(
        kind=hit.kind, ref_id=hit.ref_id, url=hit.url, title=hit.title,  # type: ignore[arg-type]
        context=hit.context, organization_id=hit.organization_id,
        organization_name=hit.organization_name, published_at=hit.published_at,
        year=hit.year, source_id=hit.source_id,
        snippet=[SearchSegment(text=text, match=match) for text, match in hit.snippet],
        lacking=hit.lacking)
