"""Plain data ("documents") built from the models, for the public pages and the PDFs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AnswerDocument:
    """A published official answer together with the question it answers."""

    answer_id: int
    question_id: int
    question_title: str
    question_text: str
    asker_name: str
    outlet_id: int  # the press agency's public page
    outlet_name: str
    conference_id: int | None
    conference_title: str | None
    asked_at: datetime
    unit_name: str
    ministry_id: int  # the ministry's public page (and its feed)
    ministry_name: str
    answer_text: str
    approver_name: str
    approver_title: str
    approved_at: datetime
    published_at: datetime
    version: int
    corrected_at: datetime | None = None  # this version replaced an earlier one then
    correction_reason: str = ""  # and why
    superseded_at: datetime | None = None  # an earlier version: when a correction replaced it
    # The turn of the published transcript that links this question ("the moment").
    transcript_turn: int | None = None
    # Imported from an earlier portal's archive (pressroom import): its id there. Who approved
    # it then is not known; the account that imported it is not shown as its approver.
    source_id: str = ""


@dataclass(frozen=True)
class DoorListRow:
    journalist_name: str
    outlet_name: str
    press_card_number: str


@dataclass(frozen=True)
class DoorListDocument:
    """The accredited journalists of a conference, for the door (staff only, printed on
    request)."""

    conference_id: int
    title: str
    host_name: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    capacity: int | None
    published_at: datetime  # when it was printed
    rows: list[DoorListRow] = field(default_factory=list)


@dataclass(frozen=True)
class TranscriptTurnDocument:
    position: int
    speaker_name: str
    speaker_role: str
    text: str
    offset_seconds: int | None = None
    question_id: int | None = None
    question_title: str | None = None
    # The linked question's official answer, once published (in writing, after the conference).
    answer_id: int | None = None
    answered_at: datetime | None = None
    # Its moment in the recording, when the transcript names one and the turn has a time.
    recording_link: str | None = None


@dataclass(frozen=True)
class TranscriptDocument:
    """A conference's published transcript."""

    conference_id: int
    title: str
    host_name: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    participants: list[str]
    published_at: datetime
    version: int
    turns: list[TranscriptTurnDocument] = field(default_factory=list)
    recording_url: str = ""

    @property
    def edition(self) -> int:
        """What its PDF is stored under: the version, and how many written answers it shows
        (an answer published later changes the PDF, not the transcript's version)."""
        return self.version + 10_000 * sum(1 for t in self.turns if t.answer_id is not None)


@dataclass(frozen=True)
class SearchHit:
    kind: str
    ref_id: int
    url: str
    title: str
    context: str
    organization_id: int | None
    organization_name: str
    published_at: datetime
    year: int
    source_id: str
    snippet: list[tuple[str, bool]]  # text, matched
    lacking: list[str] = field(default_factory=list)  # a partial match: the words it lacks
    body: str = ""  # the text it was found by (a feed carries it whole)


@dataclass(frozen=True)
class SearchFacet:
    name: str  # kind, organization, year
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchPage:
    """One page of search results, the same for the page and the API."""

    query: str
    hits: list[SearchHit]
    total: int
    facets: list[SearchFacet]
    # When nothing matched: the words no public document contains, and a shorter query
    # that finds something (with its count), if there is one.
    missing: list[str] = field(default_factory=list)
    retry: tuple[str, int] | None = None
    # More match than search ranks and counts (index.CANDIDATES): ``total`` is "at least".
    capped: bool = False
    # When the results fit on one page: what holds most of the words but not all.
    partial: list[SearchHit] = field(default_factory=list)
