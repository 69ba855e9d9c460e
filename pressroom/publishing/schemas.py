"""Output models of the public API: published answers and public conferences."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from pressroom.conferences.schemas import ConferencePublic, TurnPublic


class AnswerDocumentPublic(BaseModel):
    """A published official answer with the question it answers (``documents.AnswerDocument``)
    and where its PDF is served."""

    answer_id: int
    question_id: int
    question_title: str
    question_text: str
    asker_name: str
    outlet_id: int = Field(description="The press agency; its questions: /outlets/{id}.")
    outlet_name: str
    conference_id: int | None
    conference_title: str | None
    asked_at: datetime
    unit_name: str
    ministry_id: int = Field(description="The ministry or agency that answered: "
                                         "/api/v1/organizations/{id}.")
    ministry_name: str
    answer_text: str
    approver_name: str = Field(description="Empty for a record imported from an archive.")
    approver_title: str
    approved_at: datetime
    published_at: datetime
    version: int
    corrected_at: datetime | None = Field(
        description="When this version, a correction, replaced the earlier text (null: the "
                    "text as first published).")
    correction_reason: str = Field(description="Why it was corrected (empty: never).")
    pdf_url: str
    versions_url: str = Field(description="Every published version of the answer.")
    source_id: str = Field("", description="Its id in the archive it was imported from "
                                           "(else empty).")


class AnswerVersionPublic(BaseModel):
    """One published text of an answer: the original, a correction, or the current one."""

    version: int
    answer_text: str
    published_at: datetime = Field(description="When this text became public.")
    correction_reason: str = Field(description="Why this version replaced the one before "
                                               "(empty for the original).")
    superseded_at: datetime | None = Field(description="When a correction replaced it (null: "
                                                       "the current text).")
    is_current: bool
    pdf_url: str = Field(description="This version's own PDF (503 for a few seconds while it "
                                     "is rendered).")


class PublicTurn(TurnPublic):
    """A transcript turn; ``question_id`` and ``question_title`` only name a published question."""

    question_title: str | None


class ConferenceDetailPublic(ConferencePublic):
    """A public conference with its published transcript (if any) and published answers."""

    transcript_turns: list[PublicTurn]
    transcript_pdf_url: str | None
    answers: list[AnswerDocumentPublic]


class SearchSegment(BaseModel):
    text: str
    match: bool = Field(description="A word of the query (shown highlighted).")


class SearchHitPublic(BaseModel):
    kind: Literal["answer", "conference", "transcript"]
    ref_id: int = Field(description="The answer's, conference's or transcript turn's id.")
    url: str = Field(description="Its public page (a transcript turn: the turn's anchor).")
    title: str
    context: str = Field(description="Who asked (an answer), who spoke (a turn), the host "
                                     "(a conference).")
    organization_id: int | None
    organization_name: str
    published_at: datetime
    year: int
    source_id: str = Field(description="Its id in the archive it was imported from (else "
                                       "empty).")
    snippet: list[SearchSegment]
    lacking: list[str] = Field(default_factory=list, description="A partial match: the words "
                               "of the query it does not contain.")


class SearchFacetPublic(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class SearchResultsPublic(BaseModel):
    query: str
    total: int
    total_is_at_least: bool = Field(
        False, description="More documents match than are ranked and counted (the newest "
                           "of them are): ``total`` is a lower bound.")
    page: int
    results: list[SearchHitPublic]
    facets: dict[str, list[SearchFacetPublic]] = Field(
        description="kind, organization and year: how many matches each value has.")
    missing: list[str] = Field(description="With no result: the words no public document "
                                           "contains.")
    retry: str | None = Field(description="With no result: a shorter query that finds "
                                          "something.")
    partial: list[SearchHitPublic] = Field(
        default_factory=list, description="On the first page, when every result fits on it: "
        "documents holding most of the words but not all (each lists the words it lacks), "
        "best first. Empty when nothing holds every word.")
