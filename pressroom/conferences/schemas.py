from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from pressroom.accounts.models import Outlet, User
from pressroom.conferences.enums import (
    AccreditationStatus,
    ConferenceStatus,
    LiveQuestionStatus,
)
from pressroom.conferences.models import Accreditation, LiveQuestion, PressConference
from pressroom.core.schemas import AwareDatetime, LongText, OptionalText, RefId, RowVersion, Text200, Text300
from pressroom.core.text import clean
from pressroom.organizations.models import Organization


def _url(value: object) -> object:
    value = clean(value) if isinstance(value, str) else value
    if isinstance(value, str) and value and not value.startswith(("https://", "http://")):
        raise ValueError("must start with https:// or http://")
    return value


Url = Annotated[str, BeforeValidator(_url), StringConstraints(max_length=500)]


class ConferenceCreate(BaseModel):
    title: Text300
    host_organization_id: RefId
    participant_ids: list[RefId] = Field(default_factory=list, max_length=50)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue: Text300
    livestream_url: Url = ""
    description: OptionalText = ""
    capacity: int | None = Field(default=None, ge=1, le=5000)

    @model_validator(mode="after")
    def _ends_after_start(self) -> ConferenceCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class ConferenceAnnounce(BaseModel):
    """Why the press is told less than 24 hours ahead (Press Law 2016, Art. 41), if so."""

    reason: OptionalText = ""


class ConferenceCancel(BaseModel):
    reason: LongText


class ConferencePostpone(BaseModel):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    reason: LongText

    @model_validator(mode="after")
    def _ends_after_start(self) -> ConferencePostpone:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class TurnIn(BaseModel):
    speaker_name: Text200
    speaker_role: Annotated[str, BeforeValidator(clean), StringConstraints(max_length=300)] = ""
    text: LongText
    offset_seconds: int | None = Field(default=None, ge=0, le=86400)
    question_id: RefId | None = None


class TranscriptIn(BaseModel):
    turns: list[TurnIn] = Field(min_length=1, max_length=2000)
    # The recording (video or audio) the turns' time codes point into.
    recording_url: Url = ""


class ConferencePublic(BaseModel):
    id: int
    title: str
    host_organization_id: int
    host_name: str
    participant_names: list[str]
    starts_at: datetime
    ends_at: datetime
    venue: str
    livestream_url: str
    recording_url: str = Field(description="The recording the transcript's time codes point "
                                           "into (saved with the transcript).")
    description: str
    status: ConferenceStatus
    transcript_published_at: datetime | None
    status_reason: str = Field(description="Why it was cancelled or postponed (else empty).")
    postponed_from: datetime | None = Field(description="The first planned start, once postponed.")
    capacity: int | None = Field(description="Journalists accredited at most (null: no limit).")
    live_started_at: datetime | None
    live_ended_at: datetime | None
    row_version: RowVersion

    @classmethod
    def from_model(cls, conference: PressConference, host: Organization | None,
                   guests: list[Organization]) -> ConferencePublic:
        return cls(
            id=conference.id or 0,
            title=conference.title,
            host_organization_id=conference.host_organization_id,
            host_name=host.name if host else "",
            participant_names=[org.name for org in guests],
            starts_at=conference.starts_at,
            ends_at=conference.ends_at,
            venue=conference.venue,
            livestream_url=conference.livestream_url,
            recording_url=conference.recording_url,
            description=conference.description,
            status=conference.status,
            transcript_published_at=conference.transcript_published_at,
            status_reason=conference.status_reason,
            postponed_from=conference.postponed_from,
            capacity=conference.capacity,
            live_started_at=conference.live_started_at,
            live_ended_at=conference.live_ended_at,
            row_version=conference.row_version,
        )


class TurnPublic(BaseModel):
    position: int
    speaker_name: str
    speaker_role: str
    text: str
    offset_seconds: int | None
    question_id: int | None


class AccreditationDecision(BaseModel):
    approve: bool
    reason: OptionalText = Field(default="", description="Required to decline; the journalist "
                                                         "is told.")


class AccreditationPublic(BaseModel):
    id: int
    conference_id: int
    journalist_id: int
    journalist_name: str
    outlet_name: str
    press_card_number: str
    status: AccreditationStatus
    requested_at: datetime
    decided_at: datetime | None
    automatic: bool = Field(description="Approved at once: the outlet is on the host's list.")
    reason: str
    row_version: RowVersion

    @classmethod
    def from_model(cls, accreditation: Accreditation, journalist: User,
                   outlet: Outlet | None) -> AccreditationPublic:
        return cls(
            id=accreditation.id or 0, conference_id=accreditation.conference_id,
            journalist_id=accreditation.journalist_id, journalist_name=journalist.full_name,
            outlet_name=outlet.name if outlet else "",
            press_card_number=journalist.press_card_number, status=accreditation.status,
            requested_at=accreditation.requested_at, decided_at=accreditation.decided_at,
            automatic=(accreditation.decided_at is not None
                       and accreditation.decided_by_id is None),
            reason=accreditation.reason, row_version=accreditation.row_version)


class TranscriptVersionPublic(BaseModel):
    number: int = Field(description="1 for the first save; the last is the current text.")
    saved_at: datetime
    saved_by: str
    recording_url: str
    turns: list[TurnPublic]


class LiveQuestionIn(BaseModel):
    body: Annotated[str, StringConstraints(max_length=20000)] = Field(
        description="The question (at most 1,000 characters once trimmed).")


class LiveModeration(BaseModel):
    action: Literal["approve", "decline", "screen", "unscreen", "answered", "highlight",
                    "unhighlight", "up", "down"] = Field(
        description="approve or decline a waiting question; screen (one at a time) or unscreen; "
                    "answered (live); highlight or unhighlight; up or down in the queue.")


class LiveQuestionPublic(BaseModel):
    id: int
    conference_id: int
    body: str
    status: LiveQuestionStatus
    asker_name: str
    outlet_name: str
    votes: int
    highlighted: bool
    position: int = Field(description="The moderator's order of the queue (smaller first).")
    created_at: datetime
    question_id: int | None = Field(description="The written question it became, once "
                                                "deferred to writing.")
    row_version: RowVersion

    @classmethod
    def from_row(cls, question: LiveQuestion, asker: str, outlet: str) -> LiveQuestionPublic:
        return cls(id=question.id or 0, conference_id=question.conference_id, body=question.body,
                   status=question.status, asker_name=asker, outlet_name=outlet,
                   votes=question.votes, highlighted=question.highlighted,
                   position=question.position, created_at=question.created_at,
                   question_id=question.question_id, row_version=question.row_version)
